#include "dbworker.h"

#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace emailrag::storage;

class TestDbWorker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void runsOnItsOwnThreadInOrder()
    {
        // A connection touched from a thread it does not belong to is a bug, even at shutdown.
        QTest::failOnWarning(QRegularExpression(QStringLiteral("does not belong to the calling thread")));
        QTemporaryDir dir;
        auto cfg = DatabaseConfig::sqliteFile(dir.filePath(QStringLiteral("w.db")));
        QVERIFY(!Database::migrate(cfg, QStringLiteral("setup")).has_value());
        DbWorker worker(cfg, QStringLiteral("worker"));
        QThread *caller = QThread::currentThread();
        QThread *seen = nullptr;
        auto f1 = worker.run([&](QSqlDatabase &db) {
            seen = QThread::currentThread();
            QSqlQuery q(db);
            return Database::exec(q, QStringLiteral("INSERT INTO users(name, password_hash, created_at) VALUES (?, ?, ?)"),
                                  {QStringLiteral("anna"), QStringLiteral("x"), QStringLiteral("now")});
        });
        auto f2 = worker.run([](QSqlDatabase &db) {
            QSqlQuery q(db);
            q.exec(QStringLiteral("SELECT COUNT(*) FROM users"));
            return q.next() ? q.value(0).toInt() : -1;
        });
        QVERIFY(f1.result());
        QCOMPARE(f2.result(), 1); // ran after f1
        QVERIFY(seen != caller);

        // A continuation on a context object comes back to the caller's thread.
        bool delivered = false;
        QObject ctx;
        worker.run([](QSqlDatabase &) { return 42; }).then(&ctx, [&](int v) {
            delivered = (v == 42 && QThread::currentThread() == caller);
        });
        QTRY_VERIFY(delivered);
    }
};

QTEST_GUILESS_MAIN(TestDbWorker)
#include "tst_dbworker.moc"
