#include "database.h"
#include "migrations.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace emailrag::storage;

class TestMigrations : public QObject
{
    Q_OBJECT

private:
    // The whole schema as SQLite describes it, ignoring the bookkeeping table's timestamps.
    static QStringList schemaOf(QSqlDatabase &db)
    {
        QStringList out;
        QSqlQuery q(db);
        q.exec(QStringLiteral("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"));
        while (q.next())
            out << QStringList{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString()}.join(QLatin1Char('|'));
        return out;
    }

private Q_SLOTS:
    void freshDatabaseReachesLatestVersion()
    {
        QTemporaryDir dir;
        auto cfg = DatabaseConfig::sqliteFile(dir.filePath(QStringLiteral("a.db")));
        QVERIFY(!Database::migrate(cfg, QStringLiteral("fresh")).has_value());
        QSqlDatabase db = QSqlDatabase::database(QStringLiteral("fresh"));
        const QList<int> versions = Migrations(Dialect::sqlite()).available();
        QVERIFY(!versions.isEmpty());
        QCOMPARE(Database::schemaVersion(db), versions.last());
        QVERIFY(db.tables().contains(QStringLiteral("emails")));
        QVERIFY(db.tables().contains(QStringLiteral("emails_fts")));
        // Applying again is a no-op.
        QVERIFY(!Database::migrate(cfg, QStringLiteral("fresh")).has_value());
        QCOMPARE(Database::schemaVersion(db), versions.last());
        db.close();
    }

    // A database brought up one step at a time (as an upgrade would) ends equal to a fresh one.
    void upgradedEqualsFresh()
    {
        QTemporaryDir dir;
        auto fresh = DatabaseConfig::sqliteFile(dir.filePath(QStringLiteral("fresh.db")));
        auto stepped = DatabaseConfig::sqliteFile(dir.filePath(QStringLiteral("stepped.db")));
        QVERIFY(!Database::migrate(fresh, QStringLiteral("f")).has_value());
        for (int v : Migrations(Dialect::sqlite()).available())
            QVERIFY(!Database::migrate(stepped, QStringLiteral("s"), v).has_value());
        QSqlDatabase a = QSqlDatabase::database(QStringLiteral("f"));
        QSqlDatabase b = QSqlDatabase::database(QStringLiteral("s"));
        QCOMPARE(schemaOf(b), schemaOf(a));
    }

    void pragmasAreSet()
    {
        QTemporaryDir dir;
        QSqlDatabase db = Database::connection(DatabaseConfig::sqliteFile(dir.filePath(QStringLiteral("p.db"))),
                                               QStringLiteral("p"));
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
        QVERIFY(q.exec(QStringLiteral("PRAGMA foreign_keys")) && q.next());
        QCOMPARE(q.value(0).toInt(), 1);
        // SQLite keeps no memory statistics (database.cpp): with them on, opening a connection
        // would have counted its allocations.
        sqlite3_int64 used = -1;
        sqlite3_int64 highwater = -1;
        QCOMPARE(sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &used, &highwater, 0), SQLITE_OK);
        QCOMPARE(used, sqlite3_int64(0));
        // A new store gets 16 KiB pages (dialect.cpp)...
        QVERIFY(q.exec(QStringLiteral("PRAGMA page_size")) && q.next());
        QCOMPARE(q.value(0).toInt(), 16384);

