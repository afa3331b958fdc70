#include "prefetch.h"

#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace emailrag::ingest {

void prefetchFile(const QString &path)
{
    const QByteArray name = QFile::encodeName(path);
    // O_NOATIME: a prefetch is not an access worth an inode write. The kernel refuses it
    // (EPERM) on files of another user, so retry without.
    int fd = ::open(name.constData(), O_RDONLY | O_CLOEXEC | O_NOATIME);
    if (fd < 0 && errno == EPERM)
        fd = ::open(name.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    // WILLNEED starts the read asynchronously and returns; the whole file (offset 0, length 0).
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
    ::close(fd);
}

} // namespace emailrag::ingest
