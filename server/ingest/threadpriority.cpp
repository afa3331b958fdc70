#include "threadpriority.h"

#include <algorithm>
#include <cerrno>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace emailrag::ingest {

void lowerThreadPriority(int steps)
{
    // Per thread, once: the pool's threads are the import's own and are not handed back to
    // other work at normal priority.
    thread_local bool done = false;
    if (done)
        return;
    done = true;
    const int tid = int(::syscall(SYS_gettid));
    errno = 0;
    const int current = ::getpriority(PRIO_PROCESS, id_t(tid));
    if (errno == 0)
        ::setpriority(PRIO_PROCESS, id_t(tid), std::min(19, current + steps));
}

} // namespace emailrag::ingest
