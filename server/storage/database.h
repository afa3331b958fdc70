#pragma once

#include "dialect.h"

#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>

#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcStorage)

namespace emailrag::storage {

// The SQLite database file inside a data directory: dataDir + "/emailrag.db". Every mode and
// command uses this, so they all open the same store.
QString defaultDatabasePath(const QString &dataDir);

// Where the data lives and how to open a connection to it. A value type: copy it to any thread
// and call connection() there — QSqlDatabase connections belong to the thread that opened them,
// so each thread opens its own named connection.
struct DatabaseConfig
{
    Dialect dialect = Dialect::sqlite();
    QString path;     // SQLite file
    QString host;     // PostgreSQL
    int port = 5432;
    QString name;     // PostgreSQL database name
    QString user;
    QString password; // never logged

    static DatabaseConfig sqliteFile(const QString &path);
};

class Database
{
public:
    // Opens (or reuses) the connection `connectionName` for the calling thread and applies the
    // connection pragmas. Returns an invalid QSqlDatabase and logs why on failure.
    static QSqlDatabase connection(const DatabaseConfig &config, const QString &connectionName);

    // Opens a connection and applies every pending migration. Call once at start-up, before any
    // other thread uses the database. Returns an error message or nothing on success.
    static std::optional<QString> migrate(const DatabaseConfig &config, const QString &connectionName,
                                          int upToVersion = -1);

    // Highest schema version recorded, 0 for a fresh database.
    static int schemaVersion(QSqlDatabase &db);

    // Runs `sql` with positional bound values; logs the SQL and values on failure.
    static bool exec(QSqlQuery &query, const QString &sql, const QVariantList &values = {});
    static bool exec(QSqlQuery &query); // an already prepared and bound query
    // Unique connection name for the calling thread, with a prefix for the logs.
    static QString threadConnectionName(const QString &prefix);
};

} // namespace emailrag::storage
