#pragma once

#include <QHash>
#include <QtGlobal>

namespace emailrag::server {

// A token bucket: `capacity` tokens, refilled continuously at capacity per `periodMs`.
// Plain value type.
class TokenBucket
{
public:
    TokenBucket() = default;
    TokenBucket(double capacity, qint64 periodMs, qint64 nowMs);

    // Takes one token; false (and how long until one is available) when empty.
    bool take(qint64 nowMs, qint64 *retryAfterMs = nullptr);
    double tokens(qint64 nowMs) const;
    double capacity() const { return m_capacity; }

private:
    void refill(qint64 nowMs);
    double m_capacity = 0;
    double m_perMs = 0;
    double m_tokens = 0;
    qint64 m_lastMs = 0;
};

// The server's message budget (docs/server.md "Rate limiting"): every connection has its own
// bucket of `perMinute` messages per minute; all connections of one user together have a bucket
// of perMinute x userMultiplier. A new connection of a user starts with the tokens its user's
// last closed connection had left (refilled for the time since), so reconnecting never resets the
// budget faster than the limit allows. Also counts refusals to decide when a client floods.
// Lives on the server thread; used by sessions through the server; not thread-safe.
class RateLimiter
{
public:
    RateLimiter(int perMinute, int userMultiplier, int floodAfter);

    struct Connection
    {
        qint64 userId = 0;
        TokenBucket bucket;
        int refusedInWindow = 0;
        qint64 windowStartMs = 0;
    };

    Connection open(qint64 userId, qint64 nowMs);
    void close(const Connection &c, qint64 nowMs);

    enum class Verdict { Allowed, Refused, Flooding };
    Verdict take(Connection &c, qint64 nowMs, qint64 *retryAfterMs);

    static constexpr qint64 kPeriodMs = 60000;

private:
    int m_perMinute;
    int m_userMultiplier;
    int m_floodAfter;
    QHash<qint64, TokenBucket> m_users;     // aggregate per user
    QHash<qint64, TokenBucket> m_lastClosed; // per-connection state left by the last closed connection
};

} // namespace emailrag::server
