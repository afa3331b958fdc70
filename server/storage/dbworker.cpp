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
    m_pool.waitForDone();
    // Close the connection on its own thread, then forget it.
    QtConcurrent::run(&m_pool, [name = m_name] {
        if (QSqlDatabase::contains(name))
            QSqlDatabase::database(name, false).close();
    }).waitForFinished();
    m_pool.waitForDone();
    QSqlDatabase::removeDatabase(m_name);
}

} // namespace emailrag::storage
