#pragma once

#include <QByteArray>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

namespace emailrag::server {

// Writes one already-framed WebSocket message (the same bytes for every receiver: server
// frames are not masked) straight to many plain-TCP socket descriptors with non-blocking
// send(), spread over the calling thread and helper threads, so that the kernel's per-write
// work (on loopback it also does the receiving side's TCP processing) runs on every core. The
// receivers are taken in chunks from a shared counter, so a helper that the scheduler keeps
// waiting (a busy machine) just takes fewer chunks: the caller never waits for work that it
// could do itself, only for chunks a helper has already started.
//
// Thread: write() is called on the server thread and returns only when no helper is writing
// any more, so the descriptors (owned by the server thread's QTcpSockets) stay open for the
// whole call and nothing else touches the targets meanwhile. The helpers touch nothing but the
// descriptors and the shared frame. Owner: the Hub. Failure: a target records how many bytes
// the kernel took (0 when its buffer is full, -1 on a socket error); the caller queues the rest
// through Qt (see Hub::deliver), so nothing is lost or reordered.
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
    static constexpr size_t kChunk = 16; // receivers per take from the shared counter

private:
    static void sendAll(const QByteArray &frame, std::span<Target> targets);
    void takeChunks(); // until the counter passes the end of m_targets
    void helperLoop();

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_done;
    quint64 m_generation = 0; // bumped per write(); a helper joins each generation at most once
    bool m_open = false;      // helpers may still join the current write()
    int m_active = 0;         // helpers inside the current write()
    bool m_quit = false;
    // The current write(); set before m_open, read by helpers only while they are active.
    const QByteArray *m_frame = nullptr;
    std::span<Target> m_targets;
    std::atomic<size_t> m_next{0};
    std::vector<std::thread> m_helpers;
};

} // namespace emailrag::server
