#include "openaitestserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>
#include <QUrl>

QJsonObject OpenAiTestServer::Request::json() const
{
    return QJsonDocument::fromJson(body).object();
}

OpenAiTestServer::OpenAiTestServer(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &OpenAiTestServer::onNewConnection);
}

bool OpenAiTestServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl OpenAiTestServer::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(m_server.serverPort()));
}

QByteArray OpenAiTestServer::deltaEvent(const QString &content, const QString &finishReason, bool crlf)
{
    QJsonObject delta;
    if (!content.isNull())
        delta.insert(QStringLiteral("content"), content);
    QJsonObject choice{{QStringLiteral("index"), 0}, {QStringLiteral("delta"), delta},
                       {QStringLiteral("finish_reason"), finishReason.isEmpty() ? QJsonValue() : QJsonValue(finishReason)}};
    QJsonObject chunk{{QStringLiteral("id"), QStringLiteral("chatcmpl-test")},
                      {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                      {QStringLiteral("created"), 1700000000},
                      {QStringLiteral("model"), QStringLiteral("test-model")},
                      {QStringLiteral("choices"), QJsonArray{choice}}};
    const QByteArray eol = crlf ? "\r\n" : "\n";
    return "data: " + QJsonDocument(chunk).toJson(QJsonDocument::Compact) + eol + eol;
}

QByteArray OpenAiTestServer::doneEvent()
{
    return "data: [DONE]\n\n";
}

QByteArray OpenAiTestServer::errorBody(const QString &message, const QString &code, const QString &type)
{
    QJsonObject err{{QStringLiteral("message"), message}, {QStringLiteral("type"), type},
                    {QStringLiteral("code"), code.isEmpty() ? QJsonValue() : QJsonValue(code)}};
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), err}}).toJson(QJsonDocument::Compact);
}

OpenAiTestServer::Script OpenAiTestServer::streamText(const QStringList &pieces, int delayMs)
{
    Script s;
    s.pieces << Piece{deltaEvent(QString(), QString()).replace("{}", "{\"role\":\"assistant\"}"), 0};
    for (const QString &p : pieces)
        s.pieces << Piece{deltaEvent(p), delayMs};
    s.pieces << Piece{deltaEvent(QString(), QStringLiteral("stop")), delayMs};
    s.pieces << Piece{doneEvent(), 0};
    return s;
}

void OpenAiTestServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        ++m_open;
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            --m_open;
            ++m_disconnects;
            m_buffers.remove(socket);
            socket->deleteLater();
            Q_EMIT clientDisconnected();
        });
    }
}

void OpenAiTestServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buf = m_buffers[socket];
    buf += socket->readAll();
    const qsizetype headerEnd = buf.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return;
    Request r;
    const QList<QByteArray> lines = buf.left(headerEnd).split('\n');
    const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
    r.method = first.value(0);
    r.path = first.value(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            r.headers.insert(lines.at(i).left(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed());
    }
    const qsizetype length = r.headers.value("content-length").toLongLong();
    if (buf.size() < headerEnd + 4 + length)
        return; // wait for the whole body
    r.body = buf.mid(headerEnd + 4, length);
    buf.clear();
    m_requests << r;
    Q_EMIT requestReceived();
    respond(socket);
}

void OpenAiTestServer::respond(QTcpSocket *socket)
{
    if (m_script.ending == Ending::NoResponse)
        return;
    QByteArray head = "HTTP/1.1 " + QByteArray::number(m_script.status) + (m_script.status < 400 ? " OK" : " Error") + "\r\n";
    head += "Content-Type: " + m_script.contentType + "\r\n";
    head += "Cache-Control: no-cache\r\n";
    if (m_script.chunked) {
        head += "Transfer-Encoding: chunked\r\n";
    } else if (m_script.contentType.startsWith("application/json") && m_script.ending == Ending::Complete) {
        qsizetype total = 0;
        for (const Piece &p : std::as_const(m_script.pieces))
            total += p.bytes.size();
        head += "Content-Length: " + QByteArray::number(total) + "\r\n";
    }
    head += "Connection: close\r\n\r\n";
    socket->write(head);
    sendPiece(socket, 0);
}

void OpenAiTestServer::sendPiece(QPointer<QTcpSocket> socket, int index)
{
    if (!socket)
        return;
    if (index >= m_script.pieces.size()) {
        finishResponse(socket);
        return;
    }
    const Piece &piece = m_script.pieces.at(index);
    auto send = [this, socket, index] {
        if (!socket || socket->state() != QAbstractSocket::ConnectedState)
            return;
        const QByteArray &bytes = m_script.pieces.at(index).bytes;
        if (m_script.chunked)
            socket->write(QByteArray::number(bytes.size(), 16) + "\r\n" + bytes + "\r\n");
        else
            socket->write(bytes);
        socket->flush();
        sendPiece(socket, index + 1);
    };
    if (piece.delayMs > 0)
        QTimer::singleShot(piece.delayMs, this, send);
    else
        send();
}

void OpenAiTestServer::finishResponse(QPointer<QTcpSocket> socket)
{
    if (!socket)
        return;
    switch (m_script.ending) {
    case Ending::Complete:
        if (m_script.chunked)
            socket->write("0\r\n\r\n");
        socket->flush();
        socket->disconnectFromHost();
        break;
    case Ending::Cut:
        // Close after the data is out, without [DONE] and without the terminating chunk.
        socket->disconnectFromHost();
        break;
    case Ending::Stall:
    case Ending::NoResponse:
        break;
    }
}
