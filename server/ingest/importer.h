#pragma once

#include "database.h"
#include "importtypes.h"

#include <QList>
#include <QObject>
#include <QStringList>

#include <atomic>
#include <memory>

class QThread;

namespace emailrag::ingest {

class ImportJob;

// Imports mail (mbox files, Maildir trees, .eml files or folders of them; format detected by
// content) into the store for one user and one uploads row.
//
// Thread: the Importer object lives on the caller's thread; start() runs the work on a thread of
// its own with its own database connection (parsing fans out to a small pool), so the event loop
// never blocks. Signals are emitted from the worker thread: connect with a context object and
// they arrive queued on the receiver's thread.
// Owner: the caller (QObject parent). Destroying a running Importer cancels it and waits.
// Failure: never throws; per-message problems go to upload_errors and the summary, upload-level
// problems end with status Failed and ImportSummary::error. Progress is only reported after the
// batch it describes is committed, together with the resume checkpoint (crash safe: a killed
// import resumes from the checkpoint via resumeInterruptedUploads()).
class Importer : public QObject
{
    Q_OBJECT
public:
    // `uploadId` names an existing uploads row (see createUpload() in uploads.h). `sources` are
    // the paths to import; when empty, the sources recorded for the upload (checkpoint or
    // uploads.source_path) are used, which is how an interrupted upload is resumed.
    Importer(storage::DatabaseConfig config, qint64 userId, QString uploadId, QStringList sources = {},
             QObject *parent = nullptr);
    ~Importer() override;

    void setBatchSize(int messages);  // messages per transaction (default 1000)
    void setParseThreads(int threads); // default: QThread::idealThreadCount(), at most 4

    QString uploadId() const { return m_uploadId; }
    bool isRunning() const;

    // Starts the import on its own thread. Call once.
    void start();
    // Asks the import to stop after the current batch; finished() follows with status Cancelled.
    // Everything committed so far stays.
    void cancel();
    // Blocks until the worker thread ends (for command-line use and tests).
    bool wait(int msecs = -1);

Q_SIGNALS:
    void progressChanged(const emailrag::ingest::ImportProgress &progress);
    // Ids (emails.id) of the emails a just-committed batch added: for `new_emails` and embedding.
    void emailsImported(const QString &uploadId, const QList<qint64> &emailIds);
    void finished(const emailrag::ingest::ImportSummary &summary);

private:
    storage::DatabaseConfig m_config;
    qint64 m_userId;
    QString m_uploadId;
    QStringList m_sources;
    int m_batchSize = 1000;
    int m_parseThreads = 0;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QThread *m_thread = nullptr;
};

} // namespace emailrag::ingest
