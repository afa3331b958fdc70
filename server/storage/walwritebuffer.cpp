#include "walwritebuffer.h"

#include <QString>
#include <QtGlobal>

#include <sqlite3.h>

#include <cstring>
#include <mutex>
#include <new>

namespace emailrag::storage {

namespace {

// The "unix" VFS writes at most 0x1ffff bytes per pwrite (seekAndWriteFd masks the length) and
// fails a write whose remainder is a multiple of 128 KiB, so buffers stay below that.
constexpr int kBufferBytes = 124 * 1024;
constexpr int kFrameHeaderBytes = 24; // SQLite's WAL frame header (walWriteOneFrame)

// Every file opened through the shim. Main databases and WALs get these methods; other files
// (journals, temporary files) are opened straight into the caller's memory with the real
// methods and never reach this struct.
struct ShimFile
{
    sqlite3_file base;
    sqlite3_file *real;      // the "unix" file, stored right after this struct
    ShimFile *wal = nullptr; // main database: its WAL while open (for the barrier)
    ShimFile *db = nullptr;  // WAL: its main database
    bool isWal = false;
    bool flushAfterNext = false; // the commit frame's header was written: flush after its page
    int error = SQLITE_OK;       // a flush that failed where it could not be reported
    char *buf = nullptr;
    sqlite3_int64 bufStart = 0;
    int bufLen = 0;
};

constexpr int kShimBytes = int((sizeof(ShimFile) + 7) & ~size_t(7));

sqlite3_vfs *g_real = nullptr;
sqlite3_vfs g_vfs;

ShimFile *shim(sqlite3_file *f) { return reinterpret_cast<ShimFile *>(f); }
const sqlite3_io_methods *realMethods(ShimFile *f) { return f->real->pMethods; }

int flush(ShimFile *f)
{
    if (f->bufLen == 0)
        return SQLITE_OK;
    const int rc = realMethods(f)->xWrite(f->real, f->buf, f->bufLen, f->bufStart);
    f->bufLen = 0;
    return rc;
}

// Writes the buffer out; an earlier flush that failed inside the barrier (which cannot return an
// error) is reported here.
int settle(ShimFile *f)
{
    const int rc = flush(f);
    if (f->error != SQLITE_OK) {
        const int earlier = f->error;
        f->error = SQLITE_OK;
        return earlier;
    }
    return rc;
}

// Before an operation that must see the file as SQLite wrote it: a WAL's buffer goes out first,
// and the operation runs only when that worked.
int settled(ShimFile *f) { return f->isWal ? settle(f) : SQLITE_OK; }

int shimClose(sqlite3_file *p)
{
    ShimFile *f = shim(p);
    const int flushed = settled(f);
    if (f->isWal && f->db)
        f->db->wal = nullptr;
    if (!f->isWal && f->wal)
        f->wal->db = nullptr;
    delete[] f->buf;
    f->buf = nullptr;
    const int rc = realMethods(f)->xClose(f->real);
    return flushed != SQLITE_OK ? flushed : rc;
}

int shimRead(sqlite3_file *p, void *out, int amount, sqlite3_int64 offset)
{
    ShimFile *f = shim(p);
    const int rc = f->bufLen > 0 ? settled(f) : SQLITE_OK;
    return rc != SQLITE_OK ? rc : realMethods(f)->xRead(f->real, out, amount, offset);
}

int shimWrite(sqlite3_file *p, const void *data, int amount, sqlite3_int64 offset)
{
    ShimFile *f = shim(p);
    if (!f->isWal)
        return realMethods(f)->xWrite(f->real, data, amount, offset);
    // Only appends to what is buffered are gathered; anything else (SQLite rewriting a frame
    // in place, the header of a restarted log) goes out after the buffer, in order.
    if (f->bufLen > 0 && (offset != f->bufStart + f->bufLen || f->bufLen + amount > kBufferBytes)) {
        if (const int rc = flush(f); rc != SQLITE_OK)
            return rc;
    }
    if (amount >= kBufferBytes) {
        f->flushAfterNext = false;
        return realMethods(f)->xWrite(f->real, data, amount, offset);
    }
    if (!f->buf)
        f->buf = new char[kBufferBytes];
    if (f->bufLen == 0)
        f->bufStart = offset;
    std::memcpy(f->buf + f->bufLen, data, size_t(amount));
    f->bufLen += amount;
    if (f->flushAfterNext) {
        // The page of the commit frame: the transaction's frames are complete. Written now, so
        // that a failure is returned from the commit (the barrier below cannot return one).
        f->flushAfterNext = false;
        return flush(f);
    }
    // A frame header whose "database size after commit" field is set marks the commit frame.
    if (amount == kFrameHeaderBytes) {
        const auto *h = static_cast<const unsigned char *>(data);
        f->flushAfterNext = (h[4] | h[5] | h[6] | h[7]) != 0;
    }
    return SQLITE_OK;
}

int shimTruncate(sqlite3_file *p, sqlite3_int64 size)
{
    ShimFile *f = shim(p);
    const int rc = settled(f);
    return rc != SQLITE_OK ? rc : realMethods(f)->xTruncate(f->real, size);
}

int shimSync(sqlite3_file *p, int flags)
{
    ShimFile *f = shim(p);
    const int rc = settled(f);
    return rc != SQLITE_OK ? rc : realMethods(f)->xSync(f->real, flags);
}

int shimFileSize(sqlite3_file *p, sqlite3_int64 *size)
{
    ShimFile *f = shim(p);
    const int rc = settled(f);
    return rc != SQLITE_OK ? rc : realMethods(f)->xFileSize(f->real, size);
}

int shimLock(sqlite3_file *p, int level) { return realMethods(shim(p))->xLock(shim(p)->real, level); }
int shimUnlock(sqlite3_file *p, int level) { return realMethods(shim(p))->xUnlock(shim(p)->real, level); }
int shimCheckReservedLock(sqlite3_file *p, int *out)
{
    return realMethods(shim(p))->xCheckReservedLock(shim(p)->real, out);
}

int shimFileControl(sqlite3_file *p, int op, void *arg)
{
    ShimFile *f = shim(p);
    const int rc = settled(f);
    return rc != SQLITE_OK ? rc : realMethods(f)->xFileControl(f->real, op, arg);
}

int shimSectorSize(sqlite3_file *p) { return realMethods(shim(p))->xSectorSize(shim(p)->real); }
int shimDeviceCharacteristics(sqlite3_file *p)
{
    return realMethods(shim(p))->xDeviceCharacteristics(shim(p)->real);
}

int shimShmMap(sqlite3_file *p, int region, int size, int extend, void volatile **out)
{
    return realMethods(shim(p))->xShmMap(shim(p)->real, region, size, extend, out);
}
int shimShmLock(sqlite3_file *p, int offset, int n, int flags)
{
    return realMethods(shim(p))->xShmLock(shim(p)->real, offset, n, flags);
}

// SQLite calls this between the two copies of the WAL index header, i.e. just before new frames
// become visible to other connections: whatever of the WAL is still buffered is written first.
void shimShmBarrier(sqlite3_file *p)
{
    ShimFile *f = shim(p);
    if (f->wal && f->wal->bufLen > 0) {
        if (const int rc = flush(f->wal); rc != SQLITE_OK && f->wal->error == SQLITE_OK)
            f->wal->error = rc;
    }
    realMethods(f)->xShmBarrier(f->real);
}

int shimShmUnmap(sqlite3_file *p, int deleteFlag) { return realMethods(shim(p))->xShmUnmap(shim(p)->real, deleteFlag); }
int shimFetch(sqlite3_file *p, sqlite3_int64 offset, int amount, void **out)
{
    return realMethods(shim(p))->xFetch(shim(p)->real, offset, amount, out);
}
int shimUnfetch(sqlite3_file *p, sqlite3_int64 offset, void *page)
{
    return realMethods(shim(p))->xUnfetch(shim(p)->real, offset, page);
}

const sqlite3_io_methods g_methods = {
    3,
    shimClose,
    shimRead,
    shimWrite,
    shimTruncate,
    shimSync,
    shimFileSize,
    shimLock,
    shimUnlock,
    shimCheckReservedLock,
    shimFileControl,
    shimSectorSize,
    shimDeviceCharacteristics,
    shimShmMap,
    shimShmLock,
    shimShmBarrier,
    shimShmUnmap,
    shimFetch,
    shimUnfetch,
};

int shimOpen(sqlite3_vfs *, const char *name, sqlite3_file *p, int flags, int *outFlags)
{
    const bool isWal = (flags & SQLITE_OPEN_WAL) != 0;
    // The "unix" methods of version 3 (shared memory, mmap) are what the shim forwards; anything
    // else, and every file but a main database or a WAL, is the real file itself.
    if (!isWal && !(flags & SQLITE_OPEN_MAIN_DB))
        return g_real->xOpen(g_real, name, p, flags, outFlags);
    ShimFile *f = new (p) ShimFile;
    f->base.pMethods = nullptr;
    f->real = reinterpret_cast<sqlite3_file *>(reinterpret_cast<char *>(p) + kShimBytes);
    f->isWal = isWal;
    const int rc = g_real->xOpen(g_real, name, f->real, flags, outFlags);
    if (!f->real->pMethods)
        return rc;
    if (f->real->pMethods->iVersion < 3) {
        // Not the methods the shim was written for: hand the caller the real file instead.
        realMethods(f)->xClose(f->real);
        return g_real->xOpen(g_real, name, p, flags, outFlags);
    }
    f->base.pMethods = &g_methods;
    if (isWal && name) {
        sqlite3_file *main = sqlite3_database_file_object(name);
        if (main && main->pMethods == &g_methods) {
            f->db = shim(main);
            f->db->wal = f;
        }
    }
    return rc;
}

int vfsDelete(sqlite3_vfs *, const char *name, int syncDir) { return g_real->xDelete(g_real, name, syncDir); }
int vfsAccess(sqlite3_vfs *, const char *name, int flags, int *out) { return g_real->xAccess(g_real, name, flags, out); }
int vfsFullPathname(sqlite3_vfs *, const char *name, int n, char *out) { return g_real->xFullPathname(g_real, name, n, out); }
void *vfsDlOpen(sqlite3_vfs *, const char *name) { return g_real->xDlOpen(g_real, name); }
void vfsDlError(sqlite3_vfs *, int n, char *out) { g_real->xDlError(g_real, n, out); }
void (*vfsDlSym(sqlite3_vfs *, void *h, const char *sym))(void) { return g_real->xDlSym(g_real, h, sym); }
void vfsDlClose(sqlite3_vfs *, void *h) { g_real->xDlClose(g_real, h); }
int vfsRandomness(sqlite3_vfs *, int n, char *out) { return g_real->xRandomness(g_real, n, out); }
int vfsSleep(sqlite3_vfs *, int micros) { return g_real->xSleep(g_real, micros); }
int vfsCurrentTime(sqlite3_vfs *, double *out) { return g_real->xCurrentTime(g_real, out); }
int vfsGetLastError(sqlite3_vfs *, int n, char *out) { return g_real->xGetLastError ? g_real->xGetLastError(g_real, n, out) : 0; }
int vfsCurrentTimeInt64(sqlite3_vfs *, sqlite3_int64 *out) { return g_real->xCurrentTimeInt64(g_real, out); }

} // namespace

bool installWalWriteBuffer()
{
    static std::once_flag once;
    static bool installed = false;
    std::call_once(once, [] {
        if (qEnvironmentVariable("EMAILRAG_WAL_WRITE_BUFFER") == QLatin1String("0"))
            return;
        if (sqlite3_initialize() != SQLITE_OK)
            return;
        g_real = sqlite3_vfs_find("unix");
        if (!g_real || g_real->iVersion < 2 || g_real != sqlite3_vfs_find(nullptr))
            return; // another default already (a test's or an application's own): leave it
        std::memset(&g_vfs, 0, sizeof g_vfs);
        g_vfs.iVersion = 2;
        g_vfs.szOsFile = kShimBytes + g_real->szOsFile;
        g_vfs.mxPathname = g_real->mxPathname;
        g_vfs.zName = "emailrag-walbuf";
        g_vfs.xOpen = shimOpen;
        g_vfs.xDelete = vfsDelete;
        g_vfs.xAccess = vfsAccess;
        g_vfs.xFullPathname = vfsFullPathname;
        g_vfs.xDlOpen = vfsDlOpen;
        g_vfs.xDlError = vfsDlError;
        g_vfs.xDlSym = vfsDlSym;
        g_vfs.xDlClose = vfsDlClose;
        g_vfs.xRandomness = vfsRandomness;
        g_vfs.xSleep = vfsSleep;
        g_vfs.xCurrentTime = vfsCurrentTime;
        g_vfs.xGetLastError = vfsGetLastError;
        g_vfs.xCurrentTimeInt64 = vfsCurrentTimeInt64;
        installed = sqlite3_vfs_register(&g_vfs, 1) == SQLITE_OK;
    });
    return installed;
}

} // namespace emailrag::storage
