#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

// The one stand-in the project allows: an OpenAI-compatible model server speaking the real
// /v1/chat/completions wire format over real HTTP/1.1 on loopback (QTcpServer, port 0). Each
// test sets a Script: status, headers, the body pieces with delays between them, and how the
// response ends (properly, cut off, or stalled). The server records every request it received.
// Lives on the test thread; owned by the test.
class OpenAiTestServer : public QObject
{
    Q_OBJECT
public:
    struct Piece
    {
        QByteArray bytes;
        int delayMs = 0;       // wait before sending this piece
    };
    enum class Ending {
        Complete,              // send every piece, then end the response (close / final chunk)
        Cut,                   // send the pieces, then drop the connection without ending the body
        Stall,                 // send the pieces, then keep the connection open and send nothing
        NoResponse,            // read the request and never answer
    };
    struct Script
    {
        int status = 200;
        QByteArray contentType = "text/event-stream";
        bool chunked = false;  // Transfer-Encoding: chunked instead of Connection: close framing
        QList<Piece> pieces;
        Ending ending = Ending::Complete;
    };
    struct Request
    {
        QByteArray method;
        QByteArray path;
        QMap<QByteArray, QByteArray> headers; // lower-case names
        QByteArray body;
        QJsonObject json() const;
    };

    explicit OpenAiTestServer(QObject *parent = nullptr);
    bool listen();
    QUrl baseUrl() const;                   // http://127.0.0.1:<port>/v1

    void setScript(const Script &script) { m_script = script; }
    const QList<Request> &requests() const { return m_requests; }
    int openConnections() const { return m_open; }
    int disconnects() const { return m_disconnects; }

    // Wire helpers: one SSE event with a streamed delta, the final [DONE], an OpenAI error body.
    static QByteArray deltaEvent(const QString &content, const QString &finishReason = {}, bool crlf = false);
    static QByteArray doneEvent();
    static QByteArray errorBody(const QString &message, const QString &code = {}, const QString &type = QStringLiteral("invalid_request_error"));
    // A script that streams `pieces` of text as deltas, then finish_reason "stop" and [DONE].
    static Script streamText(const QStringList &pieces, int delayMs = 0);

Q_SIGNALS:
    void requestReceived();
    void clientDisconnected();

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void respond(QTcpSocket *socket);
    void sendPiece(QPointer<QTcpSocket> socket, int index);
    void finishResponse(QPointer<QTcpSocket> socket);

    QTcpServer m_server;
    Script m_script;
    QList<Request> m_requests;
    QMap<QTcpSocket *, QByteArray> m_buffers;
    int m_open = 0;
    int m_disconnects = 0;
};
