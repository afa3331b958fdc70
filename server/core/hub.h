#pragma once

#include "fanoutwriter.h"
#include "servermessages.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

namespace emailrag::server {

class Session;
struct ServerContext;

// Every open session, by user, and the fan-out of pushes to the subscribers of a channel: a
// message is encoded once, framed once, and the same bytes go to every receiver — straight to
// the socket descriptors of receivers with nothing queued in Qt, written by the FanoutWriter on
// the server thread and its helper threads at once (docs/server.md "Threads and limits"), and
// through QWebSocket for the others (TLS, a backlog). Also the periodic sweep that closes idle
// connections and the debounced system_status push. Lives on the server thread, owned by the
// Server; sessions register themselves when authenticated. The FanoutWriter's helper threads
// only ever see descriptors and the frame, and only while a publish call waits for them.
class Hub : public QObject
{
    Q_OBJECT
public:
    explicit Hub(ServerContext &context, QObject *parent = nullptr);

    void add(Session *session);
    void remove(Session *session);
    int count() const { return int(m_sessions.size()); }
    QList<Session *> sessions() const { return m_sessions.values(); }
    QList<Session *> sessionsOf(qint64 userId) const { return m_byUser.value(userId).values(); }
    int countOf(qint64 userId) const { return int(m_byUser.value(userId).size()); }

    // Pushes (no request_id) to the user's sessions subscribed to `channel`; returns receivers.
    int publishToUser(qint64 userId, const QString &channel, const protocol::ServerMessage &message);
    // The same, to sessions subscribed to any of `channels` (each receives it once).
    int publishToUser(qint64 userId, const QStringList &channels, const protocol::ServerMessage &message);
    // Pushes to every session subscribed to `channel` (system notifications). `queuedNs`, when
    // given, gets the time spent encoding, framing and choosing the receivers' path (before any
    // write), for the benchmark's split of the fan-out time.
    int publishToAll(const QString &channel, const protocol::ServerMessage &message, qint64 *queuedNs = nullptr);

    // A session queued bytes on its socket: they are written when this event-loop pass ends
    // (just before the thread waits again), together with every other reply of the pass.
    void markUnflushed(Session *session);

    // Something in system_status changed; pushes a fresh one to subscribers within a second.
    void systemStatusChanged();
    // Sends system_status now to one session (on subscribe and for get_system_status).
    void sendSystemStatus(Session *session, const QString &requestId = {});

private:
    // Encodes once, sends to every receiver now (directly where possible), returns receivers.
    int deliver(const protocol::ServerMessage &message, const QList<QPointer<Session>> &receivers, qint64 *queuedNs);
    void sweepIdle();
    void flushQueued();
    void pushSystemStatus();

    ServerContext &m_ctx;
    QSet<Session *> m_sessions;
    QHash<qint64, QSet<Session *>> m_byUser;
    QTimer m_sweep;
    QTimer m_statusDebounce;
    QList<QPointer<Session>> m_unflushed;
    FanoutWriter m_writer;
};

} // namespace emailrag::server
