#include "httpfront.h"

#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketServer>

#include <sodium.h>

#include "logging.h"

namespace emailrag::server {

namespace {

QString peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + QLatin1Char(' ') + QString::number(port);
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 202: return "Accepted";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 426: return "Upgrade Required";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    }
    return "Status";
}

} // namespace

QByteArray HttpRequest::bearerToken() const
{
    const QByteArray auth = headers.value("authorization").trimmed();
    if (auth.size() > 7 && auth.left(7).compare("bearer ", Qt::CaseInsensitive) == 0)
        return auth.mid(7).trimmed();
    return {};
}

void HttpReply::send(int status, const QByteArray &contentType, const QByteArray &body,
                     const QList<QPair<QByteArray, QByteArray>> &extraHeaders)
{
    if (m_sent)
        return;
    m_sent = true;
    if (!m_socket)
        return;
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    out += "Content-Type: " + contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "Cache-Control: no-store\r\nConnection: close\r\n";
    for (const auto &h : extraHeaders)
        out += h.first + ": " + h.second + "\r\n";
    out += "\r\n" + body;
    m_socket->write(out);
    m_socket->disconnectFromHost(); // after the bytes are written
}

void HttpReply::sendJson(int status, const QByteArray &json) { send(status, "application/json", json); }

struct HttpFront::Pending
{
    HttpRequest request;
    bool headDone = false;
    bool streaming = false;
    bool chunked = false; // Transfer-Encoding: chunked (streamed uploads only)
    enum class Chunk { Size, Data, DataEnd, Trailer } chunk = Chunk::Size;
    qint64 chunkLeft = 0;
    qint64 expected = 0;
    std::unique_ptr<QFile> file;
    QTimer timer;
};

HttpFront::HttpFront(QObject *parent) : QObject(parent)
{
    m_ws = new QWebSocketServer(QStringLiteral("emailrag"), QWebSocketServer::NonSecureMode, this);
    m_ws->setMaxPendingConnections(100000);
    m_ws->setHandshakeTimeout(kHeadTimeoutMs);
    connect(m_ws, &QWebSocketServer::newConnection, this, &HttpFront::onWebSocketServerConnection);
}

HttpFront::~HttpFront()
{
    for (Pending *p : std::as_const(m_pending)) {
        if (p->file)
            p->file->remove();
        delete p;
    }
}

void HttpFront::setStreamedPaths(const QStringList &paths, StreamCheck check, QString dir, qint64 maxBytes)
{
    m_streamedPaths = paths;
    m_streamCheck = std::move(check);
    m_streamDir = std::move(dir);
    m_streamMax = maxBytes;
}

bool HttpFront::setTls(const QString &certFile, const QString &keyFile, QString *error)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    QFile cf(certFile), kf(keyFile);
    if (!cf.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read the TLS certificate %1: %2").arg(certFile, cf.errorString()));
    if (!kf.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read the TLS key %1: %2").arg(keyFile, kf.errorString()));
    const auto certs = QSslCertificate::fromDevice(&cf, QSsl::Pem);
    if (certs.isEmpty())
        return fail(QStringLiteral("no PEM certificate in %1").arg(certFile));
    QSslKey key(&kf, QSsl::Rsa, QSsl::Pem);
    if (key.isNull()) {
        kf.seek(0);
        key = QSslKey(&kf, QSsl::Ec, QSsl::Pem);
    }
    if (key.isNull())
        return fail(QStringLiteral("no unencrypted PEM private key (RSA or EC) in %1").arg(keyFile));
    auto *ssl = new QSslServer(this);
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    conf.setLocalCertificateChain(certs);
    conf.setPrivateKey(key);
    conf.setPeerVerifyMode(QSslSocket::VerifyNone);
    ssl->setSslConfiguration(conf);
    ssl->setHandshakeTimeout(kHeadTimeoutMs);
    delete m_tcp;
    m_tcp = ssl;
    m_tls = true;
    return true;
}

bool HttpFront::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (!m_tcp)
        m_tcp = new QTcpServer(this);
    m_tcp->setMaxPendingConnections(100000);
    m_tcp->setListenBacklogSize(4096); // 1,000 clients connecting at once must not see refusals
    connect(m_tcp, &QTcpServer::pendingConnectionAvailable, this, &HttpFront::onNewConnection);
    if (!m_tcp->listen(address, port)) {
        if (error)
            *error = QStringLiteral("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(m_tcp->errorString());
        return false;
    }
    return true;
}

quint16 HttpFront::port() const { return m_tcp ? m_tcp->serverPort() : 0; }

void HttpFront::stopListening()
{
    if (m_tcp)
        m_tcp->close();
}

void HttpFront::onNewConnection()
{
    while (QTcpSocket *socket = m_tcp->nextPendingConnection()) {
        socket->setParent(this);
        // No Nagle: a search streams many small frames, and Nagle holding each one until the
        // client's delayed ACK added tens of milliseconds to search_complete over loopback.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        auto *p = new Pending;
        p->request.peer = socket->peerAddress();
        m_pending.insert(socket, p);
        p->timer.setSingleShot(true);
        connect(&p->timer, &QTimer::timeout, socket, [this, socket] { fail(socket, 408, "request head not received in time"); });
        p->timer.start(kHeadTimeoutMs);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            if (Pending *pp = m_pending.take(socket)) {
                if (pp->file)
                    pp->file->remove();
                delete pp;
            }
            socket->deleteLater();
        });
        if (socket->bytesAvailable() > 0)
            onReadyRead(socket);
    }
}

