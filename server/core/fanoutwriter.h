#pragma once

#include <QByteArray>

#include <condition_variable>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

namespace emailrag::server {

// Writes one already-framed WebSocket message (the same bytes for every receiver: server
// frames are not masked) straight to many plain-TCP socket descriptors with non-blocking
// send(), spread over the calling thread and helper threads, so that the kernel's per-write
// work (on loopback it also does the receiving side's TCP processing) runs on every core.
//
// Thread: write() is called on the server thread and returns only when every helper has
// finished its share, so the descriptors (owned by the server thread's QTcpSockets) stay open
// for the whole call and nothing else touches the targets meanwhile. The helpers touch nothing
// but the descriptors and the shared frame. Owner: the Hub. Failure: a target records how
// many bytes the kernel took (0 when its buffer is full, -1 on a socket error); the caller
// queues the rest through Qt (see Hub::deliver), so nothing is lost or reordered.
class FanoutWriter
{
public:
    struct Target
    {
        int fd = -1;
        qint64 sent = 0; // out: bytes taken by the kernel; -1 = error (the socket is failing)
    };

    // `threads` in all, the caller included (1 = no helper thread).
    explicit FanoutWriter(int threads);
    ~FanoutWriter();
    FanoutWriter(const FanoutWriter &) = delete;
    FanoutWriter &operator=(const FanoutWriter &) = delete;

    int threads() const { return int(m_helpers.size()) + 1; }
    // Sends `frame` to every target; below `kParallelFrom` targets only the caller writes.
    void write(const QByteArray &frame, std::span<Target> targets);

    // A complete, unmasked, final text frame carrying `utf8` (RFC 6455 5.2).
    static QByteArray textFrame(const QByteArray &utf8);

    static constexpr int kParallelFrom = 64;

private:
    static void sendAll(const QByteArray &frame, std::span<Target> targets);
    void helperLoop(int index);

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_done;
    quint64 m_generation = 0;  // bumped per write(); helpers run once per generation
    int m_pending = 0;         // helpers still writing the current generation
    bool m_quit = false;
    const QByteArray *m_frame = nullptr;
    std::vector<std::span<Target>> m_shares; // one per helper for the current generation
    std::vector<std::thread> m_helpers;
};

} // namespace emailrag::server
