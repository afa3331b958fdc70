#include "prefetch.h"

#include <QFile>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace emailrag::ingest {

namespace {
std::atomic<long> g_held {0};

// How many descriptors the read-ahead may hold at once. A descriptor lives from the reader's batch
// until its message is parsed: at most three chunks of 1,000 (the batch being read and the two
// being parsed), so 8,192 is never the limit in practice.
long heldLimit()
{
    static const long limit = [] {
        rlimit r {};
        if (::getrlimit(RLIMIT_NOFILE, &r) != 0)
            return 0L;
        // Raising the soft limit is the documented way for a program that needs more descriptors
        // (the 1,024 default exists for select(), which neither Qt nor GLib use here).
        const rlim_t wanted = std::min<rlim_t>(r.rlim_max, 16384);
        if (r.rlim_cur != RLIM_INFINITY && r.rlim_cur < wanted) {
            rlimit raised = r;
            raised.rlim_cur = wanted;
            if (::setrlimit(RLIMIT_NOFILE, &raised) == 0)
                r = raised;
        }
        const long soft = r.rlim_cur == RLIM_INFINITY ? 16384L : long(r.rlim_cur);
        return std::clamp(soft / 2 - 128, 0L, 8192L);
    }();
    return limit;
}
} // namespace

OpenedFile::~OpenedFile()
{
    ::close(m_fd);
    g_held.fetch_sub(1, std::memory_order_relaxed);
}

std::shared_ptr<const OpenedFile> openAhead(const QString &path)
{
    const QByteArray name = QFile::encodeName(path);
    // O_NOATIME: a prefetch is not an access worth an inode write. The kernel refuses it
    // (EPERM) on files of another user, so retry without.
    int fd = ::open(name.constData(), O_RDONLY | O_CLOEXEC | O_NOATIME);
    if (fd < 0 && errno == EPERM)
        fd = ::open(name.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return nullptr;
    // WILLNEED starts the read asynchronously and returns; the whole file (offset 0, length 0).
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
    if (g_held.fetch_add(1, std::memory_order_relaxed) >= heldLimit()) {
        g_held.fetch_sub(1, std::memory_order_relaxed);
        ::close(fd);
        return nullptr;
    }
    return std::make_shared<const OpenedFile>(fd);
}

} // namespace emailrag::ingest
