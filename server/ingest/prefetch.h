#pragma once

#include <QString>

// Read-ahead hints for the Maildir files of the batches still to come.
// Called on the import's reader thread, two batches ahead of the writer. A cold Maildir (not
// in the page cache — the usual case for an archive being imported) otherwise costs one
// synchronous disk read per file on a parse thread: two parse threads keep at most two reads
// in flight, and the disk sits mostly idle while they wait. The hint lets the kernel fetch
// the coming files in parallel in the background. Failures are ignored: the parse thread's
// own read reports them.
namespace emailrag::ingest {

void prefetchFile(const QString &path);

} // namespace emailrag::ingest
