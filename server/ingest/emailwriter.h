#pragma once

#include "importtypes.h"
#include "parsedemail.h"
#include "rawmessage.h"
#include "threader.h"

#include <QList>
#include <QSqlDatabase>
#include <QSqlQuery>

// Writes parsed emails in batches: one transaction per batch holding the emails rows, their
// attachments, their FTS5 rows (rowid = emails.id), thread bookkeeping, upload_errors and the
// upload's counters plus resume checkpoint — so a crash leaves either all of a batch or none.
// Deduplicates on (user_id, dedup_key). Thread: the importer thread, which owns `db`.
// Failure: a batch whose SQL fails is rolled back and reported; nothing of it is counted.
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

class EmailWriter
{
public:
    EmailWriter(QSqlDatabase db, qint64 userId, QString uploadId);
    bool prepare(QString *error);

    // Commits `batch` and the checkpoint. `counters` are updated only when the commit succeeded.
    // `newIds` receives the ids of the inserted emails, `errors` (capped by the caller) the
    // problems recorded.
    bool writeBatch(const QList<ParsedEmail> &batch, const Checkpoint &checkpoint, ImportCounters &counters,
                    const QString &operation, QList<qint64> &newIds, QList<ImportError> &errors, QString *error);

private:
    bool writeOne(const ParsedEmail &e, ImportCounters &c, QList<qint64> &newIds, QList<ImportError> &errors);
    bool recordError(const QString &position, const QString &reason, QList<ImportError> &errors);

    QSqlDatabase m_db;
    qint64 m_userId;
    QString m_uploadId;
    Threader m_threader;
    QSqlQuery m_exists;
    QSqlQuery m_insertEmail;
    QSqlQuery m_insertFts;
    QSqlQuery m_insertAttachment;
    QSqlQuery m_insertError;
    QSqlQuery m_updateUpload;
    QSqlQuery m_updateCheckpoint;
};

} // namespace emailrag::ingest
