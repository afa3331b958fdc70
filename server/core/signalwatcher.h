#pragma once

#include <QObject>

class QSocketNotifier;

namespace emailrag::server {

// Turns SIGTERM and SIGINT into a Qt signal, safely: the POSIX handler only writes one byte to a
// socketpair; a QSocketNotifier on the other end emits terminationRequested() on the event loop.
// Create one, on the main thread, in the headless server. Owned by its creator; the previous
// handlers are restored on destruction. Fails (logs, no signal) if socketpair() fails.
class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    void onReadable();
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace emailrag::server
