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
#include <QThread>

namespace emailrag::server {

using namespace emailrag::protocol;

Hub::Hub(ServerContext &context, QObject *parent)
    : QObject(parent), m_ctx(context), m_writer(context.config.fanoutThreads > 0 ? context.config.fanoutThreads
                                                                                  : std::min(4, QThread::idealThreadCount()))
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
    QList<QPointer<Session>> receivers;
    for (Session *s : *it) {
        if (s->isOpen() && std::any_of(channels.begin(), channels.end(), [s](const QString &c) { return s->isSubscribed(c); }))
            receivers.append(s);
    }
    return deliver(message, receivers, nullptr);
}

int Hub::publishToAll(const QString &channel, const ServerMessage &message, qint64 *queuedNs)
{
    QElapsedTimer clock;
    clock.start();
    QList<QPointer<Session>> receivers;
    receivers.reserve(m_sessions.size());
    for (Session *s : std::as_const(m_sessions)) {
        if (s->isOpen() && s->isSubscribed(channel))
            receivers.append(s);
    }
    const qint64 gatheredNs = clock.nsecsElapsed();
    const int n = deliver(message, receivers, queuedNs);
    if (queuedNs)
        *queuedNs += gatheredNs;
    return n;
}

int Hub::deliver(const ServerMessage &message, const QList<QPointer<Session>> &receivers, qint64 *queuedNs)
{
    if (receivers.isEmpty())
        return 0;
    QElapsedTimer clock;
    clock.start();
    const QString text = encodeText(ServerEnvelope{message, QString(), currentTimestamp()});
    const QString type = messageType(message);
    // Receivers whose socket has nothing queued in Qt get the frame on their descriptor; the
    // others (TLS, a backlog, closing) through QWebSocket, behind what they already have.
    std::vector<FanoutWriter::Target> targets;
    QList<QPointer<Session>> direct, queued;
    targets.reserve(size_t(receivers.size()));
    for (const QPointer<Session> &s : receivers) {
        if (!s || !s->isOpen())
            continue;
        const int fd = s->directDescriptor();
        if (fd >= 0) {
            targets.push_back({fd, 0});
            direct.append(s);
        } else {
            queued.append(s);
        }
    }
    const QByteArray frame = targets.empty() ? QByteArray() : FanoutWriter::textFrame(text.toUtf8());
    for (const QPointer<Session> &s : std::as_const(queued)) {
        if (s && s->isOpen())
            s->sendEncoded(text, type); // may drop a slow reader (its own socket only)
    }
    if (queuedNs)
        *queuedNs = clock.nsecsElapsed();
    // Guarded: nothing here runs the event loop, so every direct receiver is still alive and
    // its descriptor open until the writer returns; a session dropped afterwards is freed later.
    m_writer.write(frame, targets);
    for (qsizetype i = 0; i < direct.size(); ++i) {
        if (direct[i])
            direct[i]->directWritten(frame, targets[size_t(i)].sent, type);
    }
    for (const QPointer<Session> &s : std::as_const(queued)) {
        if (s)
            s->flush();
        m_ctx.metrics->fanoutQueued();
    }
    return int(direct.size() + queued.size());
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
