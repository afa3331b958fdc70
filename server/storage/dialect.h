#pragma once

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace emailrag::storage {

// What differs between the SQL backends we support: driver name, where the migration files live
// and what to run on a fresh connection. Callers never branch on the backend themselves.
// Plain value type; cheap to copy; used on whichever thread owns the connection.
class Dialect
{
public:
    enum class Backend { Sqlite, Postgresql };

    static Dialect sqlite();
    static Dialect postgresql();

    Backend backend() const { return m_backend; }
    QString driverName() const;
    QString migrationPrefix() const; // resource folder with NNN_name.sql files
    QStringList connectionPragmas() const;

private:
    explicit Dialect(Backend b) : m_backend(b) { }
    Backend m_backend;
};

} // namespace emailrag::storage
