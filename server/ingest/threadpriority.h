#pragma once

// The import's helper threads run below the writer's priority (nice). The writer is the one
// stage that cannot be spread over cores, so every moment it waits for a CPU is added to the
// import's wall time; the parse pool, the reader and the checkpointer only have to keep ahead of
// it. Measured on two cores (Enron Maildir, /proc/<tid>/schedstat): with the parse threads at
// nice +3 and the reader and checkpointer at 0 the writer waited 0.47-0.76 s per import on a run
// queue; with +10, +10 and +5, 0.35-0.46 s; six alternating imports each: median wall 4.98 ->
// 4.83 s. At +19 the writer's wait fell to 0.24-0.36 s but it waited that much longer for parsed
// mail (the pool only got a core when nothing else wanted one): no faster overall.
// Raising nice needs no privilege; it applies to the calling thread only (Linux), once.
namespace emailrag::ingest {

constexpr int kParseNice = 10;     // parse pool and Maildir/mbox reader threads
constexpr int kCheckpointNice = 5; // the WAL checkpoint thread

// Raises the calling thread's nice value by `steps` (capped at 19), the first time it is called
// on this thread; later calls do nothing. Failures are ignored (the import only runs slower).
void lowerThreadPriority(int steps);

} // namespace emailrag::ingest