void HttpFront::fail(QTcpSocket *socket, int status, const QByteArray &message)
{
    if (Pending *p = m_pending.take(socket)) {
        if (p->file)
            p->file->remove();
        delete p;
    }
    HttpReply(socket).sendJson(status, "{\"error\":\"" + message + "\"}");
}

void HttpFront::onReadyRead(QTcpSocket *socket)
{
    Pending *p = m_pending.value(socket);
    if (!p)
        return;
    if (!p->headDone) {
        // Peek, do not read: a WebSocket upgrade must reach QWebSocketServer with its bytes.
        const QByteArray head = socket->peek(kMaxHead);
        const qsizetype end = head.indexOf("\r\n\r\n");
        if (end < 0) {
            if (head.size() >= kMaxHead)
                fail(socket, 400, "request head too large");
            return;
        }
        const QList<QByteArray> lines = head.left(end).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            fail(socket, 400, "malformed request line");
            return;
        }
        HttpRequest &r = p->request;
        r.method = requestLine[0];
        const QUrl url(QString::fromLatin1(requestLine[1]));
        r.path = url.path();
        r.query = QUrlQuery(url);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            r.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
        }
        const bool upgrade = r.headers.value("upgrade").toLower() == "websocket";
        if (upgrade) {
            if (r.path != QLatin1String("/api/v1/ws")) {
                fail(socket, 404, "no WebSocket endpoint here; use /api/v1/ws");
                return;
            }
            Pending *pp = m_pending.take(socket);
            delete pp;
            socket->disconnect(this);
            socket->setParent(nullptr);
            const QString peer = peerKey(socket->peerAddress(), socket->peerPort());
            m_upgrading.insert(peer, socket);
            connect(socket, &QTcpSocket::disconnected, this, [this, peer, socket] {
                if (m_upgrading.value(peer) == socket)
                    m_upgrading.remove(peer);
            });
            m_ws->handleConnection(socket);
            // QWebSocketServer stays connected to every handed-over socket's disconnected() for
            // the socket's whole life, and its slot calls sender(), which walks the list of all of
            // them: O(connections) per close, minutes for a shutdown with 10,000 clients. Free the
            // socket on disconnect ourselves, as that slot would (deleteLater), without the walk.
            QObject::disconnect(socket, &QTcpSocket::disconnected, m_ws, nullptr);
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            return;
        }
        socket->read(end + 4); // consume the head
        p->headDone = true;
        p->streaming = m_streamedPaths.contains(r.path) && r.method == "POST";
        if (r.headers.contains("transfer-encoding")) {
            // Chunked bodies (curl -T -, scripts piping a mailbox) only where the body is
            // streamed to disk; with Content-Length too it is ambiguous (request smuggling).
            if (r.headers.value("transfer-encoding").toLower() != "chunked") {
                fail(socket, 501, "only the chunked transfer encoding is supported");
                return;
            }
            if (r.headers.contains("content-length")) {
                fail(socket, 400, "Content-Length and Transfer-Encoding together");
                return;
            }
            if (!p->streaming) {
                fail(socket, 411, "chunked bodies only for POST /api/v1/uploads; send Content-Length");
                return;
            }
            p->chunked = true;
        }
        bool ok = true;
        p->expected = r.headers.contains("content-length") ? r.headers.value("content-length").toLongLong(&ok) : 0;
        if (!ok || p->expected < 0) {
            fail(socket, 400, "bad Content-Length");
            return;
        }
        if (p->streaming) {
            if (p->expected > m_streamMax) {
                fail(socket, 413, "body larger than max-http-upload-bytes");
                return;
            }
            if (const int status = m_streamCheck ? m_streamCheck(r) : 0; status != 0) {
                fail(socket, status, status == 401 ? "missing or invalid token" : "refused");
                return;
            }
            QDir().mkpath(m_streamDir);
            unsigned char rnd[8];
            randombytes_buf(rnd, sizeof rnd);
            p->file = std::make_unique<QFile>(QDir(m_streamDir).filePath(
                QStringLiteral("http-%1.part").arg(QString::fromLatin1(QByteArray(reinterpret_cast<char *>(rnd), 8).toHex()))));
            if (!p->file->open(QIODevice::WriteOnly)) {
                fail(socket, 500, "cannot store the body");
                return;
            }
            r.bodyFile = p->file->fileName();
        } else if (p->expected > kMaxSmallBody) {
            fail(socket, 413, "body too large");
            return;
        }
        if (r.headers.value("expect").toLower() == "100-continue")
            socket->write("HTTP/1.1 100 Continue\r\n\r\n"); // checks passed: the client may send the body
        // The body may take long for big uploads: the timer now guards against stalls only.
        p->timer.start(kHeadTimeoutMs * 3);
    }
    HttpRequest &r = p->request;
    if (p->chunked) {
        switch (readChunked(socket, p)) {
        case BodyState::NeedMore:
            p->timer.start(kHeadTimeoutMs * 3);
            return;
        case BodyState::Failed:
            return;
        case BodyState::Complete:
            dispatch(socket);
            return;
        }
    }
    if (p->streaming) {
        while (socket->bytesAvailable() > 0 && r.bodySize < p->expected) {
            const QByteArray chunk = socket->read(std::min<qint64>(p->expected - r.bodySize, 1 << 20));
            if (p->file->write(chunk) != chunk.size()) {
                fail(socket, 500, "cannot store the body");
                return;
            }
            r.bodySize += chunk.size();
        }
    } else {
        r.body += socket->read(p->expected - r.body.size());
        r.bodySize = r.body.size();
    }
    if (r.bodySize < p->expected) {
        p->timer.start(kHeadTimeoutMs * 3);
        return;
    }
    dispatch(socket);
}

