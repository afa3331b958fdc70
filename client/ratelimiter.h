#pragma once

#include <QElapsedTimer>
#include <functional>

// Client-side token bucket so that the client itself never exceeds the server's limit of 100
// messages per minute per connection. In any window of 60 s at most capacity + ratePerMinute
// messages pass (defaults 20 + 75 = 95 < 100), whatever the server's counting method.
// Plain value class; not thread-safe (used on the connection's thread). The clock can be
// replaced in tests.
namespace emailrag::client {

class RateLimiter
{
public:
    using Clock = std::function<qint64()>; // milliseconds, monotonic

    explicit RateLimiter(int capacity = 20, int ratePerMinute = 75, Clock clock = {});

    // Takes one token if there is one.
    bool tryAcquire();
    // Milliseconds until a token is available (0 when one is there now).
    qint64 msUntilAvailable();
    // Tokens available now (fractional part dropped).
    int available();
    // Back to a full bucket (a new connection gets a fresh budget on the server, too).
    void reset();

    int capacity() const { return m_capacity; }
    int ratePerMinute() const { return m_ratePerMinute; }

private:
    void refill();

    int m_capacity;
    int m_ratePerMinute;
    Clock m_clock;
    QElapsedTimer m_elapsed;
    double m_tokens;
    qint64 m_last;
};

} // namespace emailrag::client
