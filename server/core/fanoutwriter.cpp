#include "fanoutwriter.h"

#include <QtEndian>

#include <cerrno>
#include <pthread.h>
#include <sys/socket.h>

namespace emailrag::server {

FanoutWriter::FanoutWriter(int threads)
{
    const int helpers = std::max(0, threads - 1);
    for (int i = 0; i < helpers; ++i)
        m_helpers.emplace_back([this] { helperLoop(); });
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

void FanoutWriter::takeChunks()
{
    for (;;) {
        const size_t begin = m_next.fetch_add(kChunk, std::memory_order_relaxed);
        if (begin >= m_targets.size())
            return;
        sendAll(*m_frame, m_targets.subspan(begin, std::min(kChunk, m_targets.size() - begin)));
    }
}

void FanoutWriter::write(const QByteArray &frame, std::span<Target> targets)
{
    if (m_helpers.empty() || targets.size() < size_t(kParallelFrom)) {
        sendAll(frame, targets);
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        m_frame = &frame;
        m_targets = targets;
        m_next.store(0, std::memory_order_relaxed);
        m_open = true;
        ++m_generation;
    }
    m_wake.notify_all();
    takeChunks();
    // Every chunk is taken; close the door and wait for helpers still writing theirs.
    std::unique_lock lock(m_mutex);
    m_open = false;
    m_done.wait(lock, [this] { return m_active == 0; });
    m_frame = nullptr;
    m_targets = {};
}

void FanoutWriter::helperLoop()
{
    pthread_setname_np(pthread_self(), "emailrag-fanout");
    quint64 seen = 0;
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this, seen] { return m_quit || m_generation != seen; });
            if (m_quit)
                return;
            seen = m_generation;
            if (!m_open)
                continue; // woke up after that write() was finished by the others
            ++m_active;
        }
        takeChunks();
        {
            std::lock_guard lock(m_mutex);
            --m_active;
        }
        m_done.notify_one();
    }
}

} // namespace emailrag::server