HttpFront::BodyState HttpFront::readChunked(QTcpSocket *socket, Pending *p)
{
    constexpr qint64 kMaxLine = 4096; // a chunk-size line or a trailer field
    HttpRequest &r = p->request;
    while (true) {
        switch (p->chunk) {
        case Pending::Chunk::Size: {
            if (!socket->canReadLine()) {
                if (socket->bytesAvailable() > kMaxLine) {
                    fail(socket, 400, "bad chunk size line");
                    return BodyState::Failed;
                }
                return BodyState::NeedMore;
            }
            QByteArray line = socket->readLine(kMaxLine + 1).trimmed();
            if (const qsizetype semi = line.indexOf(';'); semi >= 0)
                line.truncate(semi); // chunk extensions are ignored
            bool ok = false;
            const qint64 size = line.trimmed().toLongLong(&ok, 16);
            if (!ok || size < 0) {
                fail(socket, 400, "bad chunk size");
                return BodyState::Failed;
            }
            if (size == 0) {
                p->chunk = Pending::Chunk::Trailer;
                break;
            }
            if (r.bodySize + size > m_streamMax) {
                fail(socket, 413, "body larger than max-http-upload-bytes");
                return BodyState::Failed;
            }
            p->chunkLeft = size;
            p->chunk = Pending::Chunk::Data;
            break;
        }
        case Pending::Chunk::Data: {
            if (socket->bytesAvailable() <= 0)
                return BodyState::NeedMore;
            const QByteArray data = socket->read(std::min<qint64>(p->chunkLeft, 1 << 20));
            if (p->file->write(data) != data.size()) {
                fail(socket, 500, "cannot store the body");
                return BodyState::Failed;
            }
            r.bodySize += data.size();
            p->chunkLeft -= data.size();
            if (p->chunkLeft == 0)
                p->chunk = Pending::Chunk::DataEnd;
            break;
        }
        case Pending::Chunk::DataEnd: {
            if (socket->bytesAvailable() < 2)
                return BodyState::NeedMore;
            if (socket->read(2) != "\r\n") {
                fail(socket, 400, "chunk not followed by CRLF");
                return BodyState::Failed;
            }
            p->chunk = Pending::Chunk::Size;
            break;
        }
        case Pending::Chunk::Trailer: {
            if (!socket->canReadLine()) {
                if (socket->bytesAvailable() > kMaxLine) {
                    fail(socket, 400, "trailer too large");
                    return BodyState::Failed;
                }
                return BodyState::NeedMore;
            }
            if (socket->readLine(kMaxLine + 1).trimmed().isEmpty())
                return BodyState::Complete; // trailer fields, if any, are ignored
            break;
        }
        }
    }
}

void HttpFront::dispatch(QTcpSocket *socket)
{
    std::unique_ptr<Pending> p(m_pending.take(socket));
    p->timer.stop();
    if (p->file) {
        p->file->close();
        p->file.reset(); // the handler owns the file now
    }
    auto reply = std::make_shared<HttpReply>(socket);
    if (m_handler)
        m_handler(p->request, reply);
    else
        reply->sendJson(404, "{\"error\":\"not found\"}");
}

void HttpFront::onWebSocketServerConnection()
{
    while (QWebSocket *ws = m_ws->nextPendingConnection()) {
        QPointer<QTcpSocket> transport = m_upgrading.take(peerKey(ws->peerAddress(), ws->peerPort()));
        Q_EMIT webSocketConnected(ws, transport.data());
    }
}

} // namespace emailrag::server
