#pragma once

#include <QHash>
#include <QObject>
#include <QString>

#include <chrono>

class QTimer;

namespace emailrag::protocol {

// Client-side request ids and timeouts: nextId() gives "req_1", "req_2", ...; track() starts a
// timeout for an id that finish() stops; touch() restarts it (for streams: each chunk or result
// proves the request alive). Lives on the client connection's thread; owned by its parent.
// Fails only by emitting requestTimedOut() (after which the id is no longer pending).
class RequestTracker : public QObject
{
    Q_OBJECT
public:
    explicit RequestTracker(QObject *parent = nullptr);
    ~RequestTracker() override;

    QString nextId();
    void track(const QString &requestId, std::chrono::milliseconds timeout);
    bool touch(const QString &requestId); // false if not pending
    bool finish(const QString &requestId); // false if not pending
    bool isPending(const QString &requestId) const;
    int pendingCount() const;
    void clear(); // forget all, no signals (e.g. on disconnect)

Q_SIGNALS:
    void requestTimedOut(const QString &requestId);

private:
    quint64 m_next = 0;
    QHash<QString, QTimer *> m_pending;
};

} // namespace emailrag::protocol
