#pragma once

#include "endpoint.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QWebSocketServer>

// A small WebSocket server speaking the real protocol through protocol::Endpoint, for client
// tests that need exact control the real server does not give (silent requests, a chosen
// reconnect delay, a fast token expiry, a scaled-down rate limit). Loopback, port 0 on first
// listen, the same port after restart. Test-only; not a stand-in for the server in the CLI tests.
namespace emailrag::test {

class ProtocolServer : public QObject
{
    Q_OBJECT
public:
    struct Received
    {
        int connection = 0; // 1-based: which connection it came on
        qint64 atMs = 0;
        protocol::ClientEnvelope envelope;
    };

    explicit ProtocolServer(QObject *parent = nullptr);
    ~ProtocolServer() override;

    bool listen(quint16 port = 0);
    void stop(); // stop listening and abort every socket (like a crash)
    quint16 port() const { return m_port; }
    QString url() const { return QStringLiteral("ws://127.0.0.1:%1/api/v1/ws").arg(m_port); }

    // Behaviour.
    QSet<QString> acceptedTokens;  // empty: any token
    QSet<QString> silentTypes;     // message types that get no answer at all
    int searchHits = 3;            // search_result messages per stream_search
    QString refreshedToken = QStringLiteral("refreshed-token");
    double rateCapacity = 1e9;     // token bucket per connection (messages), like the real server
    double ratePerSecond = 1e9;

    // What happened.
    QList<Received> received;
    QStringList tokensSeen; // token query parameter of each accepted connection
    int connections = 0;
    int rateLimitedReplies = 0;
    QList<qint64> connectTimesMs;
    QElapsedTimer clock;

    int countOf(const QString &type) const;
    QList<Received> ofType(const QString &type) const;

    // Sends to every open connection.
    void push(const protocol::ServerMessage &message);
    void disconnectAll(qint64 reconnectDelayMs, quint16 closeCode = 1001, const QString &reason = QStringLiteral("server_shutdown"));

private:
    void onNewConnection();
    void onMessage(protocol::Endpoint *ep, int index, const protocol::ClientEnvelope &env);

    QWebSocketServer *m_server = nullptr;
    quint16 m_port = 0;
    QList<QPointer<protocol::Endpoint>> m_endpoints;
    struct Bucket
    {
        double tokens = 0;
        qint64 last = 0;
    };
    QHash<int, Bucket> m_buckets;
};

} // namespace emailrag::test
