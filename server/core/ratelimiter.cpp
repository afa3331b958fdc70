#include "ratelimiter.h"

#include <algorithm>
#include <cmath>

namespace emailrag::server {

TokenBucket::TokenBucket(double capacity, qint64 periodMs, qint64 nowMs)
    : m_capacity(capacity), m_perMs(capacity / double(periodMs)), m_tokens(capacity), m_lastMs(nowMs)
{
}

void TokenBucket::refill(qint64 nowMs)
{
    if (nowMs > m_lastMs) {
        m_tokens = std::min(m_capacity, m_tokens + double(nowMs - m_lastMs) * m_perMs);
        m_lastMs = nowMs;
    }
}

double TokenBucket::tokens(qint64 nowMs) const
{
    TokenBucket copy = *this;
    copy.refill(nowMs);
    return copy.m_tokens;
}

bool TokenBucket::take(qint64 nowMs, qint64 *retryAfterMs)
{
    refill(nowMs);
    if (m_tokens >= 1.0) {
        m_tokens -= 1.0;
        return true;
    }
    if (retryAfterMs)
        *retryAfterMs = m_perMs > 0 ? qint64(std::ceil((1.0 - m_tokens) / m_perMs)) : 60000;
    return false;
}

RateLimiter::RateLimiter(int perMinute, int userMultiplier, int floodAfter)
    : m_perMinute(perMinute), m_userMultiplier(userMultiplier), m_floodAfter(floodAfter)
{
}

RateLimiter::Connection RateLimiter::open(qint64 userId, qint64 nowMs)
{
    Connection c;
    c.userId = userId;
    c.windowStartMs = nowMs;
    auto it = m_lastClosed.find(userId);
    if (it != m_lastClosed.end()) {
        c.bucket = *it; // refills lazily from the time it was stored
        if (c.bucket.tokens(nowMs) >= c.bucket.capacity())
            m_lastClosed.erase(it);
    } else {
        c.bucket = TokenBucket(m_perMinute, kPeriodMs, nowMs);
    }
    if (!m_users.contains(userId))
        m_users.insert(userId, TokenBucket(double(m_perMinute) * m_userMultiplier, kPeriodMs, nowMs));
    return c;
}

void RateLimiter::close(const Connection &c, qint64 nowMs)
{
    // Keep the emptiest state of the user's recently closed connections.
    auto it = m_lastClosed.find(c.userId);
    if (it == m_lastClosed.end() || c.bucket.tokens(nowMs) < it->tokens(nowMs))
        m_lastClosed.insert(c.userId, c.bucket);
    // Forget full buckets so that the maps do not grow with every user ever seen.
    for (auto u = m_users.begin(); u != m_users.end();) {
        if (u->tokens(nowMs) >= u->capacity())
            u = m_users.erase(u);
        else
            ++u;
    }
}

RateLimiter::Verdict RateLimiter::take(Connection &c, qint64 nowMs, qint64 *retryAfterMs)
{
    if (nowMs - c.windowStartMs >= kPeriodMs) {
        c.windowStartMs = nowMs;
        c.refusedInWindow = 0;
    }
    auto user = m_users.find(c.userId);
    if (user == m_users.end())
        user = m_users.insert(c.userId, TokenBucket(double(m_perMinute) * m_userMultiplier, kPeriodMs, nowMs));

    qint64 waitConn = 0, waitUser = 0;
    const bool connOk = c.bucket.tokens(nowMs) >= 1.0;
    const bool userOk = user->tokens(nowMs) >= 1.0;
    if (connOk && userOk) {
        c.bucket.take(nowMs);
        user->take(nowMs);
        return Verdict::Allowed;
    }
    if (!connOk) {
        TokenBucket probe = c.bucket;
        probe.take(nowMs, &waitConn);
    }
    if (!userOk) {
        TokenBucket probe = *user;
        probe.take(nowMs, &waitUser);
    }
    if (retryAfterMs)
        *retryAfterMs = std::max<qint64>(1, std::max(waitConn, waitUser));
    ++c.refusedInWindow;
    return c.refusedInWindow > m_floodAfter ? Verdict::Flooding : Verdict::Refused;
}

} // namespace emailrag::server
