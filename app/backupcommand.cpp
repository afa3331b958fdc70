// emailrag backup DEST [--data DIR]: copies a data directory to DEST while the server may keep
// running. The database is copied with SQLite's `VACUUM INTO`, which reads one consistent
// snapshot (other connections may go on writing through the WAL meanwhile) and writes a compact
// file; the copy is then opened read-only and checked with `PRAGMA integrity_check`. Every other
// file (token signing key, uploads, indexes) is copied as it is, permissions included.
// Restoring is copying DEST back in place while the server is stopped (README "Running the
// server"); an older backup is migrated when the server next starts.

#include "cliutil.h"

#include "database.h"

#include <QCommandLineParser>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

#include <cstdio>

namespace emailrag::app {

namespace {

const QString kDatabaseName = QStringLiteral("emailrag.db");

// The database and SQLite's files next to it are copied through VACUUM INTO, never as files.
bool isDatabaseFile(const QString &relativePath)
{
    return relativePath == kDatabaseName || relativePath == kDatabaseName + QLatin1String("-wal")
        || relativePath == kDatabaseName + QLatin1String("-shm")
        || relativePath == kDatabaseName + QLatin1String("-journal");
}

int fail(const QString &message)
{
    std::fprintf(stderr, "emailrag backup: %s\n", qPrintable(message));
    return ExitFailure;
}

// Copies every regular file below `from` except the database files; returns the number copied
// or -1 after printing the first failure.
int copyOtherFiles(const QString &from, const QString &to)
{
    int copied = 0;
    QDirIterator it(from, QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
    const QDir source(from);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString relative = source.relativeFilePath(path);
        if (isDatabaseFile(relative))
            continue;
        const QString target = QDir(to).filePath(relative);
        if (!QDir().mkpath(QFileInfo(target).absolutePath())) {
            fail(QStringLiteral("cannot create the folder of %1").arg(target));
            return -1;
        }
        // QFile::copy keeps the permissions (the signing key stays 0600).
        if (!QFile::copy(path, target)) {
            fail(QStringLiteral("cannot copy %1 to %2").arg(path, target));
            return -1;
        }
        ++copied;
    }
    return copied;
}

} // namespace

int runBackupCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Copy the data directory (database, keys, uploads) to DEST, a new or empty folder.\n"
        "Safe while the server runs: the database is copied from one consistent snapshot and\n"
        "checked. To restore, stop the server and copy DEST back as the data directory."));
    addDataOption(parser);
    parser.addPositionalArgument(QStringLiteral("DEST"), QStringLiteral("Folder to write the backup to."));
    if (const int rc = parseOrExit(parser, args); rc >= 0)
        return rc;
    if (parser.positionalArguments().size() != 1) {
        std::fprintf(stderr, "usage: emailrag backup DEST [--data DIR]\n");
        return ExitUsage;
    }

    const QString dataPath = existingDataDir(parser);
    if (dataPath.isEmpty())
        return ExitFailure;
    const QString databasePath = QDir(dataPath).filePath(kDatabaseName);
    if (!QFileInfo::exists(databasePath))
        return fail(QStringLiteral("no database in %1 (is it a data directory?)").arg(dataPath));

    const QString dest = QDir(parser.positionalArguments().first()).absolutePath();
    if (dest == dataPath || dest.startsWith(dataPath + QLatin1Char('/')))
        return fail(QStringLiteral("%1 is inside the data directory").arg(dest));
    QDir destDir(dest);
    if (destDir.exists() && !destDir.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
        return fail(QStringLiteral("%1 is not empty").arg(dest));
    if (!QDir().mkpath(dest))
        return fail(QStringLiteral("cannot create %1").arg(dest));
    // The backup holds everyone's mail and the signing key: owner only.
    QFile::setPermissions(dest, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);

    const QString copyPath = destDir.filePath(kDatabaseName);
    {
        QSqlDatabase db = storage::Database::connection(storage::DatabaseConfig::sqliteFile(databasePath),
                                                        QStringLiteral("backup"));
        if (!db.isOpen())
            return fail(QStringLiteral("cannot open %1").arg(databasePath));
        QSqlQuery q(db);
        if (!storage::Database::exec(q, QStringLiteral("VACUUM INTO ?"), {copyPath}))
            return fail(QStringLiteral("copying the database failed: %1").arg(q.lastError().text()));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("backup"));
    QFile::setPermissions(copyPath, QFileDevice::ReadOwner | QFileDevice::WriteOwner);

    // Check the copy itself, read-only, so that a backup that says "ok" can be restored.
    int schema = 0;
    {
        QSqlDatabase copy = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("backup-check"));
        copy.setDatabaseName(copyPath);
        copy.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (!copy.open())
            return fail(QStringLiteral("cannot open the copy %1: %2").arg(copyPath, copy.lastError().text()));
        QSqlQuery q(copy);
        if (!storage::Database::exec(q, QStringLiteral("PRAGMA integrity_check")) || !q.next()
            || q.value(0).toString() != QLatin1String("ok"))
            return fail(QStringLiteral("the copy %1 fails its integrity check: %2").arg(copyPath, q.value(0).toString()));
        schema = storage::Database::schemaVersion(copy);
    }
    QSqlDatabase::removeDatabase(QStringLiteral("backup-check"));

    const int others = copyOtherFiles(dataPath, dest);
    if (others < 0)
        return ExitFailure;
    std::printf("backed up %s to %s: database (schema version %d, %lld bytes, integrity ok) and %d other files\n",
                qPrintable(dataPath), qPrintable(dest), schema, static_cast<long long>(QFileInfo(copyPath).size()), others);
    return ExitOk;
}

} // namespace emailrag::app
