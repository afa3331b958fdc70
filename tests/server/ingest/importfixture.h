#pragma once

#include "database.h"
#include "importer.h"
#include "uploads.h"

#include <QSignalSpy>
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
