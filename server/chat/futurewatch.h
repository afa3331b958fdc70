#pragma once

#include <QFutureWatcher>
#include <QObject>

#include <utility>

namespace emailrag::chat {

// Runs `onResult(result)` (or `onCanceled()`) on `owner`'s thread when `future` finishes, unless
// `owner` has been destroyed by then. Why not QFuture::then(owner, ...): in Qt 6.4 a continuation
// whose context object is destroyed before the future finishes trips Q_ASSERT(context) (and in a
// release build invokes nothing without telling anyone); a watcher owned by `owner` simply goes
// away with it.
template<typename T, typename OnResult, typename OnCanceled>
void watchFuture(QObject *owner, QFuture<T> future, OnResult &&onResult, OnCanceled &&onCanceled)
{
    auto *watcher = new QFutureWatcher<T>(owner);
    QObject::connect(watcher, &QFutureWatcherBase::finished, owner,
                     [watcher, onResult = std::forward<OnResult>(onResult),
                      onCanceled = std::forward<OnCanceled>(onCanceled)]() mutable {
                         watcher->deleteLater();
                         if (watcher->future().isCanceled() || watcher->future().resultCount() == 0)
                             onCanceled();
                         else
                             onResult(watcher->future().result());
                     });
    watcher->setFuture(std::move(future));
}

} // namespace emailrag::chat
