#pragma once

// Fewer write system calls for SQLite's write-ahead log: a VFS shim over the default ("unix")
// VFS, installed as the process's default, that gathers the WAL frames of a commit into one
// buffer and writes it with one pwrite per 124 KiB (15 frames) instead of two per page (a 24-byte frame
// header, then the page).
//
// Why: an import of the Enron Maildir made about 207,000 pwrite calls for its WAL; on this kind of
// machine (a VM without PCID, so every system call flushes the TLB) a system call costs over a
// microsecond before it does anything, and the writer thread is the import's one serial stage.
// SQLite has no setting for this (its WAL writer calls xWrite per header and per page).
//
// Why it is safe: SQLite publishes new frames to other connections only by writing the WAL index
// header in shared memory, and it calls xShmBarrier on the database file between the two copies
// of that header (walIndexWriteHdr). The shim flushes the WAL's buffer in that barrier, so no
// reader can see a frame that is not in the file yet. The buffer is also flushed before every
// other operation on the WAL file (read, sync, truncate, size, close) and before a write that
// does not follow it, so the connection itself always reads back what it wrote. A crash loses at
// most frames of a transaction that was never published, which SQLite's recovery ignores anyway.
// Other files (the database, journals) pass straight through.
//
// Thread: the buffer belongs to one WAL file handle, used by one connection at a time (SQLite's
// own rule). install is idempotent and thread-safe; call it before the first connection opens.
namespace emailrag::storage {

// Registers the shim as the default VFS. Returns false (and leaves SQLite's default) when the
// library has no "unix" VFS or refuses the registration. EMAILRAG_WAL_WRITE_BUFFER=0 turns it off.
bool installWalWriteBuffer();

} // namespace emailrag::storage
