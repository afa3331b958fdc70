// The token buckets behind RATE_LIMITED: 100/min per connection, the user's budget survives a
// reconnect, a user's connections share a larger bucket, flooding is detected.

#include "ratelimiter.h"

#include <QTest>

using namespace emailrag::server;

class TestRateLimiter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hundredPerMinuteThenRefusedWithRetryAfter()
    {
        RateLimiter rl(100, 4, 20);
        qint64 t = 1'000'000;
        auto c = rl.open(1, t);
        for (int i = 0; i < 100; ++i)
            QCOMPARE(rl.take(c, t, nullptr), RateLimiter::Verdict::Allowed);
        qint64 retry = 0;
        QCOMPARE(rl.take(c, t, &retry), RateLimiter::Verdict::Refused);
        QVERIFY(retry > 0 && retry <= 600); // one token per 600 ms
        // After retry_after_ms exactly one more message is allowed.
        QCOMPARE(rl.take(c, t + retry, nullptr), RateLimiter::Verdict::Allowed);
        QCOMPARE(rl.take(c, t + retry, nullptr), RateLimiter::Verdict::Refused);
        // A minute later the bucket is full again.
        t += 61'000;
        for (int i = 0; i < 100; ++i)
            QCOMPARE(rl.take(c, t, nullptr), RateLimiter::Verdict::Allowed);
    }

    void reconnectDoesNotResetBudget()
    {
        RateLimiter rl(100, 4, 20);
        qint64 t = 5'000'000;
        auto c = rl.open(1, t);
        for (int i = 0; i < 100; ++i)
            rl.take(c, t, nullptr);
        rl.close(c, t);
        auto again = rl.open(1, t + 10);
        QCOMPARE(rl.take(again, t + 10, nullptr), RateLimiter::Verdict::Refused);
        // Another user is not affected.
        auto other = rl.open(2, t + 10);
        QCOMPARE(rl.take(other, t + 10, nullptr), RateLimiter::Verdict::Allowed);
        // Refilled by time like any bucket.
        auto later = rl.open(1, t + 30'000);
        int allowed = 0;
        while (rl.take(later, t + 30'000, nullptr) == RateLimiter::Verdict::Allowed)
            ++allowed;
        QVERIFY(allowed >= 49 && allowed <= 51);
    }

    void userBucketSpansConnections()
    {
        RateLimiter rl(100, 2, 1000);
        const qint64 t = 9'000'000;
        auto a = rl.open(1, t), b = rl.open(1, t), c = rl.open(1, t);
        int allowed = 0;
        for (auto *conn : {&a, &b, &c}) {
            for (int i = 0; i < 100; ++i)
                allowed += rl.take(*conn, t, nullptr) == RateLimiter::Verdict::Allowed;
        }
        QCOMPARE(allowed, 200); // 2 x 100 across the user's connections
    }

    void floodingDetected()
    {
        RateLimiter rl(5, 4, 3);
        const qint64 t = 1000;
        auto c = rl.open(1, t);
        for (int i = 0; i < 5; ++i)
            rl.take(c, t, nullptr);
        QCOMPARE(rl.take(c, t, nullptr), RateLimiter::Verdict::Refused);
        QCOMPARE(rl.take(c, t, nullptr), RateLimiter::Verdict::Refused);
        QCOMPARE(rl.take(c, t, nullptr), RateLimiter::Verdict::Refused);
        QCOMPARE(rl.take(c, t, nullptr), RateLimiter::Verdict::Flooding);
    }
};

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
