#pragma once

#include "database.h"

#include <QFuture>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>

namespace emailrag::storage {

// One thread that owns one database connection; everything submitted runs there, in order.
// Callers get a QFuture and continue with `.then(context, ...)`, so no GUI or socket thread ever
// blocks on SQL. Qt 6.4 pitfall: the context must outlive the future (a context destroyed first
// trips an assert in debug builds and silently drops the continuation in release); when it may
// not, use a QFutureWatcher owned by the receiver instead (see server/chat/futurewatch.h). Owned by whoever constructs it (usually the server); destruction waits for the
// queued work to finish and closes the connection.
//
// Why a one-thread QThreadPool and not a QThread + worker object: QtConcurrent::run gives us
// QFuture plumbing for free, and a pool with expiry disabled keeps the same thread alive, which
// QSqlDatabase needs (connections belong to their thread).
class DbWorker
{
public:
    DbWorker(DatabaseConfig config, QString name);
    ~DbWorker();
    DbWorker(const DbWorker &) = delete;
    DbWorker &operator=(const DbWorker &) = delete;

    template<typename F>
    auto run(F &&work) -> QFuture<std::invoke_result_t<F, QSqlDatabase &>>
    {
        return QtConcurrent::run(&m_pool, [this, work = std::forward<F>(work)]() mutable {
            QSqlDatabase db = Database::connection(m_config, m_name);
            return work(db);
        });
    }

    const DatabaseConfig &config() const { return m_config; }

private:
    DatabaseConfig m_config;
    QString m_name;
    QThreadPool m_pool;
};

} // namespace emailrag::storage
