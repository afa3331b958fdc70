#pragma once

#include <QString>

#include <memory>

// Read-ahead for the Maildir files of the batches still to come, and the open descriptor handed
// on to the parse thread that reads the file.
// Called on the import's reader thread, two batches ahead of the writer. A cold Maildir (not
// in the page cache — the usual case for an archive being imported) otherwise costs one
// synchronous disk read per file on a parse thread: two parse threads keep at most two reads
// in flight, and the disk sits mostly idle while they wait. The hint lets the kernel fetch
// the coming files in parallel in the background.
// The descriptor opened for the hint is kept and read by the parse thread (loadMessageFile)
// instead of opening the file a second time: on a VM without PCID every system call flushes
// the TLB, and an open of a Maildir path costs microseconds (Enron: 88,000 opens and closes).
// Held descriptors are capped (see openAhead); above the cap the file is opened again later.
// Failures are ignored here: the parse thread's own open reports them.
namespace emailrag::ingest {

// An open, read-only file; closed when the last reference goes.
class OpenedFile
{
public:
    explicit OpenedFile(int fd) : m_fd(fd) {}
    ~OpenedFile();
    OpenedFile(const OpenedFile &) = delete;
    OpenedFile &operator=(const OpenedFile &) = delete;
    int fd() const { return m_fd; }

private:
    int m_fd;
};

// Asks the kernel to read `path` ahead and returns the open file, or nullptr when it could not
// be opened or too many are held already (the hint was still given when it could be opened).
// The cap is half the soft limit on open files, less a reserve, after the soft limit was raised
// towards the hard one once (a process default of 1,024 otherwise caps this at a few hundred).
std::shared_ptr<const OpenedFile> openAhead(const QString &path);

} // namespace emailrag::ingest