        // ...while a store made with other pages (8 KiB before session 8) keeps them and migrates.
        {
            QSqlDatabase old = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("old8k"));
            old.setDatabaseName(dir.filePath(QStringLiteral("old.db")));
            QVERIFY(old.open());
            QSqlQuery o(old);
            QVERIFY(o.exec(QStringLiteral("PRAGMA page_size=8192")));
            QVERIFY(o.exec(QStringLiteral("PRAGMA journal_mode=WAL")));
            QVERIFY(o.exec(QStringLiteral("CREATE TABLE keep (x)")));
            old.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("old8k"));
        const auto oldCfg = DatabaseConfig::sqliteFile(dir.filePath(QStringLiteral("old.db")));
        QVERIFY(!Database::migrate(oldCfg, QStringLiteral("old")).has_value());
        QSqlQuery o(QSqlDatabase::database(QStringLiteral("old")));
        QVERIFY(o.exec(QStringLiteral("PRAGMA page_size")) && o.next());
        QCOMPARE(o.value(0).toInt(), 8192);
        QVERIFY(o.exec(QStringLiteral("SELECT count(*) FROM emails")) && o.next());
    }

    void splitKeepsTriggersWhole()
    {
        const QString sql = QStringLiteral("-- comment\nCREATE TABLE a(x);\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n"
                                           "  INSERT INTO b VALUES (1);\n  DELETE FROM c;\nEND;\nCREATE TABLE d(y);\n");
        const QStringList parts = Migrations::splitStatements(sql);
        QCOMPARE(parts.size(), 3);
        QVERIFY(parts[1].startsWith(QLatin1String("CREATE TRIGGER")));
        QVERIFY(parts[1].endsWith(QLatin1String("END;")));
    }

    // 011 makes emails_fts an external-content index over emails_fts_source. A store made before
    // it (here: 011 undone by hand, so the store is at the newest version but lacks 011) gets it
    // on the next migrate(), keeps the exact indexed text of CJK-spaced rows, and deleting a
    // user takes that user's rows out of the index (the trigger; before 011 they stayed).
    void ftsExternalContentMigration()
    {
        QTemporaryDir dir;
        auto cfg = DatabaseConfig::sqliteFile(dir.filePath(QStringLiteral("x.db")));
        QVERIFY(!Database::migrate(cfg, QStringLiteral("x")).has_value());
        QSqlDatabase db = Database::connection(cfg, QStringLiteral("x"));
        QSqlQuery q(db);
        for (const char *sql : {"DROP TRIGGER emails_fts_before_delete", "DROP TRIGGER emails_fts_before_update",
                                "DROP TRIGGER emails_fts_after_update", "DROP VIEW emails_fts_source",
                                "DROP TABLE emails_fts_cjk", "DROP TABLE emails_fts",
                                "CREATE VIRTUAL TABLE emails_fts USING fts5(subject, sender, recipients, body, quoted,"
                                " attachments, tokenize = 'unicode61 remove_diacritics 2')",
                                "DELETE FROM schema_version WHERE version = 11",
                                "INSERT INTO users (id, name, password_hash, created_at) VALUES (1, 'a', '!', ''), (2, 'b', '!', '')",
                                "INSERT INTO emails (id, user_id, dedup_key, content_hash, thread_id, subject, from_name, from_addr,"
                                " to_addrs, body_text, size_bytes, raw_zstd) VALUES"
                                " (1, 1, 'k1', 'h1', 't1', 'Hello zebra', 'Ann', 'ann@x.org', 'bob@y.org', 'a body with quokka', 10, x'00'),"
                                " (2, 1, 'k2', 'h2', 't2', '東京 meeting', '', 'jp@x.org', '', 'サーバがダウン', 10, x'00'),"
                                " (3, 2, 'k3', 'h3', 't3', 'Other user', 'Bo', 'bo@z.org', '', 'wombat text', 10, x'00')",
                                "INSERT INTO attachments (email_id, filename, mime_type, size_bytes, text) VALUES"
                                " (1, 'notes.txt', 'text/plain', 5, 'platypus inside')",
                                "INSERT INTO emails_fts (rowid, subject, sender, recipients, body, quoted, attachments) VALUES"
                                " (1, 'Hello zebra', 'Ann ann@x.org', 'bob@y.org', 'a body with quokka', '', 'notes.txt' || char(10) || 'platypus inside'),"
                                " (2, '東 京 meeting', 'jp@x.org', '', 'サ ー バ が ダ ウ ン', '', ''),"
                                " (3, 'Other user', 'Bo bo@z.org', '', 'wombat text', '', '')"}) {
            QVERIFY2(q.exec(QString::fromUtf8(sql)), sql);
        }
        QVERIFY(!Database::migrate(cfg, QStringLiteral("x")).has_value());
        auto count = [&](const QString &sql, const QVariantList &values = {}) {
            QSqlQuery c(db);
            return Database::exec(c, sql, values) && c.next() ? c.value(0).toLongLong() : -1;
        };
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM schema_version WHERE version = 11")), 1);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM emails_fts_cjk")), 1); // only the CJK row differs
        const QString match = QStringLiteral("SELECT count(*) FROM emails_fts WHERE emails_fts MATCH ?");
        QCOMPARE(count(match, {QStringLiteral("quokka")}), 1);
        QCOMPARE(count(match, {QStringLiteral("platypus")}), 1);
        QCOMPARE(count(match, {QStringLiteral("\"ダ ウ ン\"")}), 1);
        QVERIFY(Database::exec(q, QStringLiteral("SELECT snippet(emails_fts, 3, '[', ']', '…', 8) FROM emails_fts"
                                                 " WHERE emails_fts MATCH ?"), {QStringLiteral("\"ダ ウ ン\"")}));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("サ ー バ が [ダ ウ ン]"));
        q.finish();
        QVERIFY(Database::exec(q, QStringLiteral("DELETE FROM users WHERE id = 2")));
        QCOMPARE(count(match, {QStringLiteral("wombat")}), 0);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM emails_fts_docsize")), 2);
        QVERIFY(Database::exec(q, QStringLiteral("INSERT INTO emails_fts (emails_fts) VALUES ('integrity-check')")));
        // Changed text is re-indexed.
        QVERIFY(Database::exec(q, QStringLiteral("UPDATE emails SET body_text = 'now about koalas' WHERE id = 1")));
        QCOMPARE(count(match, {QStringLiteral("quokka")}), 0);
        QCOMPARE(count(match, {QStringLiteral("koalas")}), 1);
        QVERIFY(Database::exec(q, QStringLiteral("INSERT INTO emails_fts (emails_fts) VALUES ('integrity-check')")));
    }

    void failedStepRollsBack()
    {
        QTemporaryDir dir;
        QSqlDatabase db = Database::connection(DatabaseConfig::sqliteFile(dir.filePath(QStringLiteral("r.db"))),
                                               QStringLiteral("r"));
        QSqlQuery q(db);
        QVERIFY(Database::exec(q, QStringLiteral("CREATE TABLE t(x INTEGER)")));
        QVERIFY(!Database::exec(q, QStringLiteral("INSERT INTO missing VALUES (?)"), {1})); // logged, returned
    }
};

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
