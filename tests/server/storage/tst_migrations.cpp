#include "database.h"
#include "migrations.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

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
