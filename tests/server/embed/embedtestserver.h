#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QTcpServer>
#include <QUrl>

#include <functional>

// A small HTTP/1.1 server that speaks the OpenAI /v1/embeddings wire format, for tests only:
// each POST body is parsed and answered by `handler` (status + body), or not answered at all
// (`Reply::silent`, for timeouts). Lives on the test's thread; the provider's local event loop
// runs it. Records every request (path, Authorization header, JSON body).
namespace emailrag::test {

class EmbedTestServer : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        QByteArray path;
        QByteArray authorization;
        QJsonObject body;
    };
    struct Reply
    {
        int status = 200;
        QByteArray body;
        bool silent = false;
    };
    using Handler = std::function<Reply(const Request &)>;

    explicit EmbedTestServer(QObject *parent = nullptr);
    QUrl baseUrl() const; // http://127.0.0.1:<port>/v1
    void setHandler(Handler h) { m_handler = std::move(h); }
    const QList<Request> &requests() const { return m_requests; }

    // The real success body: {"object":"list","data":[{"object":"embedding","embedding":[...],"index":i}],
    // "model":..,"usage":{"prompt_tokens":..,"total_tokens":..}}. `reversed` lists data last-index first.
    static QByteArray embeddingsBody(const QList<QList<double>> &vectors, const QString &model, bool reversed = false);
    static QByteArray errorBody(const QString &message, const QString &type = QStringLiteral("invalid_request_error"));

private:
    void onReadyRead(QTcpSocket *socket);

    QTcpServer m_server;
    Handler m_handler;
    QList<Request> m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace emailrag::test
