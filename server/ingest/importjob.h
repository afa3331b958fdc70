#pragma once

#include "database.h"
#include "emailwriter.h"
#include "importtypes.h"
#include "mailsources.h"
#include "mboxreader.h"
#include "rawmessage.h"

#include <QElapsedTimer>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>

// The import pipeline for one upload, run start to end on the calling thread (the Importer's
// worker thread): pre-scan for the total, then read a batch, parse it on the pool while the
// previous batch is written, commit with the checkpoint, report. Not a QObject: the Importer
// turns its callbacks into signals. Failure: returns a summary with status Failed and a reason.
namespace emailrag::ingest {

class ImportJob
{
public:
    struct Callbacks
    {
        std::function<void(const ImportProgress &)> progress;
        std::function<void(const QList<qint64> &)> imported;
    };

    ImportJob(storage::DatabaseConfig config, qint64 userId, QString uploadId, QStringList sources, int batchSize,
              int parseThreads, std::shared_ptr<std::atomic_bool> cancel, Callbacks callbacks);
    ImportSummary run();

private:
    ImportSummary runWith(QSqlDatabase &db);
    bool readNext(RawMessage &out);
    QList<RawMessage> readBatch();
    void report(ImportStatus status, ImportOperation op);
    bool setUploadState(QSqlDatabase &db, ImportStatus status, ImportOperation op, const QString &error = {});
    ImportSummary finish(QSqlDatabase &db, ImportStatus status, const QString &error);

    storage::DatabaseConfig m_config;
    qint64 m_userId;
    QString m_uploadId;
    QStringList m_sources;
    int m_batchSize;
    std::shared_ptr<std::atomic_bool> m_cancel;
    Callbacks m_callbacks;
    QThreadPool m_pool;

    QList<SourceItem> m_items;
    Checkpoint m_pos;                      // where reading stands
    std::unique_ptr<MboxReader> m_reader;  // open while inside an mbox item
    ImportCounters m_counters;
    qint64 m_processedAtStart = 0;
    QElapsedTimer m_clock;
};

} // namespace emailrag::ingest
