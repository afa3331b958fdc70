#include "embedtestserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>

namespace emailrag::test {

EmbedTestServer::EmbedTestServer(QObject *parent)
    : QObject(parent)
{
    m_server.listen(QHostAddress::LocalHost, 0);
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *s = m_server.nextPendingConnection()) {
            connect(s, &QTcpSocket::readyRead, this, [this, s] { onReadyRead(s); });
            connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
        }
    });
}

QUrl EmbedTestServer::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(m_server.serverPort()));
}

void EmbedTestServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buf = m_buffers[socket];
    buf += socket->readAll();
    const qsizetype headerEnd = buf.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return;
    const QList<QByteArray> lines = buf.left(headerEnd).split('\n');
    qsizetype length = 0;
    Request req;
    const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
    req.path = first.value(1);
    for (const QByteArray &l : lines.mid(1)) {
        const qsizetype colon = l.indexOf(':');
        const QByteArray name = l.left(colon).trimmed().toLower();
        const QByteArray value = l.mid(colon + 1).trimmed();
        if (name == "content-length")
            length = value.toLongLong();
        else if (name == "authorization")
            req.authorization = value;
    }
    if (buf.size() < headerEnd + 4 + length)
        return;
    req.body = QJsonDocument::fromJson(buf.mid(headerEnd + 4, length)).object();
    buf.remove(0, headerEnd + 4 + length);
    m_requests << req;
    const Reply reply = m_handler ? m_handler(req) : Reply{404, errorBody(QStringLiteral("no handler"))};
    if (reply.silent)
        return;
    QByteArray out = "HTTP/1.1 " + QByteArray::number(reply.status) + (reply.status == 200 ? " OK" : " Error")
        + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(reply.body.size())
        + "\r\nConnection: keep-alive\r\n\r\n" + reply.body;
    socket->write(out);
}

QByteArray EmbedTestServer::embeddingsBody(const QList<QList<double>> &vectors, const QString &model, bool reversed)
{
    QJsonArray data;
    for (int i = 0; i < vectors.size(); ++i) {
        const int index = reversed ? int(vectors.size()) - 1 - i : i;
        QJsonArray emb;
        for (double x : vectors[index])
            emb << x;
        data << QJsonObject{{QStringLiteral("object"), QStringLiteral("embedding")},
                            {QStringLiteral("embedding"), emb},
                            {QStringLiteral("index"), index}};
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("object"), QStringLiteral("list")},
                                     {QStringLiteral("data"), data},
                                     {QStringLiteral("model"), model},
                                     {QStringLiteral("usage"), QJsonObject{{QStringLiteral("prompt_tokens"), 8},
                                                                           {QStringLiteral("total_tokens"), 8}}}})
        .toJson(QJsonDocument::Compact);
}

QByteArray EmbedTestServer::errorBody(const QString &message, const QString &type)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("error"),
                                      QJsonObject{{QStringLiteral("message"), message},
                                                  {QStringLiteral("type"), type},
                                                  {QStringLiteral("param"), QJsonValue()},
                                                  {QStringLiteral("code"), QJsonValue()}}}})
        .toJson(QJsonDocument::Compact);
}

} // namespace emailrag::test
