#pragma once

#include "dialect.h"

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <optional>

namespace emailrag::storage {

// Applies the numbered SQL files in the dialect's resource folder (NNN_name.sql), each in one
// transaction that also records its version in schema_version. Used on the thread that owns `db`.
// Fails with a message naming the file and statement; the failed step is rolled back.
class Migrations
{
public:
    explicit Migrations(Dialect dialect) : m_dialect(dialect) { }

    std::optional<QString> apply(QSqlDatabase &db, int upToVersion = -1) const;
    static int currentVersion(QSqlDatabase &db);
    // Versions available in resources, ascending.
    QList<int> available() const;

    // Splits a migration file into statements: on ';' at a line end, except inside a
    // CREATE TRIGGER ... END block. Comment lines are dropped.
    static QStringList splitStatements(const QString &sql);

private:
    Dialect m_dialect;
};

} // namespace emailrag::storage
