#include "sqlitestatement.h"

#include "database.h"

#include <QSqlDriver>
#include <QVariant>

namespace emailrag::storage {

namespace {
const char kEmpty[] = "";
}

sqlite3 *sqliteHandle(const QSqlDatabase &db)
{
    if (!db.isOpen() || !db.driver())
        return nullptr;
    const QVariant v = db.driver()->handle();
    if (!v.isValid() || qstrcmp(v.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(v.constData());
}

fts5_api *ftsApi(sqlite3 *db)
{
    fts5_api *api = nullptr;
    sqlite3_stmt *stmt = nullptr;
    if (!db || sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK)
        return nullptr;
    sqlite3_bind_pointer(stmt, 1, static_cast<void *>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    return api;
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_stmt);
}

bool SqliteStatement::prepare(sqlite3 *db, const char *sql)
{
    sqlite3_finalize(m_stmt);
    m_stmt = nullptr;
    m_db = db;
    if (!db)
        return false;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr) != SQLITE_OK) {
        qCWarning(lcStorage).noquote() << "prepare failed:" << sqlite3_errmsg(db) << "SQL:" << sql;
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
        return false;
    }
    return true;
}

void SqliteStatement::bindInt(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
}

void SqliteStatement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
}

void SqliteStatement::bindText(int index, const QByteArray &utf8)
{
    if (utf8.isEmpty())
        sqlite3_bind_text(m_stmt, index, kEmpty, 0, SQLITE_STATIC);
    else
        sqlite3_bind_text(m_stmt, index, utf8.constData(), int(utf8.size()), SQLITE_STATIC);
}

void SqliteStatement::bindTextOrNull(int index, const QByteArray &utf8)
{
    if (utf8.isEmpty())
        sqlite3_bind_null(m_stmt, index);
    else
        sqlite3_bind_text(m_stmt, index, utf8.constData(), int(utf8.size()), SQLITE_STATIC);
}

void SqliteStatement::bindTerminatedText(int index, const QByteArray &utf8)
{
    Q_ASSERT(!utf8.contains('\0'));
    // QByteArray keeps a terminator after its bytes, also when empty (it points at a static "").
    sqlite3_bind_text(m_stmt, index, utf8.constData(), -1, SQLITE_STATIC);
}

void SqliteStatement::bindBlob(int index, const QByteArray &bytes)
{
    sqlite3_bind_blob(m_stmt, index, bytes.isEmpty() ? kEmpty : bytes.constData(), int(bytes.size()), SQLITE_STATIC);
}

bool SqliteStatement::step(bool *hasRow)
{
    if (hasRow)
        *hasRow = false;
    if (!m_stmt)
        return false;
    sqlite3_reset(m_stmt);
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
        if (hasRow)
            *hasRow = true;
        return true;
    }
    if (rc == SQLITE_DONE) {
        sqlite3_reset(m_stmt);
        return true;
    }
    qCWarning(lcStorage).noquote() << "query failed:" << sqlite3_errmsg(m_db) << "SQL:" << sqlite3_sql(m_stmt);
    sqlite3_reset(m_stmt);
    return false;
}

bool SqliteStatement::next()
{
    if (!m_stmt)
        return false;
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc != SQLITE_DONE)
        qCWarning(lcStorage).noquote() << "query failed:" << sqlite3_errmsg(m_db) << "SQL:" << sqlite3_sql(m_stmt);
    sqlite3_reset(m_stmt);
    return false;
}

qint64 SqliteStatement::columnInt(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

QByteArray SqliteStatement::columnText(int column) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return p ? QByteArray(p, sqlite3_column_bytes(m_stmt, column)) : QByteArray();
}

QByteArrayView SqliteStatement::columnView(int column) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return p ? QByteArrayView(p, sqlite3_column_bytes(m_stmt, column)) : QByteArrayView();
}

bool SqliteStatement::columnIsNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

void SqliteStatement::reset()
{
    if (m_stmt)
        sqlite3_reset(m_stmt);
}

QString SqliteStatement::lastError() const
{
    return m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QStringLiteral("no SQLite connection");
}

bool sqliteExec(sqlite3 *db, const char *sql, QString *error)
{
    char *msg = nullptr;
    if (db && sqlite3_exec(db, sql, nullptr, nullptr, &msg) == SQLITE_OK)
        return true;
    const QString err = msg ? QString::fromUtf8(msg) : QStringLiteral("no SQLite connection");
    sqlite3_free(msg);
    qCWarning(lcStorage).noquote() << "query failed:" << err << "SQL:" << sql;
    if (error)
        *error = err;
    return false;
}

} // namespace emailrag::storage
