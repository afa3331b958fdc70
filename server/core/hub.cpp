#include "hub.h"

#include "futurewatch.h"
#include "logging.h"
#include "metrics.h"
#include "servercontext.h"
#include "session.h"
#include "uploadmanager.h"

#include "closecode.h"
#include "codec.h"
#include "dbworker.h"
#include "timestamp.h"

#if defined(HAVE_EMAILRAG_CHAT)
#include "chatengine.h"
#endif

#include <QAbstractEventDispatcher>
#include <QSqlQuery>

namespace emailrag::server {

using namespace emailrag::protocol;

Hub::Hub(ServerContext &context, QObject *parent) : QObject(parent), m_ctx(context)
{
    // Idle connections: a client that sent nothing (not even a ping or a WebSocket pong) for
    // twice the heartbeat interval is gone or half-open.
    m_sweep.setInterval(std::max(50, m_ctx.config.heartbeatIntervalMs / 4));
    connect(&m_sweep, &QTimer::timeout, this, &Hub::sweepIdle);
    m_sweep.start();
    // Writes queued during a pass go out at its end instead of through a write notifier each,
    // which would cost another pass — another poll over every socket — per reply.
    if (QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance(thread()))
        connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, this, &Hub::flushQueued);
    m_statusDebounce.setSingleShot(true);
    m_statusDebounce.setInterval(1000);
    connect(&m_statusDebounce, &QTimer::timeout, this, &Hub::pushSystemStatus);
}

void Hub::add(Session *session)
{
    m_sessions.insert(session);
    m_byUser[session->userId()].insert(session);
    systemStatusChanged();
}

void Hub::remove(Session *session)
{
    m_sessions.remove(session);
    auto it = m_byUser.find(session->userId());
    if (it != m_byUser.end()) {
        it->remove(session);
        if (it->isEmpty())
            m_byUser.erase(it);
    }
    if (!m_ctx.shuttingDown)
        systemStatusChanged();
}

int Hub::publishToUser(qint64 userId, const QString &channel, const ServerMessage &message)
{
    return publishToUser(userId, QStringList{channel}, message);
}

int Hub::publishToUser(qint64 userId, const QStringList &channels, const ServerMessage &message)
{
    const auto it = m_byUser.constFind(userId);
    if (it == m_byUser.cend())
        return 0;
    QString text; // encoded once, for all receivers
    int n = 0;
    for (Session *s : *it) {
        if (!s->isOpen() || std::none_of(channels.begin(), channels.end(), [s](const QString &c) { return s->isSubscribed(c); }))
            continue;
        if (text.isEmpty())
            text = encodeText(ServerEnvelope{message, QString(), currentTimestamp()});
        s->sendEncoded(text, messageType(message));
        ++n;
    }
    return n;
}

int Hub::publishToAll(const QString &channel, const ServerMessage &message, qint64 *queuedNs)
{
    QElapsedTimer clock;
    clock.start();
    const QString text = encodeText(ServerEnvelope{message, QString(), currentTimestamp()});
    const QString type = messageType(message);
    int n = 0;
    // Guarded: a send may close (and free, later) a slow session.
    QList<QPointer<Session>> receivers;
    receivers.reserve(m_sessions.size());
    for (Session *s : std::as_const(m_sessions)) {
        if (s->isOpen() && s->isSubscribed(channel))
            receivers.append(s);
    }
    for (const QPointer<Session> &s : std::as_const(receivers)) {
        if (s && s->isOpen()) {
            s->sendEncoded(text, type);
            ++n;
        }
    }
    if (queuedNs)
        *queuedNs = clock.nsecsElapsed();
    for (const QPointer<Session> &s : std::as_const(receivers)) {
        if (s)
            s->flush();
    }
    return n;
}

void Hub::markUnflushed(Session *session)
{
    m_unflushed.append(session);
}

void Hub::flushQueued()
{
    const QList<QPointer<Session>> sessions = std::exchange(m_unflushed, {});
    for (const QPointer<Session> &s : sessions) {
        if (s)
            s->flush(); // a no-op when the socket's buffer is empty (already flushed, or twice in the list)
    }
}

void Hub::systemStatusChanged()
{
    if (!m_statusDebounce.isActive())
        m_statusDebounce.start();
}

namespace {
struct Counts
{
    qint64 emails = 0;
};
} // namespace

void Hub::sendSystemStatus(Session *session, const QString &requestId)
{
    QPointer<Session> s(session);
    const qint64 userId = session->userId();
    whenFinished(this, m_ctx.db->run([userId](QSqlDatabase &db) {
        QSqlQuery q(db);
        storage::Database::exec(q, QStringLiteral("SELECT COUNT(*) FROM emails WHERE user_id = ?"), {userId});
        return q.next() ? q.value(0).toLongLong() : 0;
    }),
        [this, s, requestId, userId](qint64 emails) {
            if (!s || !s->isOpen())
                return;
            SystemStatus st;
            st.emailsIndexed = emails;
            st.uploadsRunning = m_ctx.uploads->running(userId);
            st.connections = count();
#if defined(HAVE_EMAILRAG_CHAT)
            if (m_ctx.chat) {
                const auto p = m_ctx.chat->providerConfig();
                const bool extractive = p.kind == chat::ProviderConfig::Kind::Extractive;
                st.providers.append({ extractive ? QStringLiteral("extractive")
                        : p.model.isEmpty()      ? p.baseUrl.host()
                                                 : p.model,
                    QStringLiteral("chat"), extractive || p.baseUrl.isValid() });
            }
#endif
            s->send(st, requestId);
        });
}

void Hub::pushSystemStatus()
{
    for (Session *s : std::as_const(m_sessions)) {
        if (s->isOpen() && s->isSubscribed(Channel::SystemStatus))
            sendSystemStatus(s);
    }
}

void Hub::sweepIdle()
{
    const qint64 now = m_ctx.nowMs();
    const qint64 limit = 2LL * m_ctx.config.heartbeatIntervalMs;
    const auto sessions = m_sessions;
    for (Session *s : sessions) {
        if (now - s->lastActivityMs() > limit) {
            qCInfo(lcCore) << "closing idle session" << s->sessionId();
            s->disconnectWith(QStringLiteral("idle_timeout"), CloseCode::PolicyViolation, 0);
        }
    }
}

} // namespace emailrag::server
