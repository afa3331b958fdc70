#include "protocolserver.h"

#include <QUrlQuery>
#include <QWebSocket>

namespace emailrag::test {

namespace P = emailrag::protocol;

ProtocolServer::ProtocolServer(QObject *parent)
    : QObject(parent)
{
    clock.start();
}

ProtocolServer::~ProtocolServer() { stop(); }

bool ProtocolServer::listen(quint16 port)
{
    m_server = new QWebSocketServer(QStringLiteral("test"), QWebSocketServer::NonSecureMode, this);
    connect(m_server, &QWebSocketServer::newConnection, this, &ProtocolServer::onNewConnection);
    if (!m_server->listen(QHostAddress::LocalHost, port ? port : m_port))
        return false;
    m_port = m_server->serverPort();
    return true;
}

void ProtocolServer::stop()
{
    for (const auto &ep : std::as_const(m_endpoints)) {
        if (ep) {
            ep->socket()->abort();
            ep->deleteLater();
        }
    }
    m_endpoints.clear();
    if (m_server) {
        m_server->close();
        m_server->deleteLater();
        m_server = nullptr;
    }
}

int ProtocolServer::countOf(const QString &type) const { return int(ofType(type).size()); }

QList<ProtocolServer::Received> ProtocolServer::ofType(const QString &type) const
{
    QList<Received> out;
    for (const Received &r : received) {
        if (P::messageType(r.envelope.message) == type)
            out << r;
    }
    return out;
}

void ProtocolServer::push(const P::ServerMessage &message)
{
    for (const auto &ep : std::as_const(m_endpoints)) {
        if (ep)
            ep->send(message);
    }
}

void ProtocolServer::disconnectAll(qint64 reconnectDelayMs, quint16 closeCode, const QString &reason)
{
    for (const auto &ep : std::as_const(m_endpoints)) {
        if (!ep)
            continue;
        ep->send(P::Disconnecting{reason, reconnectDelayMs});
        ep->close(closeCode, reason);
    }
}

void ProtocolServer::onNewConnection()
{
    while (QWebSocket *socket = m_server->nextPendingConnection()) {
        const QString token = QUrlQuery(socket->requestUrl()).queryItemValue(QStringLiteral("token"));
        auto *ep = new P::Endpoint(P::Endpoint::Role::Server, socket, this);
        if (!acceptedTokens.isEmpty() && !acceptedTokens.contains(token)) {
            ep->sendError(P::ErrorCode::Unauthorized, QStringLiteral("invalid token"));
            ep->close(4001, QStringLiteral("unauthorized"));
            ep->deleteLater();
            continue;
        }
        const int index = ++connections;
        tokensSeen << token;
        connectTimesMs << clock.elapsed();
        m_endpoints << ep;
        m_buckets.insert(index, Bucket{rateCapacity, clock.elapsed()});
        connect(ep, &P::Endpoint::clientMessageReceived, this,
                [this, ep, index](const P::ClientEnvelope &env) { onMessage(ep, index, env); });
        ep->send(P::Connected{QStringLiteral("session_%1").arg(index), QStringLiteral("user_1"), std::nullopt});
    }
}

void ProtocolServer::onMessage(P::Endpoint *ep, int index, const P::ClientEnvelope &env)
{
    received << Received{index, clock.elapsed(), env};
    const QString &id = env.requestId;

    Bucket &b = m_buckets[index];
    const qint64 now = clock.elapsed();
    b.tokens = std::min(rateCapacity, b.tokens + (now - b.last) * ratePerSecond / 1000.0);
    b.last = now;
    if (b.tokens < 1.0) {
        ++rateLimitedReplies;
        P::ErrorMessage e;
        e.code = P::ErrorCode::RateLimited;
        e.message = QStringLiteral("rate limited");
        e.retryAfterMs = 1000;
        ep->send(e, id);
        return;
    }
    b.tokens -= 1.0;

    const QString type = P::messageType(env.message);
    if (silentTypes.contains(type))
        return;
    std::visit(
        [&](const auto &m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, P::Ping>) {
                ep->send(P::Pong{}, id);
            } else if constexpr (std::is_same_v<T, P::Subscribe>) {
                ep->send(P::Subscribed{m.channels}, id);
            } else if constexpr (std::is_same_v<T, P::Unsubscribe>) {
                ep->send(P::Unsubscribed{{}}, id);
            } else if constexpr (std::is_same_v<T, P::StreamSearch>) {
                for (int i = 0; i < searchHits; ++i) {
                    P::SearchResult r;
                    r.emailId = QStringLiteral("%1_email_%2").arg(m.query).arg(i);
                    r.subject = QStringLiteral("%1 hit %2").arg(m.query).arg(i);
                    r.score = 1.0 - i * 0.1;
                    ep->send(r, id);
                }
                ep->send(P::SearchComplete{searchHits, 5, std::nullopt}, id);
            } else if constexpr (std::is_same_v<T, P::RefreshToken>) {
                ep->send(P::TokenRefreshed{refreshedToken, 3600}, id);
            } else if constexpr (std::is_same_v<T, P::GetSystemStatus>) {
                ep->send(P::SystemStatus{}, id);
            } else if constexpr (std::is_same_v<T, P::ChatMessage>) {
                const QString conv = m.conversationId.value_or(QStringLiteral("conv_1"));
                for (const QString &part : {QStringLiteral("Hello "), QStringLiteral("from "), QStringLiteral("the test.")})
                    ep->send(P::ChatResponseChunk{part, conv}, id);
                ep->send(P::ChatResponseComplete{conv, {P::ChatSource{QStringLiteral("email_1"), 0.9, {}, {}, {}, {}}}}, id);
            } else {
                ep->sendError(P::ErrorCode::NotFound, QStringLiteral("not handled by the test server"), id);
            }
        },
        env.message);
}

} // namespace emailrag::test
