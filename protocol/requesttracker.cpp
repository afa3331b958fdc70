#include "requesttracker.h"

#include <QTimer>

namespace emailrag::protocol {

RequestTracker::RequestTracker(QObject *parent)
    : QObject(parent)
{
}

RequestTracker::~RequestTracker() = default; // timers are children

QString RequestTracker::nextId()
{
    return QStringLiteral("req_%1").arg(++m_next);
}

void RequestTracker::track(const QString &requestId, std::chrono::milliseconds timeout)
{
    QTimer *timer = m_pending.value(requestId);
    if (!timer) {
        timer = new QTimer(this);
        timer->setSingleShot(true);
        connect(timer, &QTimer::timeout, this, [this, requestId] {
            if (QTimer *t = m_pending.take(requestId)) {
                t->deleteLater();
                Q_EMIT requestTimedOut(requestId);
            }
        });
        m_pending.insert(requestId, timer);
    }
    timer->start(timeout);
}

bool RequestTracker::touch(const QString &requestId)
{
    QTimer *timer = m_pending.value(requestId);
    if (!timer)
        return false;
    timer->start(); // restarts with the same interval
    return true;
}

bool RequestTracker::finish(const QString &requestId)
{
    QTimer *timer = m_pending.take(requestId);
    if (!timer)
        return false;
    timer->stop();
    timer->deleteLater();
    return true;
}

bool RequestTracker::isPending(const QString &requestId) const
{
    return m_pending.contains(requestId);
}

int RequestTracker::pendingCount() const
{
    return int(m_pending.size());
}

void RequestTracker::clear()
{
    for (QTimer *timer : std::as_const(m_pending)) {
        timer->stop();
        timer->deleteLater();
    }
    m_pending.clear();
}

} // namespace emailrag::protocol
