#pragma once

#include "database.h"

#include <QFuture>
#include <QPromise>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <type_traits>

namespace emailrag::storage {

// One thread that owns one database connection; everything submitted runs there, in order.
// Callers get a QFuture and continue with `.then(context, ...)`, so no GUI or socket thread ever
// blocks on SQL. Qt 6.4 pitfall: the context must outlive the future (a context destroyed first
// trips an assert in debug builds and silently drops the continuation in release); when it may
// not, use a QFutureWatcher owned by the receiver instead (see server/chat/futurewatch.h). Owned by whoever constructs it (usually the server); destruction waits for the
// queued work to finish and closes the connection.
//
// Why a one-thread QThreadPool and not a QThread + worker object: the pool queues work in order
// for us, and with expiry disabled it keeps the same thread alive, which QSqlDatabase needs
// (connections belong to their thread).
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
        using R = std::invoke_result_t<F, QSqlDatabase &>;
        // A QPromise-backed future, not QtConcurrent::run's: a thread that waits on a
        // QtConcurrent future whose task has not started yet may "steal" the task and run it
        // itself, and then the SQL would run on a thread that does not own the connection.
        auto promise = std::make_shared<QPromise<R>>();
        QFuture<R> future = promise->future();
        promise->start();
        m_pool.start([this, promise, work = std::forward<F>(work)]() mutable {
            QSqlDatabase db = Database::connection(m_config, m_name);
            if constexpr (std::is_void_v<R>) {
                work(db);
            } else {
                promise->addResult(work(db));
            }
            promise->finish();
        });
        return future;
    }

    const DatabaseConfig &config() const { return m_config; }

private:
    DatabaseConfig m_config;
    QString m_name;
    QThreadPool m_pool;
};

} // namespace emailrag::storage
