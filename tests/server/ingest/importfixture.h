#pragma once

#include "database.h"
#include "importer.h"
#include "uploads.h"

#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

// A fresh migrated store in a temporary folder plus helpers to run a real Importer on it.
namespace emailrag::test {

class ImportFixture
{
public:
    ImportFixture()
    {
        config = storage::DatabaseConfig::sqliteFile(storage::defaultDatabasePath(dir.path()));
        static int counter = 0;
        name = QStringLiteral("fixture-%1").arg(++counter);
        const auto err = storage::Database::migrate(config, name);
        if (err)
            qFatal("migrate: %s", qPrintable(*err));
        db = storage::Database::connection(config, name);
        userId = ingest::ensureUser(db, QStringLiteral("alice")).value_or(-1);
    }

    ingest::ImportSummary import(const QStringList &paths, qint64 user = -1, QList<ingest::ImportProgress> *progress = nullptr)
    {
        if (user < 0)
            user = userId;
        const auto upload = ingest::createUpload(db, user, QStringLiteral("test"), paths);
        ingest::Importer importer(config, user, upload.value_or(QString()), paths);
        ingest::ImportSummary result;
        bool done = false;
        QObject ctx;
        QObject::connect(&importer, &ingest::Importer::progressChanged, &ctx, [progress](const ingest::ImportProgress &p) {
            if (progress)
                progress->append(p);
        });
        QObject::connect(&importer, &ingest::Importer::finished, &ctx, [&](const ingest::ImportSummary &s) {
            result = s;
            done = true;
        });
        importer.start();
        if (!QTest::qWaitFor([&] { return done; }, 600000))
            qWarning("import did not finish");
        importer.wait();
        return result;
    }

    qint64 scalar(const QString &sql, const QVariantList &values = {})
    {
        QSqlQuery q(db);
        if (!storage::Database::exec(q, sql, values) || !q.next())
            return -1;
        return q.value(0).toLongLong();
    }

    // The index holds exactly what its content view gives: a second index rebuilt from
    // emails_fts_source has the same (term, email, column, position) instances as emails_fts,
    // which the import writer filled from its own strings. Returns the differing instances
    // (0 = consistent) or -1 on error. FTS5's integrity-check does not compare external content.
    qint64 ftsMismatches()
    {
        QSqlQuery q(db);
        for (const char *sql : {"DROP TABLE IF EXISTS fts_check",
                                "CREATE VIRTUAL TABLE fts_check USING fts5(subject, sender, recipients, body, quoted,"
                                " attachments, content = 'emails_fts_source', content_rowid = 'id',"
                                " tokenize = 'unicode61 remove_diacritics 2')",
                                "INSERT INTO fts_check (fts_check) VALUES ('rebuild')",
                                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.v_index USING fts5vocab(main, emails_fts, instance)",
                                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.v_check USING fts5vocab(main, fts_check, instance)",
                                "INSERT INTO emails_fts (emails_fts) VALUES ('integrity-check')"}) {
            if (!q.exec(QString::fromLatin1(sql))) {
                qWarning() << sql << q.lastError().text();
                return -1;
            }
        }
        const qint64 n = scalar(QStringLiteral(
            "SELECT (SELECT count(*) FROM (SELECT term, doc, col, offset FROM v_index"
            "   EXCEPT SELECT term, doc, col, offset FROM v_check))"
            " + (SELECT count(*) FROM (SELECT term, doc, col, offset FROM v_check"
            "   EXCEPT SELECT term, doc, col, offset FROM v_index))"));
        q.exec(QStringLiteral("DROP TABLE temp.v_index"));
        q.exec(QStringLiteral("DROP TABLE temp.v_check"));
        q.exec(QStringLiteral("DROP TABLE fts_check"));
        return n;
    }

    QVariantMap row(const QString &sql, const QVariantList &values = {})
    {
        QSqlQuery q(db);
        QVariantMap m;
        if (!storage::Database::exec(q, sql, values) || !q.next())
            return m;
        const QSqlRecord r = q.record();
        for (int i = 0; i < r.count(); ++i)
            m.insert(r.fieldName(i), q.value(i));
        return m;
    }

    QObject ctx; // context for timers and connections a test adds

    ~ImportFixture()
    {
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(name);
    }

    QString name;
    QTemporaryDir dir;
    storage::DatabaseConfig config;
    QSqlDatabase db;
    qint64 userId = -1;
};

} // namespace emailrag::test
