#include "fanoutwriter.h"

#include <QtEndian>

#include <cerrno>
#include <pthread.h>
#include <sys/socket.h>

namespace emailrag::server {

FanoutWriter::FanoutWriter(int threads)
{
    const int helpers = std::max(0, threads - 1);
    m_shares.resize(size_t(helpers));
    for (int i = 0; i < helpers; ++i)
        m_helpers.emplace_back([this, i] { helperLoop(i); });
}

FanoutWriter::~FanoutWriter()
{
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
    }
    m_wake.notify_all();
    for (std::thread &t : m_helpers)
        t.join();
}

QByteArray FanoutWriter::textFrame(const QByteArray &utf8)
{
    const quint64 n = quint64(utf8.size());
    QByteArray frame;
    frame.reserve(utf8.size() + 10);
    frame.append(char(0x81)); // FIN + text opcode
    if (n < 126) {
        frame.append(char(n)); // no mask bit: server frames are not masked
    } else if (n <= 0xFFFF) {
        frame.append(char(126));
        const quint16 be = qToBigEndian<quint16>(quint16(n));
        frame.append(reinterpret_cast<const char *>(&be), 2);
    } else {
        frame.append(char(127));
        const quint64 be = qToBigEndian<quint64>(n);
        frame.append(reinterpret_cast<const char *>(&be), 8);
    }
    frame.append(utf8);
    return frame;
}

void FanoutWriter::sendAll(const QByteArray &frame, std::span<Target> targets)
{
    for (Target &t : targets) {
        qint64 sent = 0;
        while (sent < frame.size()) {
            const ssize_t r = ::send(t.fd, frame.constData() + sent, size_t(frame.size() - sent), MSG_DONTWAIT | MSG_NOSIGNAL);
            if (r > 0) {
                sent += r;
                continue;
            }
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
                sent = -1; // reset, broken pipe...: Qt sees it on the socket's next read
            break;
        }
        t.sent = sent;
    }
}

void FanoutWriter::write(const QByteArray &frame, std::span<Target> targets)
{
    const size_t helpers = m_helpers.size();
    if (helpers == 0 || targets.size() < size_t(kParallelFrom)) {
        sendAll(frame, targets);
        return;
    }
    // Equal contiguous shares; the caller takes the first.
    const size_t parts = helpers + 1;
    const size_t per = (targets.size() + parts - 1) / parts;
    {
        std::lock_guard lock(m_mutex);
        m_frame = &frame;
        for (size_t i = 0; i < helpers; ++i) {
            const size_t begin = std::min(targets.size(), per * (i + 1));
            const size_t end = std::min(targets.size(), per * (i + 2));
            m_shares[i] = targets.subspan(begin, end - begin);
        }
        m_pending = int(helpers);
        ++m_generation;
    }
    m_wake.notify_all();
    sendAll(frame, targets.first(std::min(per, targets.size())));
    std::unique_lock lock(m_mutex);
    m_done.wait(lock, [this] { return m_pending == 0; });
    m_frame = nullptr;
}

void FanoutWriter::helperLoop(int index)
{
    pthread_setname_np(pthread_self(), "emailrag-fanout");
    quint64 seen = 0;
    for (;;) {
        std::span<Target> share;
        const QByteArray *frame = nullptr;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this, seen] { return m_quit || m_generation != seen; });
            if (m_quit)
                return;
            seen = m_generation;
            share = m_shares[size_t(index)];
            frame = m_frame;
        }
        sendAll(*frame, share);
        {
            std::lock_guard lock(m_mutex);
            --m_pending;
        }
        m_done.notify_one();
    }
}

} // namespace emailrag::server
