#pragma once

#include <QString>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <sqlite3.h>

// Keeps the import's WAL checkpoints (copying the WAL into the database, with an fdatasync of
// each) off the writer thread. SQLite's automatic checkpoint runs on the committing thread: at
// 128 MB of WAL the import writer sat about 1.4 s in fdatasync per Enron import (strace), time in
// which nothing was written. Here the writer's WAL hook only asks a thread of our own, with its
// own connection, for a PASSIVE checkpoint per `backgroundFrames` frames of growth; PASSIVE copies what
// is committed without blocking the writer. A WAL file restarts only when it is wholly copied as
// a write transaction begins, so once it reaches `inlineFrames` the writer runs the checkpoint
// itself (as SQLite would), which then has only the last frames to copy and sync.
// Durability and crash safety are SQLite's own: same checkpoints, same synchronous setting.
// Thread: construct, install and destroy on the writer's thread; the hook runs there too.
// Owner: ImportJob, for one import. Failure: a checkpoint that cannot run is logged and retried
// at the next request; the writer's inline checkpoint remains as a fallback.
namespace emailrag::ingest {

class WalCheckpointer
{
public:
    WalCheckpointer(QString databasePath, int backgroundFrames, int inlineFrames);
    ~WalCheckpointer(); // uninstalls the hook and joins the thread
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    // Replaces the connection's automatic checkpoint (wal_autocheckpoint) with this one.
    void install(sqlite3 *writer);
    int backgroundCheckpoints() const { return m_done.load(); }

private:
    static int onCommit(void *self, sqlite3 *db, const char *dbName, int frames);
    void run();

    QString m_path;
    int m_backgroundFrames;
    int m_inlineFrames;
    int m_nextRequest;      // frames at which the next background checkpoint is asked for
    int m_lastFrames = 0;   // WAL frames after the previous commit
    sqlite3 *m_writer = nullptr;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_requested = false;
    bool m_stop = false;
    std::atomic_int m_done{0};
    std::thread m_thread;
};

} // namespace emailrag::ingest
