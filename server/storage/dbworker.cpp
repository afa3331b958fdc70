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
    // one thread). waitForDone() must come after: in Qt 6 it also ends the pool's threads, and a
    // close on a fresh thread would touch a connection that belongs to the old one.
    QtConcurrent::run(&m_pool, [name = m_name] {
        if (QSqlDatabase::contains(name))
            QSqlDatabase::database(name, false).close();
    }).waitForFinished();
    m_pool.waitForDone();
    QSqlDatabase::removeDatabase(m_name);
}

} // namespace emailrag::storage
