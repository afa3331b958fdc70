#include "walwritebuffer.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace emailrag::storage;

// The WAL write buffer (walwritebuffer.h) must never let another connection see a committed
// transaction that is not in the file, nor lose or reorder what its own connection wrote; and it
// must actually save the write calls it exists for.
class TestWalWriteBuffer : public QObject
{
    Q_OBJECT

    static sqlite3 *open(const QString &path, const char *vfs = nullptr)
    {
        sqlite3 *db = nullptr;
        const int rc = sqlite3_open_v2(QFile::encodeName(path).constData(), &db,
                                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs);
        if (rc != SQLITE_OK) {
            sqlite3_close(db);
            return nullptr;
        }
        exec(db, "PRAGMA page_size=8192");
        exec(db, "PRAGMA journal_mode=WAL");
        exec(db, "PRAGMA synchronous=NORMAL");
        exec(db, "PRAGMA busy_timeout=5000");
        return db;
    }
    static bool exec(sqlite3 *db, const char *sql)
    {
        char *err = nullptr;
        const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
        if (rc != SQLITE_OK)
            qWarning("%s: %s", sql, err ? err : "?");
        sqlite3_free(err);
        return rc == SQLITE_OK;
    }
    static qint64 value(sqlite3 *db, const char *sql)
    {
        sqlite3_stmt *st = nullptr;
        qint64 v = -1;
        if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return v;
    }
    static QByteArray text(sqlite3 *db, const char *sql)
    {
        sqlite3_stmt *st = nullptr;
        QByteArray v;
        if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            v = reinterpret_cast<const char *>(sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        return v;
    }
    // Write system calls made by this process so far (/proc/self/io, "syscw").
    static qint64 writeCalls()
    {
        QFile f(QStringLiteral("/proc/self/io"));
        if (!f.open(QIODevice::ReadOnly))
            return -1;
        for (const QByteArray &line : f.readAll().split('\n')) {
            if (line.startsWith("syscw:"))
                return line.mid(6).trimmed().toLongLong();
        }
        return -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(installWalWriteBuffer());
        QCOMPARE(QByteArray(sqlite3_vfs_find(nullptr)->zName), QByteArray("emailrag-walbuf"));
    }

    // Every commit, whatever its size, is visible in full to another connection right after it,
    // and a rolled-back transaction never is: the buffer is out before SQLite publishes frames.
    void readersSeeEveryCommitAndNothingElse()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("w.db"));
        sqlite3 *writer = open(path);
        sqlite3 *reader = open(path);
        QVERIFY(writer && reader);
        QVERIFY(exec(writer, "CREATE TABLE t(id INTEGER PRIMARY KEY, body BLOB, k TEXT)"));
        QVERIFY(exec(writer, "CREATE INDEX t_k ON t(k)")); // random-order pages, rewritten per commit
        qint64 rows = 0;
        // 1 row (one frame or two), then transactions of ~0.1, ~1 and ~6 MB (many 124 KiB buffers).
        const int sizes[] = {1, 12, 130, 800, 3, 1, 64};
        for (int round = 0; round < 3; ++round) {
            for (const int n : sizes) {
                QVERIFY(exec(writer, "BEGIN"));
                const QByteArray sql = QByteArray("INSERT INTO t(body, k) SELECT randomblob(8000), hex(randomblob(12))"
                                                  " FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c"
                                                  " WHERE x < ")
                    + QByteArray::number(n) + ") SELECT x FROM c)";
                QVERIFY(exec(writer, sql.constData()));
                QVERIFY(exec(writer, "COMMIT"));
                rows += n;
                QCOMPARE(value(reader, "SELECT count(*) FROM t"), rows);
                QCOMPARE(value(reader, "SELECT count(*) FROM t WHERE length(body) = 8000"), rows);
            }
            // Not committed: never seen, and the next commit is intact after it.
            QVERIFY(exec(writer, "BEGIN"));
            QVERIFY(exec(writer, "INSERT INTO t(body, k) SELECT randomblob(8000), 'gone' FROM t LIMIT 200"));
            QVERIFY(exec(writer, "ROLLBACK"));
            QCOMPARE(value(reader, "SELECT count(*) FROM t WHERE k = 'gone'"), 0);
            // The log restarts from its first frame after a full checkpoint.
            QVERIFY(exec(writer, "PRAGMA wal_checkpoint(TRUNCATE)"));
        }
        QCOMPARE(text(reader, "PRAGMA integrity_check"), QByteArray("ok"));
        sqlite3_close(reader);
        sqlite3_close(writer);
        // And from a fresh connection after the last one closed (the close checkpoints).
        sqlite3 *again = open(path);
        QCOMPARE(value(again, "SELECT count(*) FROM t"), rows);
        QCOMPARE(text(again, "PRAGMA integrity_check"), QByteArray("ok"));
        sqlite3_close(again);
    }

    // A transaction larger than the page cache spills frames to the log before its commit, reads
    // them back and rewrites some in place (non-sequential writes and reads of buffered bytes).
    void spilledTransactionsReadBackWhatTheyWrote()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("s.db"));
        sqlite3 *writer = open(path);
        sqlite3 *reader = open(path);
        QVERIFY(writer && reader);
        QVERIFY(exec(writer, "PRAGMA cache_size=20"));
        QVERIFY(exec(writer, "CREATE TABLE t(id INTEGER PRIMARY KEY, n INTEGER, body BLOB)"));
        QVERIFY(exec(writer, "BEGIN"));
        QVERIFY(exec(writer, "INSERT INTO t(n, body) SELECT 0, zeroblob(3000) FROM (WITH RECURSIVE c(x) AS"
                             " (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000) SELECT x FROM c)"));
        for (int i = 0; i < 5; ++i)
            QVERIFY(exec(writer, "UPDATE t SET n = n + 1, body = randomblob(3000)"));
        QCOMPARE(value(writer, "SELECT sum(n) FROM t"), 2000 * 5);
        QCOMPARE(value(reader, "SELECT count(*) FROM t"), 0);
        QVERIFY(exec(writer, "COMMIT"));
        QCOMPARE(value(reader, "SELECT sum(n) FROM t"), 2000 * 5);
        QCOMPARE(value(reader, "SELECT count(*) FROM t WHERE length(body) = 3000"), 2000);
        QCOMPARE(text(reader, "PRAGMA integrity_check"), QByteArray("ok"));
        sqlite3_close(reader);
        sqlite3_close(writer);
    }

    // The point of it: a commit of about 250 pages takes a handful of write calls, against two
    // per page through SQLite's own "unix" VFS.
    void commitsTakeFewWriteCalls()
    {
        QTemporaryDir dir;
        if (writeCalls() < 0)
            QSKIP("no /proc/self/io");
        auto measure = [&](const char *vfs, const QString &name) -> qint64 {
            sqlite3 *db = open(dir.filePath(name), vfs);
            if (!db || !exec(db, "CREATE TABLE t(body BLOB)"))
                return -1;
            const qint64 before = writeCalls();
            exec(db, "INSERT INTO t SELECT randomblob(8000) FROM (WITH RECURSIVE c(x) AS"
                     " (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 250) SELECT x FROM c)");
            const qint64 calls = writeCalls() - before;
            sqlite3_close(db);
            return calls;
        };
        const qint64 plain = measure("unix", QStringLiteral("plain.db"));
        const qint64 buffered = measure(nullptr, QStringLiteral("buffered.db"));
        qInfo("write calls for one commit of 250 pages: %lld plain, %lld buffered", plain, buffered);
        QVERIFY2(plain >= 500, qPrintable(QString::number(plain)));
        QVERIFY2(buffered <= 40, qPrintable(QString::number(buffered)));
    }
};

QTEST_GUILESS_MAIN(TestWalWriteBuffer)
#include "tst_walwritebuffer.moc"
