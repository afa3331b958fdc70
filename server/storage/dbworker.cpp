#include "dbworker.h"

namespace emailrag::storage {

DbWorker::DbWorker(DatabaseConfig config, QString name)
    : m_config(std::move(config))
    , m_name(std::move(name))
{
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);
}

DbWorker::~DbWorker()
{
    // Close the connection on its own thread as the last queued task (tasks run in order on the
    // one thread), then let waitForDone() drain the queue. Not QFuture::waitForFinished(): it may
    // run a task that has not started yet on the *calling* thread, where the connection does not
    // belong.
    m_pool.start([name = m_name] {
        if (QSqlDatabase::contains(name))
            QSqlDatabase::database(name, false).close();
    });
    m_pool.waitForDone();
    QSqlDatabase::removeDatabase(m_name);
}

} // namespace emailrag::storage
