// Connection against the real server (emailrag_core's Server, in this process, port 0):
// reconnect after a restart with the advertised delay honoured, re-subscription, a request made
// during the outage answered afterwards, token refresh before expiry, HTTP login/refresh,
// unauthorized tokens.
#include "authclient.h"
#include "connection.h"
#include "futurewait.h"
#include "uploadjob.h"

#include "corpora.h"

#include "database.h"
#include "embeddedserver.h"
#include "server.h"
#include "userstore.h"

#include <QDirIterator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace emailrag::client;
namespace P = emailrag::protocol;
namespace S = emailrag::server;

class TestServerConnection : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    S::ServerConfig config(quint16 port = 0) const
    {
        S::ServerConfig c;
        c.dataDir = m_dir.path();
        c.listenAddress = QHostAddress::LocalHost;
        c.port = port;
        c.reconnectDelayMs = 800;
        return c;
    }
    static Connection::Options options()
    {
        Connection::Options o;
        o.backoff = {100, 2000, 0.5};
        o.requestTimeoutMs = 10000;
        return o;
    }
    static bool stopAndWait(S::Server *s)
    {
        QSignalSpy stopped(s, &S::Server::stopped);
        s->stop();
        return stopped.count() > 0 || stopped.wait(10000);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void restartRecoversWithoutUserAction()
    {
        auto first = std::make_unique<S::Server>();
        QString error;
        QVERIFY2(first->start(config(), &error), qPrintable(error));
        const quint16 port = first->serverPort();
        const auto access = S::ensureLocalUser(m_dir.path(), QStringLiteral("alice"), std::chrono::hours(1), &error);
        QVERIFY2(access, qPrintable(error));

        Connection c(options());
        c.setServerUrl(QUrl(first->webSocketUrl()));
        c.setToken(access->token);
        c.open();
        QTRY_VERIFY_WITH_TIMEOUT(c.isConnected(), 10000);
        const QString firstSession = c.sessionId();
        QSignalSpy subscribed(&c, &Connection::subscribed);
        c.subscribe({P::Channel::Uploads, P::Channel::SystemStatus});
        QTRY_COMPARE_WITH_TIMEOUT(subscribed.count(), 1, 10000);

        QSignalSpy disconnecting(&c, &Connection::disconnecting);
        QSignalSpy scheduled(&c, &Connection::reconnectScheduled);
        QElapsedTimer sinceShutdown;
        sinceShutdown.start();
        QVERIFY(stopAndWait(first.get()));
        first.reset();
        QTRY_COMPARE_WITH_TIMEOUT(disconnecting.count(), 1, 5000);
        const auto d = disconnecting.first().first().value<P::Disconnecting>();
        QCOMPARE(d.reason, QStringLiteral("server_shutdown"));
        QCOMPARE(d.reconnectDelayMs.value_or(-1), 800);
        QTRY_VERIFY(c.state() == Connection::State::Reconnecting);
        QVERIFY2(scheduled.first().first().toInt() >= 800, qPrintable(scheduled.first().first().toString()));

        // A search asked for during the outage waits in the queue.
        QSignalSpy complete(&c, &Connection::searchComplete);
        const QString search = c.streamSearch(QStringLiteral("budget meeting"), 5);

        // The server comes back on the same port at once; the client still waits the 800 ms.
        S::Server second;
        QVERIFY2(second.start(config(port), &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(c.isConnected(), 10000);
        QVERIFY2(sinceShutdown.elapsed() >= 800, qPrintable(QString::number(sinceShutdown.elapsed())));
        QVERIFY(c.sessionId() != firstSession);

        // Subscriptions restored on the new session, and the queued search answered.
        QTRY_COMPARE_WITH_TIMEOUT(subscribed.count(), 2, 10000);
        const auto again = subscribed.last().at(1).value<P::Subscribed>();
        QVERIFY(again.channels.contains(P::Channel::Uploads));
        QVERIFY(again.channels.contains(P::Channel::SystemStatus));
        QTRY_COMPARE_WITH_TIMEOUT(complete.count(), 1, 10000);
        QCOMPARE(complete.first().first().toString(), search);
        c.close();
        QVERIFY(stopAndWait(&second));
    }

    void refreshesTokenBeforeExpiry()
    {
        S::Server server;
        QString error;
        QVERIFY2(server.start(config(), &error), qPrintable(error));
        const auto access = S::ensureLocalUser(m_dir.path(), QStringLiteral("bob"), std::chrono::seconds(3), &error);
        QVERIFY2(access, qPrintable(error));
        auto o = options();
        o.refreshMinLeadMs = 1200;
        Connection c(o);
        c.setServerUrl(QUrl(server.webSocketUrl()));
        c.setToken(access->token);
        const QDateTime oldExpiry = c.tokenExpiresAt();
        QVERIFY(oldExpiry.isValid());
        QSignalSpy changed(&c, &Connection::tokenChanged);
        QSignalSpy states(&c, &Connection::stateChanged);
        c.open();
        QTRY_VERIFY_WITH_TIMEOUT(c.isConnected(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 5000);
        QVERIFY(QDateTime::currentDateTimeUtc() < oldExpiry);
        QVERIFY(c.token() != access->token);
        QVERIFY(c.tokenExpiresAt() > oldExpiry.addSecs(60));
        // Past the old token's expiry the session stays up, and a new connection works with
        // the refreshed token.
        QTest::qWait(int(QDateTime::currentDateTimeUtc().msecsTo(oldExpiry)) + 1500);
        QVERIFY(c.isConnected());
        c.close();
        c.open();
        QTRY_VERIFY_WITH_TIMEOUT(c.isConnected(), 10000);
        c.close();
        QVERIFY(stopAndWait(&server));
    }

    void httpLoginAndRefresh()
    {
        S::Server server;
        QString error;
        QVERIFY2(server.start(config(), &error), qPrintable(error));
        {
            emailrag::storage::DatabaseConfig dbc;
            dbc.path = server.config().databasePath();
            QSqlDatabase db = emailrag::storage::Database::connection(dbc, QStringLiteral("tst_login"));
            QVERIFY(db.isOpen());
            S::UserStore::add(db, QStringLiteral("carol"), QByteArrayLiteral("correct horse"));
        }
        AuthClient auth;
        const QUrl url(server.webSocketUrl());
        const AuthResult bad = waitForFuture(auth.login(url, QStringLiteral("carol"), QStringLiteral("wrong password")));
        QCOMPARE(bad.status, AuthResult::Unauthorized);
        const AuthResult good = waitForFuture(auth.login(url, QStringLiteral("carol"), QStringLiteral("correct horse")));
        QVERIFY2(good.ok(), qPrintable(good.error));
        QVERIFY(good.expiresAt > QDateTime::currentDateTimeUtc());
        const AuthResult refreshed = waitForFuture(auth.refresh(url, good.token));
        QVERIFY2(refreshed.ok(), qPrintable(refreshed.error));
        QCOMPARE(waitForFuture(auth.refresh(url, QStringLiteral("garbage"))).status, AuthResult::Unauthorized);

        Connection c(options());
        c.setServerUrl(url);
        c.setToken(refreshed.token);
        c.open();
        QTRY_VERIFY_WITH_TIMEOUT(c.isConnected(), 10000);
        c.close();
        QTest::qWait(200);
        QVERIFY(stopAndWait(&server));
    }

    void uploadResumesAfterRestart()
    {
        // A mailbox of real Enron mail (1 MB), sent in small chunks one at a time.
        const QString corpus = emailrag::test::unpackCorpus(QStringLiteral("enron-inbox-subset.tar.zst"));
        QVERIFY(!corpus.isEmpty());
        QFile mbox(m_dir.filePath(QStringLiteral("resume.mbox")));
        QVERIFY(mbox.open(QIODevice::WriteOnly));
        QDirIterator it(corpus, QDir::Files, QDirIterator::Subdirectories);
        int messages = 0;
        while (it.hasNext() && mbox.size() < 1024 * 1024) {
            QFile in(it.next());
            if (!in.open(QIODevice::ReadOnly))
                continue;
            mbox.write("From MAILER-DAEMON Mon Jan  1 00:00:00 2001\n");
            for (const QByteArray &line : in.readAll().split('\n')) {
                if (line.startsWith("From "))
                    mbox.write(">");
                mbox.write(line + '\n');
            }
            mbox.write("\n");
            ++messages;
        }
        mbox.close();

        auto cfg = config();
        cfg.uploadChunkBytes = 32 * 1024;
        auto first = std::make_unique<S::Server>();
        QString error;
        QVERIFY2(first->start(cfg, &error), qPrintable(error));
        const quint16 port = first->serverPort();
        const auto access = S::ensureLocalUser(m_dir.path(), QStringLiteral("erin"), std::chrono::hours(1), &error);
        QVERIFY(access);
        Connection c(options());
        c.setServerUrl(QUrl(first->webSocketUrl()));
        c.setToken(access->token);
        c.open();
        QTRY_VERIFY_WITH_TIMEOUT(c.isConnected(), 10000);

        UploadJob job(&c, mbox.fileName());
        job.setWindow(1);
        QSignalSpy started(&job, &UploadJob::started);
        QSignalSpy sent(&job, &UploadJob::bytesSent);
        QSignalSpy finished(&job, &UploadJob::finished);
        QSignalSpy failed(&job, &UploadJob::failed);
        job.start();
        QTRY_VERIFY_WITH_TIMEOUT(sent.size() >= 3, 10000);
        QVERIFY(sent.last().first().toLongLong() < job.size());

        // The server goes away mid-transfer and comes back on the same port.
        QVERIFY(stopAndWait(first.get()));
        first.reset();
        S::Server second;
        cfg.port = port;
        QVERIFY2(second.start(cfg, &error), qPrintable(error));

        QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() > 0, 60000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QCOMPARE(started.count(), 2); // the original start and the resume
        QCOMPARE(started.at(1).first().toString(), started.at(0).first().toString());
        QCOMPARE(finished.first().at(1).toLongLong(), qint64(messages));
        // Resumed from the server's offset, not sent again from byte 0.
        int zeros = 0;
        for (const auto &args : sent)
            zeros += args.first().toLongLong() == 0 ? 1 : 0;
        QCOMPARE(zeros, 1);
        QCOMPARE(sent.last().first().toLongLong(), job.size());
        c.close();
        QVERIFY(stopAndWait(&second));
    }

    void refusedToken()
    {
        // Deliberately never stopped nor deleted: Server::stop() and ~Server() crash on a
        // session that was refused for a bad token (server-core bug, reported); the process
        // exit cleans up.
        auto *server = new S::Server;
        QString error;
        QVERIFY2(server->start(config(), &error), qPrintable(error));
        const QUrl url(server->webSocketUrl());
        const auto access = S::ensureLocalUser(m_dir.path(), QStringLiteral("dave"), std::chrono::hours(1), &error);
        QVERIFY(access);
        // A refused token: Unauthorized, and no retry loop.
        Connection refused(options());
        refused.setServerUrl(url);
        refused.setToken(access->token + QStringLiteral("x"));
        QSignalSpy scheduled(&refused, &Connection::reconnectScheduled);
        refused.open();
        QTRY_COMPARE_WITH_TIMEOUT(refused.state(), Connection::State::Unauthorized, 10000);
        QTest::qWait(300);
        QCOMPARE(scheduled.count(), 0);

        // Nobody listening: unavailable over HTTP too.
        AuthClient auth;
        const AuthResult down = waitForFuture(auth.login(QUrl(QStringLiteral("ws://127.0.0.1:1")), QStringLiteral("carol"), QStringLiteral("x")));
        QCOMPARE(down.status, AuthResult::Unavailable);
    }
};

QTEST_GUILESS_MAIN(TestServerConnection)
#include "tst_serverconnection.moc"
