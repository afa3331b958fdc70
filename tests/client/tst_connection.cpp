// Connection against a protocol server built on the real protocol::Endpoint (protocolserver.h):
// states, correlation, timeouts, reconnect with backoff, `disconnecting` honoured, re-subscription
// and restored searches, heartbeat, token refresh, client-side rate limiting.
#include "connection.h"
#include "protocolserver.h"

#include <QSignalSpy>
#include <QtTest>

using namespace emailrag::client;
using emailrag::test::ProtocolServer;
namespace P = emailrag::protocol;

namespace {

Connection::Options fastOptions()
{
    Connection::Options o;
    o.backoff = {100, 2000, 0.5};
    o.requestTimeoutMs = 2000;
    o.heartbeatIntervalMs = 60000;
    o.connectTimeoutMs = 3000;
    return o;
}

// An unsigned JWT-shaped token with the given expiry (the client only reads "exp").
QString fakeJwt(qint64 exp, const QString &tag = QStringLiteral("t"))
{
    auto b64 = [](const QByteArray &b) { return QString::fromLatin1(b.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)); };
    return b64(R"({"alg":"HS256","typ":"JWT"})") + QLatin1Char('.')
        + b64(QStringLiteral(R"({"sub":"1","exp":%1})").arg(exp).toUtf8()) + QLatin1Char('.') + b64(tag.toUtf8());
}

} // namespace

class TestConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void connectsAndCorrelates()
    {
        ProtocolServer server;
        QVERIFY(server.listen());
        Connection c(fastOptions());
        QSignalSpy states(&c, &Connection::stateChanged);
        c.setServerUrl(QUrl(server.url()));
        c.setToken(QStringLiteral("tok"));
        // Requests issued before the connection is up wait in the queue.
        const QString a = c.streamSearch(QStringLiteral("alpha"));
        const QString b = c.streamSearch(QStringLiteral("beta"), 7);
        QVERIFY(a != b);
        QSignalSpy results(&c, &Connection::searchResult);
        QSignalSpy completes(&c, &Connection::searchComplete);
        c.open();
        QTRY_COMPARE(c.state(), Connection::State::Connected);
        QCOMPARE(states.first().first().value<Connection::State>(), Connection::State::Connecting);
        QCOMPARE(c.sessionId(), QStringLiteral("session_1"));
        QTRY_COMPARE(completes.count(), 2);
        QCOMPARE(results.count(), 6);
        for (const auto &args : results) {
            const QString id = args.at(0).toString();
            const auto hit = args.at(1).value<P::SearchResult>();
            QVERIFY(hit.emailId.startsWith(id == a ? QLatin1String("alpha") : QLatin1String("beta")));
        }
        QCOMPARE(server.tokensSeen, QStringList{QStringLiteral("tok")});
        QCOMPARE(server.ofType(QStringLiteral("stream_search")).at(1).envelope.requestId, b);
        QVERIFY(c.liveSearches().isEmpty()); // complete searches are not restored
    }

    void requestTimesOut()
    {
        ProtocolServer server;
        server.silentTypes = {QStringLiteral("get_email")};
        QVERIFY(server.listen());
        auto o = fastOptions();
        o.requestTimeoutMs = 300;
        Connection c(o);
        c.setServerUrl(QUrl(server.url()));
        c.open();
        QTRY_VERIFY(c.isConnected());
        QSignalSpy timedOut(&c, &Connection::requestTimedOut);
        QSignalSpy status(&c, &Connection::systemStatus);
        QElapsedTimer t;
        t.start();
        const QString id = c.getEmail(QStringLiteral("e1"));
        const QString ok = c.getSystemStatus();
        QTRY_COMPARE(timedOut.count(), 1);
        QVERIFY2(t.elapsed() >= 280, qPrintable(QString::number(t.elapsed())));
        QCOMPARE(timedOut.first().first().toString(), id);
        QCOMPARE(status.count(), 1); // the answered one did not time out
        QCOMPARE(status.first().first().toString(), ok);
        QTest::qWait(400);
        QCOMPARE(timedOut.count(), 1);
    }

    void unauthorizedStopsRetrying()
    {
        ProtocolServer server;
        server.acceptedTokens = {QStringLiteral("good")};
        QVERIFY(server.listen());
        Connection c(fastOptions());
        c.setServerUrl(QUrl(server.url()));
        c.setToken(QStringLiteral("bad"));
        QSignalSpy scheduled(&c, &Connection::reconnectScheduled);
        c.open();
        QTRY_COMPARE(c.state(), Connection::State::Unauthorized);
        QTest::qWait(500);
        QCOMPARE(c.state(), Connection::State::Unauthorized);
        QCOMPARE(scheduled.count(), 0);
        QCOMPARE(server.connections, 0);
    }

    void reconnectsAfterRestartAndRestores()
    {
        ProtocolServer server;
        server.silentTypes = {QStringLiteral("stream_search")}; // the search stays "live"
        QVERIFY(server.listen());
        Connection c(fastOptions());
        c.setServerUrl(QUrl(server.url()));
        c.open();
        QTRY_VERIFY(c.isConnected());
        QSignalSpy subscribed(&c, &Connection::subscribed);
        c.subscribe({P::Channel::Uploads, P::Channel::SystemStatus});
        QTRY_COMPARE(subscribed.count(), 1);
        const QString search = c.streamSearch(QStringLiteral("budget"), 10);
        QTRY_COMPARE(server.countOf(QStringLiteral("stream_search")), 1);
        QCOMPARE(c.liveSearches(), QStringList{search});

        QSignalSpy restarted(&c, &Connection::searchRestarted);
        QSignalSpy failed(&c, &Connection::requestFailed);
        const quint16 port = server.port();
        server.stop();
        QTRY_COMPARE(c.state(), Connection::State::Reconnecting);
        QVERIFY(c.reconnectRemainingMs() >= 0);
        QTest::qWait(700); // a few refused attempts
        QVERIFY(!c.isConnected());
        QVERIFY(server.listen(port));
        QTRY_VERIFY_WITH_TIMEOUT(c.isConnected(), 5000);
        QCOMPARE(c.sessionId(), QStringLiteral("session_2"));

        // Re-subscribed to both channels and the search sent again under the same id.
        auto onSecond = [&server](const QString &type) {
            QList<ProtocolServer::Received> out;
            for (const auto &r : server.ofType(type)) {
                if (r.connection == 2)
                    out << r;
            }
            return out;
        };
        QTRY_COMPARE(onSecond(QStringLiteral("subscribe")).size(), 1);
        const auto sub = std::get<P::Subscribe>(onSecond(QStringLiteral("subscribe")).first().envelope.message);
        QCOMPARE(QSet<QString>(sub.channels.begin(), sub.channels.end()),
                 (QSet<QString>{P::Channel::Uploads, P::Channel::SystemStatus}));
        QTRY_COMPARE(onSecond(QStringLiteral("stream_search")).size(), 1);
        const auto again = onSecond(QStringLiteral("stream_search")).first();
        QCOMPARE(again.envelope.requestId, search);
        QCOMPARE(std::get<P::StreamSearch>(again.envelope.message).query, QStringLiteral("budget"));
        QCOMPARE(restarted.count(), 1);
        QCOMPARE(failed.count(), 0);
    }

    void backoffGrowsWhileServerIsDown()
    {
        ProtocolServer server;
        QVERIFY(server.listen());
        Connection c(fastOptions());
        c.setServerUrl(QUrl(server.url()));
        c.open();
        QTRY_VERIFY(c.isConnected());
        QSignalSpy scheduled(&c, &Connection::reconnectScheduled);
        QSignalSpy states(&c, &Connection::stateChanged);
        QElapsedTimer t;
        t.start();
        QList<qint64> attempts;
        connect(&c, &Connection::stateChanged, this, [&](Connection::State s) {
            if (s == Connection::State::Connecting)
                attempts << t.elapsed();
        });
        server.stop();
        QTRY_VERIFY_WITH_TIMEOUT(scheduled.count() >= 5, 10000);
        // Delays within [ceiling/2, ceiling] for ceiling = 100, 200, 400, 800, 1600 ms.
        for (int i = 0; i < 5; ++i) {
            const int d = scheduled.at(i).first().toInt();
            const int ceiling = std::min(2000, 100 << i);
            QVERIFY2(d >= ceiling / 2 && d <= ceiling, qPrintable(QStringLiteral("attempt %1: %2 ms").arg(i).arg(d)));
        }
        // ...and the attempts really wait that long.
        QVERIFY(attempts.size() >= 4);
        for (int i = 1; i < 4; ++i) {
            const qint64 gap = attempts.at(i) - attempts.at(i - 1);
            QVERIFY2(gap >= scheduled.at(i).first().toInt() - 5, qPrintable(QString::number(gap)));
        }
        c.close();
        QCOMPARE(c.state(), Connection::State::Offline);
    }

    void disconnectingDelayHonoured()
    {
        ProtocolServer server;
        QVERIFY(server.listen());
        Connection c(fastOptions()); // own backoff would retry after <= 100 ms
        c.setServerUrl(QUrl(server.url()));
        c.open();
        QTRY_VERIFY(c.isConnected());
        QSignalSpy disconnecting(&c, &Connection::disconnecting);
        QSignalSpy scheduled(&c, &Connection::reconnectScheduled);
        const qint64 before = server.clock.elapsed();
        server.disconnectAll(1500);
        QTRY_COMPARE(disconnecting.count(), 1);
        QTRY_COMPARE(scheduled.count(), 1);
        const int delay = scheduled.first().first().toInt();
        QVERIFY2(delay >= 1500 && delay <= 1650, qPrintable(QString::number(delay)));
        QTRY_VERIFY_WITH_TIMEOUT(c.isConnected(), 4000);
        QCOMPARE(server.connections, 2);
        const qint64 gap = server.connectTimesMs.at(1) - before;
        QVERIFY2(gap >= 1500, qPrintable(QString::number(gap)));
    }

    void heartbeatAndDeadServer()
    {
        ProtocolServer server;
        QVERIFY(server.listen());
        auto o = fastOptions();
        o.heartbeatIntervalMs = 150;
        o.heartbeatTimeoutMs = 300;
        Connection c(o);
        c.setServerUrl(QUrl(server.url()));
        c.open();
        QTRY_VERIFY(c.isConnected());
        QTRY_VERIFY(server.countOf(QStringLiteral("ping")) >= 3);
        QCOMPARE(server.connections, 1); // pongs came: no reconnect
        // The server goes quiet without closing (a half-dead link): the client notices.
        server.silentTypes = {QStringLiteral("ping")};
        QTRY_VERIFY_WITH_TIMEOUT(server.connections >= 2, 5000);
        QTRY_VERIFY(c.isConnected());
    }

    void refreshesTokenBeforeExpiry()
    {
        ProtocolServer server;
        const QString fresh = fakeJwt(QDateTime::currentSecsSinceEpoch() + 3600, QStringLiteral("fresh"));
        server.refreshedToken = fresh;
        QVERIFY(server.listen());
        auto o = fastOptions();
        o.refreshMinLeadMs = 500;
        Connection c(o);
        c.setServerUrl(QUrl(server.url()));
        const qint64 exp = QDateTime::currentSecsSinceEpoch() + 3;
        c.setToken(fakeJwt(exp));
        QCOMPARE(c.tokenExpiresAt().toSecsSinceEpoch(), exp);
        QSignalSpy changed(&c, &Connection::tokenChanged);
        c.open();
        QTRY_VERIFY(c.isConnected());
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 4000);
        QVERIFY(QDateTime::currentSecsSinceEpoch() < exp); // before it expired
        QCOMPARE(server.countOf(QStringLiteral("refresh_token")), 1);
        QCOMPARE(changed.first().first().toString(), fresh);
        QCOMPARE(c.token(), fresh);
        QVERIFY(c.tokenExpiresAt().toSecsSinceEpoch() > exp + 3000);
        // The next connection uses the new token.
        server.disconnectAll(0);
        QTRY_COMPARE(server.connections, 2);
        QCOMPARE(server.tokensSeen.last(), fresh);
    }

    void burstStaysUnderServerLimit()
    {
        // Scaled down ten-fold in time: the server allows 10 messages per second (bucket 10);
        // the client is configured below it (bucket 4 + 7.5/s). A burst of 40 user actions must
        // not produce one rate-limit error, and must still all be answered.
        ProtocolServer server;
        server.rateCapacity = 10;
        server.ratePerSecond = 10;
        QVERIFY(server.listen());
        auto o = fastOptions();
        o.rateCapacity = 4;
        o.ratePerMinute = 450;
        o.requestTimeoutMs = 20000;
        Connection c(o);
        c.setServerUrl(QUrl(server.url()));
        c.open();
        QTRY_VERIFY(c.isConnected());
        QSignalSpy errors(&c, &Connection::errorReceived);
        QSignalSpy answers(&c, &Connection::systemStatus);
        for (int i = 0; i < 40; ++i)
            c.getSystemStatus();
        QVERIFY(c.queuedCount() > 30); // held back, not sent
        QTRY_COMPARE_WITH_TIMEOUT(answers.count(), 40, 15000);
        QCOMPARE(errors.count(), 0);
        QCOMPARE(server.rateLimitedReplies, 0);

        // Control: without the client limiter the same burst is refused by the server.
        ProtocolServer strict;
        strict.rateCapacity = 10;
        strict.ratePerSecond = 10;
        QVERIFY(strict.listen());
        auto loose = fastOptions();
        loose.rateCapacity = 1000;
        loose.ratePerMinute = 100000;
        Connection greedy(loose);
        greedy.setServerUrl(QUrl(strict.url()));
        greedy.open();
        QTRY_VERIFY(greedy.isConnected());
        for (int i = 0; i < 40; ++i)
            greedy.getSystemStatus();
        QTRY_VERIFY(strict.rateLimitedReplies > 0);
    }

    void closeFailsPendingAndGoesOffline()
    {
        ProtocolServer server;
        server.silentTypes = {QStringLiteral("get_email")};
        QVERIFY(server.listen());
        Connection c(fastOptions());
        c.setServerUrl(QUrl(server.url()));
        c.open();
        QTRY_VERIFY(c.isConnected());
        QSignalSpy failed(&c, &Connection::requestFailed);
        const QString id = c.getEmail(QStringLiteral("x"));
        QTRY_COMPARE(server.countOf(QStringLiteral("get_email")), 1);
        c.close();
        QCOMPARE(c.state(), Connection::State::Offline);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.first().first().toString(), id);
        QTest::qWait(300);
        QCOMPARE(server.connections, 1); // no reconnect after an explicit close
    }
};

QTEST_GUILESS_MAIN(TestConnection)
#include "tst_connection.moc"
