#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

// Value types the import pipeline reports with. Plain data: copied across threads through queued
// signals. The server turns ImportProgress into `upload_progress` and ImportSummary into the final
// `upload_progress` (status completed/failed/cancelled) plus `new_emails`.
namespace emailrag::ingest {

enum class ImportStatus { Queued, Processing, Completed, Failed, Cancelled };
enum class ImportOperation { Receiving, Parsing, IndexingEmails, Embedding, Finalizing };

// The exact strings of the WebSocket API ("queued", "indexing_emails", ...); also stored in
// uploads.status / uploads.current_operation.
QString toString(ImportStatus status);
QString toString(ImportOperation operation);
ImportStatus importStatusFromString(const QString &s); // unknown -> Failed

struct ImportProgress
{
    QString uploadId;
    ImportStatus status = ImportStatus::Queued;
    ImportOperation operation = ImportOperation::Parsing;
    qint64 emailsProcessed = 0; // messages read and committed (imported + duplicates + failed)
    qint64 totalEmails = 0;     // from the fast pre-scan; 0 until known
    qint64 imported = 0;
    qint64 duplicates = 0;
    qint64 failed = 0;
    double emailsPerSecond = 0;
    qint64 etaSeconds = -1;     // -1: unknown
    int percent() const;        // 0..100, from emailsProcessed / totalEmails
};

struct ImportError
{
    QString position; // "message 17 at byte 40211 of inbox.mbox", or a file path
    QString reason;
};

struct ImportSummary
{
    QString uploadId;
    ImportStatus status = ImportStatus::Completed;
    qint64 processed = 0;
    qint64 imported = 0;
    qint64 duplicates = 0;
    qint64 failed = 0;        // messages not imported (errors in `errors`)
    qint64 warnings = 0;      // imported, but with a recorded problem (bad charset, too many parts, ...)
    QList<ImportError> errors; // the first 100 errors and warnings; all are in upload_errors
    double elapsedSeconds = 0;
    double writerCpuSeconds = 0; // CPU time of the importer thread (the single SQLite writer)
    double emailsPerSecond = 0;
    QString error;            // upload-level failure reason when status == Failed
};

} // namespace emailrag::ingest

Q_DECLARE_METATYPE(emailrag::ingest::ImportProgress)
Q_DECLARE_METATYPE(emailrag::ingest::ImportSummary)
