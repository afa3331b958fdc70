#include "importer.h"

#include "importjob.h"
#include "messageparser.h"

#include <QThread>

namespace emailrag::ingest {

Importer::Importer(storage::DatabaseConfig config, qint64 userId, QString uploadId, QStringList sources, QObject *parent)
    : QObject(parent),
      m_config(std::move(config)),
      m_userId(userId),
      m_uploadId(std::move(uploadId)),
      m_sources(std::move(sources)),
      m_cancel(std::make_shared<std::atomic_bool>(false))
{
    qRegisterMetaType<ImportProgress>();
    qRegisterMetaType<ImportSummary>();
}

Importer::~Importer()
{
    if (m_thread) {
        cancel();
        m_thread->wait();
        delete m_thread;
    }
}

void Importer::setBatchSize(int messages) { m_batchSize = messages; }
void Importer::setParseThreads(int threads) { m_parseThreads = threads; }
bool Importer::isRunning() const { return m_thread && m_thread->isRunning(); }

void Importer::start()
{
    if (m_thread)
        return;
    const int threads = m_parseThreads > 0 ? m_parseThreads : std::clamp(QThread::idealThreadCount(), 1, 4);
    ImportJob::Callbacks callbacks;
    // Signals are emitted from the worker thread; receivers get them queued on their own thread.
    callbacks.progress = [this](const ImportProgress &p) { Q_EMIT progressChanged(p); };
    callbacks.imported = [this](const QList<qint64> &ids) { Q_EMIT emailsImported(m_uploadId, ids); };
    m_thread = QThread::create([this, threads, callbacks] {
        ImportJob job(m_config, m_userId, m_uploadId, m_sources, m_batchSize, threads, m_cancel, callbacks);
        const ImportSummary summary = job.run();
        qCInfo(lcIngest) << "import" << m_uploadId << toString(summary.status) << "imported" << summary.imported
                         << "duplicates" << summary.duplicates << "failed" << summary.failed;
        Q_EMIT finished(summary);
    });
    m_thread->setObjectName(QStringLiteral("import-%1").arg(m_uploadId));
    m_thread->start();
}

void Importer::cancel() { m_cancel->store(true); }

bool Importer::wait(int msecs)
{
    if (!m_thread)
        return true;
    return msecs < 0 ? m_thread->wait() : m_thread->wait(QDeadlineTimer(msecs));
}

} // namespace emailrag::ingest
