#include "backoff.h"

#include <algorithm>

namespace emailrag::client {

Backoff::Backoff(Policy policy, quint32 seed)
    : m_policy(policy)
    , m_rng(seed ? seed : QRandomGenerator::system()->generate())
{
}

Backoff::Backoff()
    : Backoff(Policy{})
{
}

int Backoff::nextDelayMs()
{
    const int attempt = m_attempt++;
    if (m_serverDelayMs >= 0) {
        const int base = m_serverDelayMs;
        m_serverDelayMs = -1;
        // Never earlier than the server asked; spread by up to 10% later.
        return base + int(m_rng.bounded(double(std::max(1, base / 10))));
    }
    const double exp = double(m_policy.initialMs) * double(1LL << std::min(attempt, 20));
    const double ceiling = std::min<double>(exp, m_policy.maxMs);
    const double floor = ceiling * (1.0 - m_policy.jitter);
    return int(floor + m_rng.bounded(std::max(1.0, ceiling - floor)));
}

void Backoff::reset()
{
    m_attempt = 0;
    m_serverDelayMs = -1;
}

} // namespace emailrag::client
