#pragma once

#include <QEventLoop>
#include <QFuture>
#include <QFutureWatcher>

// Waits for a QFuture while running the caller's event loop (for the command line, which works
// one step after another). Never use it from a UI slot: connect to the future instead.
namespace emailrag::client {

template<typename T>
T waitForFuture(QFuture<T> future)
{
    if (!future.isFinished()) {
        QEventLoop loop;
        QFutureWatcher<T> watcher;
        QObject::connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
        watcher.setFuture(future);
        if (!future.isFinished())
            loop.exec();
    }
    return future.result();
}

} // namespace emailrag::client
