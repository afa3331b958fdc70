#pragma once

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <optional>

// Small helpers around the users/uploads rows the import pipeline works on. Free functions
// that run on the calling thread's connection (call them on a DbWorker or the importer thread).
namespace emailrag::ingest {

// The id of user `name`, creating the user when missing with password_hash '!' ("no password
// login yet"; the server's user management sets a real one). nullopt on SQL error (logged).
std::optional<qint64> ensureUser(QSqlDatabase &db, const QString &name);

// Inserts an uploads row (status queued) and returns its id, "upload_" + 16 hex digits.
// `sourcePaths` are remembered so that an interrupted import can resume on its own.
std::optional<QString> createUpload(QSqlDatabase &db, qint64 userId, const QString &filename,
                                    const QStringList &sourcePaths, qint64 sizeBytes = 0);

struct InterruptedUpload
{
    QString uploadId;
    qint64 userId = 0;
    QStringList sources;
};

// Uploads left in status processing, or queued with source paths recorded, by a crash or kill
// (queued rows are only resumable once their bytes are complete: keep receiving uploads in status
// 'receiving' or without source_path until then). For each, start an
// Importer(config, userId, uploadId) for each — with no sources, it reads them from the upload
// and continues from the committed checkpoint. `userId` < 0 means every user.
QList<InterruptedUpload> interruptedUploads(QSqlDatabase &db, qint64 userId = -1);

} // namespace emailrag::ingest
