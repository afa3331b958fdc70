#pragma once

#include <QFutureWatcher>
#include <QObject>

#include <utility>

namespace emailrag::server {

// Runs `onResult(result)` on `owner`'s thread when `future` finishes with a result, unless
// `owner` has been destroyed by then (a future that ends without a result — cancelled, or its
// worker gone — calls nothing). Use this instead of QFuture::then(owner, ...): in Qt 6.4 a
// continuation whose context object dies before the future finishes trips Q_ASSERT(context) in
// a debug build (and silently drops the call otherwise); the watcher here is a child of `owner`
// and goes away with it. (The same pattern as server/chat/futurewatch.h, which core cannot
// depend on: chat is optional in the build.)
template<typename T, typename OnResult>
void whenFinished(QObject *owner, QFuture<T> future, OnResult &&onResult)
{
    auto *watcher = new QFutureWatcher<T>(owner);
    QObject::connect(watcher, &QFutureWatcherBase::finished, owner, [watcher, onResult = std::forward<OnResult>(onResult)]() mutable {
        watcher->deleteLater();
        const QFuture<T> f = watcher->future();
        if (!f.isCanceled() && f.resultCount() > 0)
            onResult(f.result());
    });
    watcher->setFuture(std::move(future));
}

} // namespace emailrag::server
