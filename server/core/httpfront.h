#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTcpSocket>
#include <QUrlQuery>

#include <functional>

class QTcpServer;

class QWebSocketServer;
class QWebSocket;

namespace emailrag::server {

// One HTTP request as the front read it. Header names are lower-case.
struct HttpRequest
{
    QByteArray method;
    QString path;
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers;
    QByteArray body;     // small bodies (JSON), at most HttpFront::kMaxSmallBody
    QString bodyFile;    // streamed bodies (POST /api/v1/uploads): a file in the uploads dir; the handler owns it
    qint64 bodySize = 0;
    QHostAddress peer;
    QByteArray bearerToken() const; // from "Authorization: Bearer ..."
};

// The reply side of one HTTP request; may be answered later (after a database call). Lives on
// the front's thread; answering after the client went away is a no-op.
class HttpReply
{
public:
    explicit HttpReply(QTcpSocket *socket) : m_socket(socket) { }
    void send(int status, const QByteArray &contentType, const QByteArray &body,
              const QList<QPair<QByteArray, QByteArray>> &extraHeaders = {});
    void sendJson(int status, const QByteArray &json);
    bool isSent() const { return m_sent; }

private:
    QPointer<QTcpSocket> m_socket;
    bool m_sent = false;
};

// The listening socket: one port for the WebSocket API and the HTTP API. Each new connection's
// request head is peeked at (not consumed): a WebSocket upgrade for /api/v1/ws is handed, bytes
// intact, to a QWebSocketServer (handleConnection), which emits webSocketConnected() after the
// handshake; any other request is read here (head at most 16 KiB, small bodies at most 64 KiB,
// upload bodies streamed to a file, with Content-Length or chunked) and passed to the request handler. Optional TLS through
// QSslServer. Lives on the server thread, owned by the Server. Failures are per connection
// (400/404/408/413 and close); listen() reports a busy port.
class HttpFront : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kMaxHead = 16 * 1024;
    static constexpr qint64 kMaxSmallBody = 64 * 1024;
    static constexpr int kHeadTimeoutMs = 10000;

    using RequestHandler = std::function<void(const HttpRequest &, std::shared_ptr<HttpReply>)>;
    // Called with the head of a request whose body would be streamed to disk: return an HTTP
    // status (0 = go on) so that unauthenticated or oversized uploads are refused before a byte
    // of the body is stored.
    using StreamCheck = std::function<int(const HttpRequest &)>;

    explicit HttpFront(QObject *parent = nullptr);
    ~HttpFront() override;

    void setRequestHandler(RequestHandler handler) { m_handler = std::move(handler); }
    void setStreamedPaths(const QStringList &paths, StreamCheck check, QString dir, qint64 maxBytes);
    bool setTls(const QString &certFile, const QString &keyFile, QString *error);

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const;
    bool isTls() const { return m_tls; }
    void stopListening();

Q_SIGNALS:
    // The receiver takes ownership of `socket`; `transport` is the TCP socket under it (it frees
    // itself on disconnect), null if it could not be told apart.
    void webSocketConnected(QWebSocket *socket, QTcpSocket *transport);

private:
    struct Pending;
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void onWebSocketServerConnection();
    enum class BodyState { NeedMore, Complete, Failed };
    BodyState readChunked(QTcpSocket *socket, Pending *p); // Transfer-Encoding: chunked into p->file
    void dispatch(QTcpSocket *socket);
    void fail(QTcpSocket *socket, int status, const QByteArray &message);

    QTcpServer *m_tcp = nullptr;
    QWebSocketServer *m_ws = nullptr;
    bool m_tls = false;
    RequestHandler m_handler;
    QStringList m_streamedPaths;
    StreamCheck m_streamCheck;
    QString m_streamDir;
    qint64 m_streamMax = 0;
    QHash<QTcpSocket *, Pending *> m_pending;
    // Sockets handed to QWebSocketServer whose handshake is not done yet, by peer "address port"
    // (unique among open connections), to pair each QWebSocket with its TCP socket.
    QHash<QString, QPointer<QTcpSocket>> m_upgrading;
};

} // namespace emailrag::server
