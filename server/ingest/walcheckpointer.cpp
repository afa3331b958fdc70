#include "walcheckpointer.h"
#include "threadpriority.h"

#include "messageparser.h"

#include <QFile>

namespace emailrag::ingest {

WalCheckpointer::WalCheckpointer(QString databasePath, int backgroundFrames, int inlineFrames)
    : m_path(std::move(databasePath)),
      m_backgroundFrames(backgroundFrames),
      m_inlineFrames(inlineFrames),
      m_nextRequest(backgroundFrames)
{
}

WalCheckpointer::~WalCheckpointer()
{
    if (m_writer)
        sqlite3_wal_hook(m_writer, nullptr, nullptr);
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable())
        m_thread.join();
}

void WalCheckpointer::install(sqlite3 *writer)
{
    if (!writer)
        return;
    m_writer = writer;
    sqlite3_wal_hook(writer, &WalCheckpointer::onCommit, this); // replaces wal_autocheckpoint's hook
    m_thread = std::thread([this] { run(); });
}

int WalCheckpointer::onCommit(void *self, sqlite3 *db, const char *dbName, int frames)
{
    auto *c = static_cast<WalCheckpointer *>(self);
    if (frames < c->m_lastFrames)
        c->m_nextRequest = c->m_backgroundFrames; // the WAL restarted
    c->m_lastFrames = frames;
    if (frames >= c->m_inlineFrames) {
        // What SQLite's own hook does: after the background copies, only the newest frames are left.
        sqlite3_wal_checkpoint_v2(db, dbName, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } else if (frames >= c->m_nextRequest) {
        // Once per `backgroundFrames` of growth, not after every commit: pages rewritten by
        // every batch (index pages, FTS segments being merged) would be copied each time.
        c->m_nextRequest = frames + c->m_backgroundFrames;
        {
            std::lock_guard lock(c->m_mutex);
            c->m_requested = true;
        }
        c->m_wake.notify_one();
    }
    return SQLITE_OK;
}

void WalCheckpointer::run()
{
    lowerThreadPriority(kCheckpointNice); // it only has to keep ahead of the writer (threadpriority.h)
    sqlite3 *db = nullptr;
    const QByteArray path = QFile::encodeName(m_path);
    if (sqlite3_open_v2(path.constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        qCWarning(lcIngest) << "background checkpoints off: cannot open" << m_path << sqlite3_errmsg(db);
        sqlite3_close(db);
        return;
    }
    // The import writer's synchronous level (storage's connection pragmas): checkpoints sync the
    // WAL and the database exactly as the writer's own would.
    sqlite3_exec(db, "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);
    sqlite3_busy_timeout(db, 1000);
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_requested || m_stop; });
            if (m_stop)
                break;
            m_requested = false;
        }
        const int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        if (rc == SQLITE_OK)
            ++m_done;
        else if ((rc & 0xff) != SQLITE_BUSY) // busy: the writer's inline checkpoint is running
            qCWarning(lcIngest) << "background checkpoint failed:" << sqlite3_errmsg(db);
    }
    sqlite3_close(db);
}

} // namespace emailrag::ingest
