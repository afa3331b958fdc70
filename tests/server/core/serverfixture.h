#pragma once

#include "server.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTemporaryDir>
#include <QWebSocket>

#include <memory>

// A real QWebSocket client for the integration tests: records every message as raw JSON (so the
// tests check the wire format exactly as the seed document shows it) and the close code.
class WsClient : public QObject
{
    Q_OBJECT
public:
    explicit WsClient(QObject *parent = nullptr);

    // Connects to `url` (token in the query when given) and waits for the socket to open.
    bool open(const QString &url, const QString &token, const QByteArray &bearer = {});
    bool openAndWaitConnected(const QString &url, const QString &token);

    void sendJson(const QJsonObject &o);
    void sendRaw(const QString &text) { m_ws.sendTextMessage(text); }
    void sendBinary(const QByteArray &b) { m_ws.sendBinaryMessage(b); }
    QJsonObject request(const QString &type, const QJsonObject &data, const QString &requestId);

    // Waits until a message of `type` (and `requestId` when given) arrived after `from`; returns it.
    QJsonObject waitFor(const QString &type, const QString &requestId = {}, int timeoutMs = 10000, int *index = nullptr);
    bool waitClosed(int timeoutMs = 10000);
    QList<QJsonObject> ofType(const QString &type) const;
    const QList<QJsonObject> &messages() const { return m_messages; }
    void clear() { m_messages.clear(); }

    QWebSocket &socket() { return m_ws; }
    bool isClosed() const { return m_closed; }
    int closeCode() const { return m_closeCode; }

private:
    QWebSocket m_ws;
    QList<QJsonObject> m_messages;
    bool m_closed = false;
    int m_closeCode = -1;
};

// A data directory with users and a started server on 127.0.0.1, port 0.
class ServerFixture
{
public:
    explicit ServerFixture(emailrag::server::ServerConfig overrides = {});
    ~ServerFixture();

    bool ok() const { return m_ok; }
    QString url() const { return m_server->webSocketUrl(); }
    QString httpBase() const;
    emailrag::server::Server &server() { return *m_server; }
    QString dataDir() const { return m_dir.path(); }
    QString tokenFor(const QString &user, int ttlSecs = 3600) const;
    qint64 userId(const QString &user) const;
    QString error;
    QString connectionName() const { return m_conn; }

private:
    QString m_conn;
    QTemporaryDir m_dir;
    std::unique_ptr<emailrag::server::Server> m_server;
    bool m_ok = false;
};

// A small mbox of `n` messages with `word` in every subject and body.
QByteArray makeMbox(int n, const QString &word, const QString &tag);
// SHA-256 hex of `data`.
QString sha256Hex(const QByteArray &data);
bool isSeedTimestamp(const QJsonValue &v);
