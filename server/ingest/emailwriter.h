#pragma once

#include "importtypes.h"
#include "keyfilter.h"
#include "parsedemail.h"
#include "rawmessage.h"
#include "sqlitestatement.h"
#include "threader.h"

#include <QList>
#include <QSqlDatabase>

#include <ctime>

// Writes parsed emails in batches: one transaction per batch holding the emails rows, their
// attachments, their FTS5 rows (rowid = emails.id), thread bookkeeping, upload_errors and the
// upload's counters plus resume checkpoint — so a crash leaves either all of a batch or none.
// Deduplicates on (user_id, dedup_key). The per-row statements use SQLite's C API with UTF-8
// made on the parse threads (encodeForStorage), so this thread only binds and steps.
// With useMemory() (a large import), Bloom filters of the user's dedup keys and Message-IDs skip
// the lookups of keys never seen; at each batch the writer checks PRAGMA data_version and, when
// another connection committed meanwhile, adds that connection's new emails to the filters.
// Thread: the importer thread, which owns `db`. Failure: a batch whose SQL fails is rolled back
// and reported; nothing of it is counted. prepare() fails for a non-SQLite connection.
namespace emailrag::ingest {

struct ImportCounters
{
    qint64 total = 0;
    qint64 processed = 0;
    qint64 imported = 0;
    qint64 duplicates = 0;
    qint64 failed = 0;
    qint64 warnings = 0;
};

// Fills e.encoded from e's QString fields (UTF-8, FTS column texts with CJK spacing, thread
// candidates). Thread-safe; meant for the parse pool. With `dropText`, the large QString fields
// (body, quoted, attachment text) are released afterwards: the writer needs only `encoded`.
void encodeForStorage(ParsedEmail &e, bool dropText = false);

// Profiling aid (EMAILRAG_IMPORT_PROFILE=1): the writer thread's CPU time per phase (dedup lookup,
// threads, emails row, attachments, FTS row, commit), logged when the writer goes. Off: one branch
// per phase.
struct WriterPhases
{
    enum Phase { Dedup, Thread, Row, Attach, Fts, Commit, Begin, Count };
    bool on = qEnvironmentVariableIsSet("EMAILRAG_IMPORT_PROFILE");
    double secs[Count] = {};
    double last = 0;
    static double now()
    {
        timespec t {};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
    }
    void start() { if (on) last = now(); }
    void mark(Phase p)
    {
        if (!on)
            return;
        const double t = now();
        secs[p] += t - last;
        last = t;
    }
    ~WriterPhases();
};

class EmailWriter
{
public:
    EmailWriter(QSqlDatabase db, qint64 userId, QString uploadId);
    bool prepare(QString *error);
    // Loads the filters (see above) for an import of about `expectedNew` emails. Worth it when
    // that is not small against what the user already has (the load reads every key once).
    bool useMemory(qint64 expectedNew, QString *error);

    // Commits `batch` and the checkpoint. `counters` are updated only when the commit succeeded.
    // `newIds` receives the ids of the inserted emails, `errors` (capped by the caller) the
    // problems recorded. Emails not yet encoded are encoded here.
    bool writeBatch(QList<ParsedEmail> &batch, const Checkpoint &checkpoint, ImportCounters &counters,
                    const QString &operation, QList<qint64> &newIds, QList<ImportError> &errors, QString *error);

    // The same in two steps, so that one transaction can hold several parsed chunks: write()
    // opens the transaction when none is open and adds `chunk` to it (counted from `counters`
    // on, nothing reported yet); commit() stores the counters and the checkpoint and commits.
    // On failure everything since the last commit is rolled back and nothing of it is counted.
    bool write(QList<ParsedEmail> &chunk, const ImportCounters &counters, QString *error);
    bool commit(const Checkpoint &checkpoint, ImportCounters &counters, const QString &operation,
                QList<qint64> &newIds, QList<ImportError> &errors, QString *error);
    bool inTransaction() const { return m_inTransaction; }
    qint64 emailsInTransaction() const { return m_tx.processed - m_txStart; }

private:
    bool begin(QString *error);
    bool catchUpWithOthers();
    qint64 dataVersion();
    bool writeOne(ParsedEmail &e, ImportCounters &c, QList<qint64> &newIds, QList<ImportError> &errors);
    bool recordError(const QString &position, const QString &reason, QList<ImportError> &errors);

    QSqlDatabase m_db;
    sqlite3 *m_handle;
    qint64 m_userId;
    QString m_uploadId;
    QByteArray m_uploadIdUtf8;
    Threader m_threader;
    storage::SqliteStatement m_exists;
    storage::SqliteStatement m_insertEmail;
    storage::SqliteStatement m_insertFts;
    storage::SqliteStatement m_insertCjk;
    storage::SqliteStatement m_insertAttachment;
    storage::SqliteStatement m_insertError;
    storage::SqliteStatement m_updateUpload;
    storage::SqliteStatement m_updateCheckpoint;
    storage::SqliteStatement m_dataVersion;
    storage::SqliteStatement m_othersEmails;
    void rollback();

    WriterPhases m_phases;
    bool m_inTransaction = false;
    ImportCounters m_tx;       // counters including the open transaction
    qint64 m_txStart = 0;      // m_tx.processed when it began
    QList<qint64> m_txIds;
    QList<ImportError> m_txErrors;
    bool m_memory = false;
    KeyFilter m_dedup;          // dedup keys of the user's emails (maybe)
    qint64 m_seenVersion = 0;   // PRAGMA data_version after our last commit
    qint64 m_seenMaxId = 0;     // every emails row up to this id is in the filters
};

} // namespace emailrag::ingest
