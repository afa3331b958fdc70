#pragma once

#include <QRandomGenerator>

// Reconnection delays: exponential backoff with full jitter in [base*2^n / 2, base*2^n], capped,
// or the server's own delay from `disconnecting.reconnect_delay_ms` when it gave one.
// Plain value class; any thread. The random generator can be seeded in tests.
namespace emailrag::client {

class Backoff
{
public:
    struct Policy
    {
        int initialMs = 1000;
        int maxMs = 30000;
        double jitter = 0.5; // share of the delay that is randomised (0 = none)
    };

    Backoff();
    explicit Backoff(Policy policy, quint32 seed = 0);

    // Delay before the next attempt; advances the attempt counter.
    int nextDelayMs();
    // The server asked for this delay (honoured once, on top of which a little jitter is added so
    // that many clients do not come back in the same millisecond).
    void setServerDelay(int ms) { m_serverDelayMs = ms; }
    void reset();
    int attempts() const { return m_attempt; }
    const Policy &policy() const { return m_policy; }

private:
    Policy m_policy;
    QRandomGenerator m_rng;
    int m_attempt = 0;
    int m_serverDelayMs = -1;
};

} // namespace emailrag::client
