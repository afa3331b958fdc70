#include "ratelimiter.h"

#include <algorithm>
#include <cmath>

namespace emailrag::client {

RateLimiter::RateLimiter(int capacity, int ratePerMinute, Clock clock)
    : m_capacity(std::max(1, capacity))
    , m_ratePerMinute(std::max(1, ratePerMinute))
    , m_clock(std::move(clock))
{
    if (!m_clock) {
        m_elapsed.start();
        m_clock = [this] { return m_elapsed.elapsed(); };
    }
    m_tokens = m_capacity;
    m_last = m_clock();
}

void RateLimiter::refill()
{
    const qint64 now = m_clock();
    const qint64 dt = now - m_last;
    if (dt <= 0)
        return;
    m_tokens = std::min<double>(m_capacity, m_tokens + dt * m_ratePerMinute / 60000.0);
    m_last = now;
}

bool RateLimiter::tryAcquire()
{
    refill();
    if (m_tokens < 1.0)
        return false;
    m_tokens -= 1.0;
    return true;
}

qint64 RateLimiter::msUntilAvailable()
{
    refill();
    if (m_tokens >= 1.0)
        return 0;
    return qint64(std::ceil((1.0 - m_tokens) * 60000.0 / m_ratePerMinute));
}

int RateLimiter::available()
{
    refill();
    return int(m_tokens);
}

void RateLimiter::reset()
{
    m_tokens = m_capacity;
    m_last = m_clock();
}

} // namespace emailrag::client
