// Token bucket and backoff: the arithmetic that keeps the client under the server's limit.
#include "backoff.h"
#include "ratelimiter.h"

#include <QtTest>

using namespace emailrag::client;

class TestRateLimiter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void burstThenRefill()
    {
        qint64 now = 0;
        RateLimiter rl(20, 75, [&now] { return now; });
        for (int i = 0; i < 20; ++i)
            QVERIFY(rl.tryAcquire());
        QVERIFY(!rl.tryAcquire());
        QCOMPARE(rl.msUntilAvailable(), 800); // 60000 / 75
        now += 799;
        QVERIFY(!rl.tryAcquire());
        now += 1;
        QVERIFY(rl.tryAcquire());
        QVERIFY(!rl.tryAcquire());
        now += 3600 * 1000; // never more than capacity after a long pause
        QCOMPARE(rl.available(), 20);
    }

    void neverMoreThanHundredInAnyMinute_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<int>("rate");
        QTest::newRow("defaults") << 20 << 75;
        QTest::newRow("small bucket") << 5 << 90;
    }
    void neverMoreThanHundredInAnyMinute()
    {
        QFETCH(int, capacity);
        QFETCH(int, rate);
        // A greedy sender that tries every 10 ms for 5 minutes; count sends in sliding windows.
        qint64 now = 0;
        RateLimiter rl(capacity, rate, [&now] { return now; });
        QList<qint64> sent;
        for (now = 0; now < 5 * 60000; now += 10) {
            while (rl.tryAcquire())
                sent << now;
        }
        int maxInWindow = 0;
        int j = 0;
        for (int i = 0; i < sent.size(); ++i) {
            while (sent[i] - sent[j] >= 60000)
                ++j;
            maxInWindow = std::max(maxInWindow, i - j + 1);
        }
        QVERIFY2(maxInWindow <= capacity + rate, qPrintable(QString::number(maxInWindow)));
        QVERIFY(maxInWindow < 100);
        // ...and it does not throttle far below the budget either.
        QVERIFY(maxInWindow >= rate);
    }

    void backoffGrowsWithJitterAndCap()
    {
        Backoff b({1000, 30000, 0.5}, 42);
        int prevCeiling = 0;
        for (int i = 0; i < 10; ++i) {
            const int d = b.nextDelayMs();
            const int ceiling = std::min(30000, 1000 << i);
            QVERIFY2(d >= ceiling / 2 && d <= ceiling, qPrintable(QStringLiteral("%1: %2").arg(i).arg(d)));
            QVERIFY(ceiling >= prevCeiling);
            prevCeiling = ceiling;
        }
        // Jitter: two clients with different seeds do not pick the same delays.
        Backoff x({1000, 30000, 0.5}, 1), y({1000, 30000, 0.5}, 2);
        bool differs = false;
        for (int i = 0; i < 5; ++i)
            differs |= x.nextDelayMs() != y.nextDelayMs();
        QVERIFY(differs);
        b.reset();
        QVERIFY(b.nextDelayMs() <= 1000);
    }

    void serverDelayHonoured()
    {
        Backoff b({100, 30000, 0.5}, 7);
        b.nextDelayMs();
        b.setServerDelay(5000);
        const int d = b.nextDelayMs();
        QVERIFY(d >= 5000 && d <= 5500);
        QVERIFY(b.nextDelayMs() < 5000); // only once
    }
};

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
