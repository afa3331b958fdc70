#include "database.h"

#include "migrations.h"
#include "walwritebuffer.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QThread>

#include <mutex>

#include <sqlite3.h>

Q_LOGGING_CATEGORY(lcStorage, "emailrag.storage")

namespace emailrag::storage {

namespace {

// Process-wide SQLite settings, made before the first connection opens (sqlite3_config is
// refused, harmlessly, once SQLite is initialised). Memory statistics off: with them SQLite takes
// a global mutex around every allocation to keep counts that nothing here reads, and the import
// writer allocates some 26 times per email. Enron, six alternating pairs: writer CPU 2.90 ->
// 2.80 s, wall 3.86 -> 3.82 s (docs/ingestion.md, session 8).
void configureSqlite()
{
    static std::once_flag once;
    std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

} // namespace

QString defaultDatabasePath(const QString &dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("emailrag.db"));
}

DatabaseConfig DatabaseConfig::sqliteFile(const QString &path)
{
    DatabaseConfig c;
    c.dialect = Dialect::sqlite();
    c.path = path;
    return c;
}

QSqlDatabase Database::connection(const DatabaseConfig &config, const QString &connectionName)
{
    if (QSqlDatabase::contains(connectionName)) {
        QSqlDatabase db = QSqlDatabase::database(connectionName);
        if (db.isOpen())
            return db;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(config.dialect.driverName(), connectionName);
    if (config.dialect.backend() == Dialect::Backend::Sqlite) {
        configureSqlite();       // both before the first SQLite connection of the process opens
        installWalWriteBuffer();
        QDir().mkpath(QFileInfo(config.path).absolutePath());
        db.setDatabaseName(config.path);
    } else {
        db.setHostName(config.host);
        db.setPort(config.port);
        db.setDatabaseName(config.name);
        db.setUserName(config.user);
        db.setPassword(config.password);
    }
    if (!db.open()) {
        qCWarning(lcStorage) << "cannot open database" << connectionName << ":" << db.lastError().text();
        return db;
    }
    QSqlQuery q(db);
    for (const QString &pragma : config.dialect.connectionPragmas()) {
        if (!q.exec(pragma))
            qCWarning(lcStorage) << "pragma failed:" << pragma << q.lastError().text();
    }
    return db;
}

std::optional<QString> Database::migrate(const DatabaseConfig &config, const QString &connectionName, int upToVersion)
{
    QSqlDatabase db = connection(config, connectionName);
    if (!db.isOpen())
        return QStringLiteral("cannot open database: %1").arg(db.lastError().text());
    return Migrations(config.dialect).apply(db, upToVersion);
}

int Database::schemaVersion(QSqlDatabase &db)
{
    return Migrations::currentVersion(db);
}

bool Database::exec(QSqlQuery &query, const QString &sql, const QVariantList &values)
{
    if (!query.prepare(sql)) {
        qCWarning(lcStorage).noquote() << "prepare failed:" << query.lastError().text() << "SQL:" << sql;
        return false;
    }
    for (const QVariant &v : values)
        query.addBindValue(v);
    return exec(query);
}

bool Database::exec(QSqlQuery &query)
{
    if (query.exec())
        return true;
    // Bound values are logged by position; no secrets are ever bound in plain form (passwords
    // arrive here only as Argon2 hashes).
    QStringList vals;
    const QVariantList bound = query.boundValues();
    for (const QVariant &v : bound) {
        QString s = v.toString();
        vals << (s.size() > 80 ? s.left(80) + QStringLiteral("…") : s);
    }
    qCWarning(lcStorage).noquote() << "query failed:" << query.lastError().text() << "SQL:" << query.lastQuery()
                                   << "values:" << vals.join(QStringLiteral(", "));
    return false;
}

QString Database::threadConnectionName(const QString &prefix)
{
    return QStringLiteral("%1-%2").arg(prefix).arg(reinterpret_cast<quintptr>(QThread::currentThread()), 0, 16);
}

} // namespace emailrag::storage
