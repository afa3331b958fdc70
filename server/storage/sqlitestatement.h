#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QSqlDatabase>
#include <QString>

#include <sqlite3.h>

// SQLite's C API for the few hot statements that run once per row in bulk writes (the import
// writer): prepared once, bound with UTF-8 bytes made on other threads (no QVariant, no UTF-16
// round trip), stepped and reset. Everything else goes through QSqlQuery. The handle comes from
// Qt's QSQLITE driver, which links the same system libsqlite3 (docs/ingestion.md).
// Thread: the thread that owns the connection. Owner: the caller; the statement must be
// destroyed before the connection closes. Failure: step()/prepare() return false and log the
// SQL with SQLite's message (bound values are not logged: they are whole emails).
namespace emailrag::storage {

// The sqlite3 handle of an open QSQLITE connection, or nullptr for another driver.
sqlite3 *sqliteHandle(const QSqlDatabase &db);

// FTS5's extension API of a connection (custom rank functions, its tokenizers), or nullptr when
// the library has no FTS5.
fts5_api *ftsApi(sqlite3 *db);

class SqliteStatement
{
public:
    SqliteStatement() = default;
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    bool prepare(sqlite3 *db, const char *sql);

    // Indexes are 1-based as in SQLite. Text and blobs are NOT copied: the bytes must stay
    // alive and unchanged until step() returns.
    void bindInt(int index, qint64 value);
    void bindNull(int index);
    void bindText(int index, const QByteArray &utf8);       // empty -> '' (never NULL)
    void bindTextOrNull(int index, const QByteArray &utf8); // empty -> NULL
    void bindBlob(int index, const QByteArray &bytes);
    // For text that holds no NUL byte (the caller checks): bound as a NUL-terminated string, so
    // that SQLite 3.40 need not copy it to add a terminator when it is read back as text. FTS5
    // reads every column it indexes that way: without this, each email's index text was copied
    // once more on the writer thread. (A length that includes the terminator does not help in
    // 3.40: the NUL is kept as part of the value.)
    void bindTerminatedText(int index, const QByteArray &utf8);

    // Runs the statement. Returns true for a row (SQLITE_ROW) or done (SQLITE_DONE); `hasRow`
    // tells which. A statement is reset (bindings kept) before each run.
    bool step(bool *hasRow = nullptr);
    bool next(); // the next row of a query already stepped; false at the end or on error
    qint64 columnInt(int column) const;
    QByteArray columnText(int column) const;
    // The column's UTF-8 bytes without a copy: valid until the next step(), next() or reset().
    QByteArrayView columnView(int column) const;
    bool columnIsNull(int column) const;
    void reset(); // releases read locks and cursors after a query

    QString lastError() const;

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
};

// Runs one statement without results (BEGIN, COMMIT, ...). Logs and returns false on failure.
bool sqliteExec(sqlite3 *db, const char *sql, QString *error = nullptr);

} // namespace emailrag::storage
