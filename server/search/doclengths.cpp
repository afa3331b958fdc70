#include "doclengths.h"

#include "sqlitestatement.h"

#include <QHash>
#include <QLoggingCategory>
#include <QMutex>

Q_DECLARE_LOGGING_CATEGORY(lcSearch)

namespace emailrag::search {

namespace {

// SQLite's varint, as FTS5 writes it (sqlite3Fts5GetVarint): big-endian 7-bit groups, the 9th
// byte whole. Returns the bytes read, 0 past the end.
int readVarint(const unsigned char *p, const unsigned char *end, quint64 *value)
{
    quint64 v = 0;
    for (int i = 0; i < 9; ++i) {
        if (p + i >= end)
            return 0;
        if (i == 8) {
            *value = (v << 8) | p[i];
            return 9;
        }
        v = (v << 7) | (p[i] & 0x7f);
        if (!(p[i] & 0x80)) {
            *value = v;
            return i + 1;
        }
    }
    return 0;
}

// Sum of the varints of a blob (the per-column sizes of a docsize row, or the averages record
// without its first varint).
bool sumVarints(const unsigned char *p, const unsigned char *end, quint64 *sum)
{
    *sum = 0;
    while (p < end) {
        quint64 v = 0;
        const int n = readVarint(p, end, &v);
        if (n == 0)
            return false;
        *sum += v;
        p += n;
    }
    return true;
}

// FTS5's averages record (%_data id 1): the row count, then the total tokens of each column.
bool readAverages(sqlite3 *db, qint64 *rows, qint64 *tokens)
{
    storage::SqliteStatement st;
    if (!st.prepare(db, "SELECT block FROM emails_fts_data WHERE id = 1"))
        return false;
    bool hasRow = false;
    if (!st.step(&hasRow))
        return false;
    if (!hasRow) { // an index that never held a row
        *rows = 0;
        *tokens = 0;
        return true;
    }
    const QByteArray block = st.columnText(0);
    const auto *p = reinterpret_cast<const unsigned char *>(block.constData());
    const auto *end = p + block.size();
    quint64 n = 0;
    const int used = readVarint(p, end, &n);
    quint64 total = 0;
    if (used == 0 || !sumVarints(p + used, end, &total))
        return false;
    *rows = qint64(n);
    *tokens = qint64(total);
    return true;
}

// Adds the docsize rows with id > `after` to `s`. The C API directly: a million rows.
bool loadRows(sqlite3 *db, qint64 after, DocLengthSnapshot *s)
{
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT id, sz FROM emails_fts_docsize WHERE id > ? ORDER BY id", -1, &stmt, nullptr)
        != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return false;
    }
    sqlite3_bind_int64(stmt, 1, after);
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        const qint64 id = sqlite3_column_int64(stmt, 0);
        const auto *p = static_cast<const unsigned char *>(sqlite3_column_blob(stmt, 1));
        quint64 len = 0;
        if (id < 0 || !sumVarints(p, p + sqlite3_column_bytes(stmt, 1), &len)) {
            rc = SQLITE_CORRUPT;
            break;
        }
        if (id >= qint64(s->length.size()))
            s->length.resize(size_t(id) + 1 + size_t(id) / 8, 0); // room to grow without a copy per row
        s->length[size_t(id)] = quint32(qMin<quint64>(len, 0xffffffffu));
        s->maxId = qMax(s->maxId, id);
        ++s->rows;
        s->tokens += qint64(len);
    }
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE;
}

} // namespace

std::shared_ptr<const DocLengthSnapshot> currentDocLengths(const QSqlDatabase &db)
{
    static QMutex mutex;
    static QHash<QString, std::shared_ptr<const DocLengthSnapshot>> stores;

    sqlite3 *handle = storage::sqliteHandle(db);
    if (!handle)
        return nullptr;
    const char *file = sqlite3_db_filename(handle, "main");
    // An in-memory database is its connection's alone.
    const QString key = file && *file ? QString::fromUtf8(file) : QStringLiteral("mem:%1").arg(quintptr(handle));
    qint64 rows = 0;
    qint64 tokens = 0;
    if (!readAverages(handle, &rows, &tokens))
        return nullptr;

    QMutexLocker lock(&mutex);
    std::shared_ptr<const DocLengthSnapshot> old = stores.value(key);
    if (old && old->rows == rows && old->tokens == tokens)
        return old;
    auto fresh = std::make_shared<DocLengthSnapshot>();
    bool ok = false;
    if (old && rows > old->rows) { // rows were added: read only those
        *fresh = *old;
        ok = loadRows(handle, old->maxId, fresh.get());
    }
    if (!ok || fresh->rows != rows || fresh->tokens != tokens) {
        fresh = std::make_shared<DocLengthSnapshot>();
        if (!loadRows(handle, -1, fresh.get())) {
            qCWarning(lcSearch) << "could not read the document lengths; ranking reads them per row";
            stores.remove(key);
            return nullptr;
        }
        qCDebug(lcSearch) << "document lengths loaded:" << fresh->rows << "rows";
    }
    fresh->store = key;
    // A writer may have committed between the two reads: the snapshot describes what it read,
    // and the next search checks it again.
    stores.insert(key, fresh);
    return fresh;
}

} // namespace emailrag::search
