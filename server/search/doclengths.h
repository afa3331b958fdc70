#pragma once

#include <QSqlDatabase>

#include <memory>
#include <vector>

// An in-memory copy of every indexed email's length in tokens (FTS5's emails_fts_docsize), as
// Lucene keeps its length norms in memory: bm25 needs each scored row's length, and reading it
// from the docsize table is a B-tree seek per row — most of what ranking a common word costs at
// 1,000,000 emails. 4 bytes per email; loaded once per store and process (about 0.15 s at 1M),
// then extended with the rows added since.
// Validity: a snapshot is checked against FTS5's averages record (row count and total tokens,
// one read) before each use: rows added are read incrementally, anything else (deletions)
// reloads it. A row newer than the snapshot is not in it; the rank function then reads its length
// from FTS5 (rankfunction.cpp).
// Thread: any; snapshots are immutable and shared. Owner: a process-wide registry per database
// file. Failure: current() returns nullptr and ranking reads lengths from FTS5 as before.
namespace emailrag::search {

struct DocLengthSnapshot
{
    QString store;      // the database file (or the connection, in memory)
    qint64 rows = 0;    // FTS5's row count when read
    qint64 tokens = 0;  // FTS5's total tokens (all columns) when read
    qint64 maxId = -1;  // the highest rowid read
    std::vector<quint32> length; // by rowid; 0 for ids not indexed

    // The length of `rowid`, or -1 when it is beyond the snapshot.
    qint64 lengthOf(qint64 rowid) const
    {
        return rowid >= 0 && rowid <= maxId ? qint64(length[size_t(rowid)]) : -1;
    }
};

// The store's current snapshot, brought up to date first. nullptr for a non-SQLite connection, a
// store without emails_fts, or a read error.
std::shared_ptr<const DocLengthSnapshot> currentDocLengths(const QSqlDatabase &db);

} // namespace emailrag::search
