#include "importjob.h"
#include "prefetch.h"
#include "sqlitestatement.h"

#include "messageparser.h"
#include "threadpriority.h"
#include "walcheckpointer.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QtConcurrent/QtConcurrentMap>
#include <QtConcurrent/QtConcurrentRun>

#include <ctime>
#include <deque>

// jemalloc's settings for programs that link it (server/ingest/CMakeLists.txt), read from this
// symbol at start-up (MALLOC_CONF in the environment still wins): freed pages go back to the
// system after jemalloc's default 10 s, without the "muzzy" stage. Session 4 had 1 s (Enron peak
// RSS 237 -> 209 MB), but each purge is an madvise whose TLB shootdown interrupts the other core
// (a cross-CPU call, dear in a VM), and the pages are then faulted in again: the parse threads
// spent a third of their time in the kernel. Enron, perf stat, back to back at load 16:
// madvise 11,400-11,800 -> 2,100-2,600, page faults 94-101 k -> 59-60 k, 12.6-12.8 -> 10.8-11.9
// CPU-s; peak RSS 214-217 -> 226-238 MB.
extern "C" {
__attribute__((visibility("default"), used)) const char *malloc_conf = "dirty_decay_ms:10000,muzzy_decay_ms:0";
}

namespace emailrag::ingest {

using storage::Database;

namespace {
constexpr qint64 kMaxBatchBytes = 32 * 1024 * 1024;
constexpr int kParseChunk = 1000;       // messages per parsed chunk (a transaction holds several)
// Chunks parsed or being parsed ahead of the writer. 2 since session 7: once the mbox reader was
// no longer slow, a third chunk kept the queue full for nothing but memory (peak RSS R-devel
// 228-238 -> 214-219 MB, Enron 240-244 -> 221-223 MB with 2, no difference in time).
constexpr int kParseAhead = 2;
constexpr qint64 kMaxParseAheadBytes = 64 * 1024 * 1024; // raw mbox bytes in those chunks
}

ImportJob::ImportJob(storage::DatabaseConfig config, qint64 userId, QString uploadId, QStringList sources,
                     int batchSize, int parseThreads, std::shared_ptr<std::atomic_bool> cancel, Callbacks callbacks)
    : m_config(std::move(config)),
      m_userId(userId),
      m_uploadId(std::move(uploadId)),
      m_sources(std::move(sources)),
      m_batchSize(std::max(1, batchSize)),
      m_cancel(std::move(cancel)),
      m_callbacks(std::move(callbacks))
{
    m_pool.setMaxThreadCount(std::max(1, parseThreads));
}

ImportSummary ImportJob::run()
{
    initGMime();
    const QString name = QStringLiteral("ingest-%1").arg(m_uploadId);
    ImportSummary summary;
    {
        QSqlDatabase db = Database::connection(m_config, name);
        if (!db.isOpen()) {
            summary.uploadId = m_uploadId;
            summary.status = ImportStatus::Failed;
            summary.error = QStringLiteral("cannot open the database: %1").arg(db.lastError().text());
        } else {
            summary = runWith(db);
        }
        db.close(); // the last connection to close checkpoints the rest of the WAL
    }
    QSqlDatabase::removeDatabase(name);
    if (qEnvironmentVariableIsSet("EMAILRAG_IMPORT_PROFILE"))
        qCInfo(lcIngest) << "import closed at" << m_clock.nsecsElapsed() / 1e9 << "s";
    return summary;
}

void ImportJob::report(ImportStatus status, ImportOperation op)
{
    if (!m_callbacks.progress)
        return;
    ImportProgress p;
    p.uploadId = m_uploadId;
    p.status = status;
    p.operation = op;
    p.emailsProcessed = m_counters.processed;
    p.totalEmails = std::max(m_counters.total, m_counters.processed);
    p.imported = m_counters.imported;
    p.duplicates = m_counters.duplicates;
    p.failed = m_counters.failed;
    const double secs = m_clock.isValid() ? m_clock.nsecsElapsed() / 1e9 : 0;
    const qint64 done = m_counters.processed - m_processedAtStart;
    if (secs > 0.05 && done > 0) {
        p.emailsPerSecond = done / secs;
        p.etaSeconds = qint64((p.totalEmails - p.emailsProcessed) / p.emailsPerSecond + 0.5);
    }
    m_callbacks.progress(p);
}

bool ImportJob::setUploadState(QSqlDatabase &db, ImportStatus status, ImportOperation op, const QString &error)
{
    QSqlQuery q(db);
    return Database::exec(q,
                          QStringLiteral("UPDATE uploads SET status = ?, current_operation = ?, total_emails = ?,"
                                         " error = ?, updated_at = ? WHERE id = ?"),
                          {toString(status), toString(op), m_counters.total, error.isEmpty() ? QVariant() : QVariant(error),
                           QDateTime::currentDateTimeUtc().toString(Qt::ISODate), m_uploadId});
}

ImportSummary ImportJob::finish(QSqlDatabase &db, ImportStatus status, const QString &error)
{
    ImportSummary s;
    s.uploadId = m_uploadId;
    s.status = status;
    s.error = error;
    s.processed = m_counters.processed;
    s.imported = m_counters.imported;
    s.duplicates = m_counters.duplicates;
    s.failed = m_counters.failed;
    s.warnings = m_counters.warnings;
    s.elapsedSeconds = m_clock.isValid() ? m_clock.nsecsElapsed() / 1e9 : 0;
    timespec cpu {};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu) == 0)
        s.writerCpuSeconds = double(cpu.tv_sec) + cpu.tv_nsec / 1e9;
    const qint64 done = m_counters.processed - m_processedAtStart;
    s.emailsPerSecond = s.elapsedSeconds > 0 ? done / s.elapsedSeconds : 0;
    if (db.isOpen()) {
        setUploadState(db, status, ImportOperation::Finalizing, error);
        QSqlQuery q(db);
        if (Database::exec(q, QStringLiteral("SELECT position, reason FROM upload_errors WHERE upload_id = ? ORDER BY id LIMIT 100"),
                           {m_uploadId})) {
            while (q.next())
                s.errors.append({q.value(0).toString(), q.value(1).toString()});
        }
    }
    report(status, ImportOperation::Finalizing);
    return s;
}

bool ImportJob::readNext(RawMessage &out)
{
    while (m_pos.item < m_items.size()) {
        const SourceItem &item = m_items[m_pos.item];
        const QString shown = QDir::toNativeSeparators(item.path);
        if (item.kind == SourceItem::Kind::Mbox) {
            if (!m_reader) {
                m_reader = std::make_unique<MboxReader>(item.path);
                QString err;
                if (!m_reader->open(m_pos.offset, &err)) {
                    m_reader.reset();
                    out = RawMessage{};
                    out.position = shown;
                    out.error = QStringLiteral("cannot read: %1").arg(err);
                    m_pos = {m_pos.item + 1, 0};
                    out.after = m_pos;
                    return true;
                }
            }
            if (m_reader->next(out)) {
                out.mbox = true;
                out.after.item = m_pos.item;
                m_pos.offset = out.after.offset;
                return true;
            }
            m_reader.reset();
            m_pos = {m_pos.item + 1, 0};
            continue;
        }
        out = RawMessage{};
        out.position = shown;
        out.ordinal = 1;
        m_pos = {m_pos.item + 1, 0};
        out.after = m_pos;
        if (item.kind == SourceItem::Kind::Bad) {
            out.error = item.error;
            return true;
        }
        out.filePath = item.path;         // read by the parse pool: keeps file I/O off this (the writer's) thread
        out.file = openAhead(item.path);  // ...asked of the disk now, two batches ahead (prefetch.h)
        return true;
    }
    return false;
}

QList<RawMessage> ImportJob::readBatch()
{
    QList<RawMessage> batch;
    qint64 bytes = 0;
    RawMessage m;
    const int chunk = std::min(m_batchSize, kParseChunk);
    while (batch.size() < chunk && bytes < kMaxBatchBytes && readNext(m)) {
        bytes += m.data.size();
        batch << std::move(m);
        m = RawMessage{};
    }
    return batch;
}

ImportSummary ImportJob::runWith(QSqlDatabase &db)
{
    m_clock.start();
    QSqlQuery q(db);
    if (!Database::exec(q,
                        QStringLiteral("SELECT user_id, status, COALESCE(source_path, ''), total_emails, emails_processed,"
                                       " emails_imported, duplicates, failures FROM uploads WHERE id = ?"),
                        {m_uploadId})
        || !q.next())
        return finish(db, ImportStatus::Failed, QStringLiteral("no such upload: %1").arg(m_uploadId));
    if (q.value(0).toLongLong() != m_userId)
        return finish(db, ImportStatus::Failed, QStringLiteral("the upload belongs to another user"));
    const QString status = q.value(1).toString();
    const QStringList recorded = q.value(2).toString().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    ImportCounters stored{q.value(3).toLongLong(), q.value(4).toLongLong(), q.value(5).toLongLong(),
                          q.value(6).toLongLong(), q.value(7).toLongLong(), 0};
    q.finish();

    if (!Database::exec(q, QStringLiteral("SELECT sources, item, offset, warnings FROM import_checkpoints WHERE upload_id = ?"),
                        {m_uploadId}))
        return finish(db, ImportStatus::Failed, QStringLiteral("cannot read the import checkpoint"));
    if (q.next()) {
        // Resuming: continue from the committed checkpoint with the counters committed with it.
        m_sources = q.value(0).toString().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        m_pos = {q.value(1).toLongLong(), q.value(2).toLongLong()};
        stored.warnings = q.value(3).toLongLong();
        m_counters = stored;
        q.finish();
        if (status == QLatin1String("completed"))
            return finish(db, ImportStatus::Completed, {});
    } else {
        q.finish();
        if (m_sources.isEmpty())
            m_sources = recorded;
        for (QString &s : m_sources)
            s = QFileInfo(s).absoluteFilePath();
        if (!Database::exec(q, QStringLiteral("INSERT INTO import_checkpoints (upload_id, sources) VALUES (?, ?)"),
                            {m_uploadId, m_sources.join(QLatin1Char('\n'))}))
            return finish(db, ImportStatus::Failed, QStringLiteral("cannot write the import checkpoint"));
    }
    m_processedAtStart = m_counters.processed;
    if (m_sources.isEmpty())
        return finish(db, ImportStatus::Failed, QStringLiteral("nothing to import: no source path"));

    setUploadState(db, ImportStatus::Processing, ImportOperation::Parsing);
    report(ImportStatus::Processing, ImportOperation::Parsing);

    QString format;
    m_items = expandSources(m_sources, &format);
    if (!format.isEmpty())
        Database::exec(q, QStringLiteral("UPDATE uploads SET format = ? WHERE id = ?"), {format, m_uploadId});
    if (m_counters.total == 0) {
        // The fast pre-scan: mbox boundaries are counted with the same rule the reader uses.
        qint64 total = 0;
        for (const SourceItem &item : std::as_const(m_items)) {
            if (m_cancel->load())
                break;
            total += item.kind == SourceItem::Kind::Mbox ? MboxReader::countMessages(item.path) : 1;
        }
        m_counters.total = total;
    }
    if (m_cancel->load())
        return finish(db, ImportStatus::Cancelled, {});
    setUploadState(db, ImportStatus::Processing, ImportOperation::IndexingEmails);
    report(ImportStatus::Processing, ImportOperation::IndexingEmails);

    // Checkpoints (WAL copied into the database, with two fsyncs) ran after every batch and the
    // writer thread sat in fsync instead of writing; at every 128 MB of WAL it still sat there
    // about 1.4 s per Enron import. The background checkpointer (walcheckpointer.h) copies the
    // WAL from its own thread every 32 MB; the writer checkpoints itself only at 128 MB, so that
    // the WAL file restarts, with little left to copy. Same durability: commits are not fsynced
    // in WAL + synchronous=NORMAL either way. The hook counts frames (one page each), and stores
    // differ in page size (dialect.cpp), so the sizes are turned into frames of this store's.
    std::unique_ptr<WalCheckpointer> checkpointer;
    if (sqlite3 *handle = storage::sqliteHandle(db); handle && !m_config.path.isEmpty()) {
        storage::SqliteStatement pageSize;
        bool row = false;
        const qint64 page = pageSize.prepare(handle, "PRAGMA page_size") && pageSize.step(&row) && row
            ? std::max<qint64>(512, pageSize.columnInt(0))
            : 8192;
        constexpr qint64 kBackgroundBytes = 32 << 20;
        constexpr qint64 kInlineBytes = 128 << 20;
        checkpointer = std::make_unique<WalCheckpointer>(m_config.path, int(kBackgroundBytes / page), int(kInlineBytes / page));
        checkpointer->install(handle);
    }
    EmailWriter writer(db, m_userId, m_uploadId);
    QString error;
    if (!writer.prepare(&error) || !writer.useMemory(std::max<qint64>(0, m_counters.total - m_counters.processed), &error))
        return finish(db, ImportStatus::Failed, error);

    const QString operation = toString(ImportOperation::IndexingEmails);
    // Everything but the INSERTs runs on the pool: reading Maildir files, GMime, hashing,
    // compression, UTF-8 and the FTS column texts (encodeForStorage).
    auto parse = [](const RawMessage &raw) {
        lowerThreadPriority(kParseNice);
        ParsedEmail e;
        if (raw.filePath.isEmpty()) {
            e = parseMessage(raw, raw.mbox);
        } else {
            RawMessage loaded = raw;
            loadMessageFile(loaded);
            e = parseMessage(loaded, false);
        }
        if (e.error.isEmpty())
            encodeForStorage(e, true);
        return e;
    };
    // Three stages overlap: while this thread writes chunk N, the pool parses the next chunks
    // (up to kParseAhead of them, so that it never waits for the writer) and the reader thread
    // reads (mbox scanning) the one after. A transaction holds m_batchSize messages: several
    // parsed chunks of at most kParseChunk.
    if (qEnvironmentVariableIsSet("EMAILRAG_IMPORT_PROFILE"))
        qCInfo(lcIngest) << "pipeline starts at" << m_clock.nsecsElapsed() / 1e9 << "s";
    QThreadPool readerPool;
    readerPool.setMaxThreadCount(1);
    auto readAhead = [this, &readerPool] {
        return QtConcurrent::run(&readerPool, [this] {
            lowerThreadPriority(kParseNice); // threadpriority.h
            return m_cancel->load() ? QList<RawMessage>() : readBatch();
        });
    };
    // The pool parses a chunk in place: parsed[i] from raw[i]. QtConcurrent::mapped() would copy
    // every ParsedEmail into its result store and QFuture::results() copy it again, on the
    // writer's thread: some 60 implicitly shared strings per email whose reference counts live in
    // cache lines the parse threads wrote last.
    struct ParseChunk
    {
        QList<RawMessage> raw;
        QList<ParsedEmail> parsed;
    };
    struct Parsing
    {
        QFuture<void> future;
        std::shared_ptr<ParseChunk> chunk;
        Checkpoint after;
        qint64 bytes = 0;
    };
    std::deque<Parsing> parsing;
    qint64 parsingBytes = 0;
    QFuture<QList<RawMessage>> reading = readAhead();
    bool readAll = false;
    // Starts parsing what the reader has read, while the queue has room. Waits for the reader
    // only when nothing else is queued (the writer would wait anyway).
    auto topUp = [&] {
        while (!readAll && int(parsing.size()) < kParseAhead && parsingBytes < kMaxParseAheadBytes
               && (parsing.empty() || reading.isFinished())) {
            QList<RawMessage> raw = reading.result();
            if (raw.isEmpty()) {
                readAll = true;
                break;
            }
            Parsing p;
            p.after = raw.last().after;
            for (const RawMessage &m : std::as_const(raw))
                p.bytes += m.data.size();
            parsingBytes += p.bytes;
            p.chunk = std::make_shared<ParseChunk>();
            p.chunk->parsed.resize(raw.size());
            p.chunk->raw = std::move(raw);
            // Pointers taken here, once: the threads only touch their own elements.
            RawMessage *const rawData = p.chunk->raw.data();
            const ParsedEmail *const first = p.chunk->parsed.data();
            p.future = QtConcurrent::map(
                &m_pool, p.chunk->parsed.begin(), p.chunk->parsed.end(), [rawData, first, &parse](ParsedEmail &e) {
                    RawMessage &r = rawData[&e - first];
                    e = parse(r);
                    r = RawMessage {}; // the bytes are in e (compressed) now
                });
            parsing.push_back(std::move(p));
            reading = readAhead();
        }
    };
    QList<ImportError> errors;
    Checkpoint written;
    bool failed = false;
    qint64 writerWaitNs = 0; // time the writer waited for the parse pool (EMAILRAG_IMPORT_PROFILE)
    auto commit = [&] {
        QList<qint64> ids;
        if (!writer.commit(written, m_counters, operation, ids, errors, &error))
            return false;
        if (!ids.isEmpty() && m_callbacks.imported)
            m_callbacks.imported(ids);
        report(ImportStatus::Processing, ImportOperation::IndexingEmails);
        return true;
    };
    for (;;) {
        topUp();
        if (parsing.empty())
            break;
        Parsing next = std::move(parsing.front());
        parsing.pop_front();
        parsingBytes -= next.bytes;
        QElapsedTimer waited;
        waited.start();
        next.future.waitForFinished();
        writerWaitNs += waited.nsecsElapsed();
        QList<ParsedEmail> &parsed = next.chunk->parsed;
        topUp(); // the pool goes on with the next chunk while this one is written
        if (m_cancel->load())
            break; // not written: a later resume reads it again
        if (!writer.write(parsed, m_counters, &error)) {
            failed = true;
            break;
        }
        written = next.after;
        // Freeing a chunk (a thousand emails' strings) is the pool's work, not the writer's.
        (void)QtConcurrent::run(&m_pool, [chunk = std::move(next.chunk)]() mutable { chunk.reset(); });
        if (writer.emailsInTransaction() >= m_batchSize && !commit()) {
            failed = true;
            break;
        }
    }
    // What was written is consistent up to `written` (also when cancelled): keep it.
    if (!failed && writer.inTransaction() && !commit())
        failed = true;
    for (Parsing &p : parsing)
        p.future.waitForFinished();
    parsing.clear();
    if (qEnvironmentVariableIsSet("EMAILRAG_IMPORT_PROFILE"))
        qCInfo(lcIngest) << "writer waited for the parse pool:" << writerWaitNs / 1e9 << "s; import so far"
                         << m_clock.nsecsElapsed() / 1e9 << "s";
    reading.waitForFinished();
    readerPool.waitForDone();
    m_pool.waitForDone();
    m_reader.reset();
    if (failed)
        return finish(db, ImportStatus::Failed, QStringLiteral("database write failed: %1").arg(error));
    if (m_cancel->load())
        return finish(db, ImportStatus::Cancelled, {});
    if (m_counters.imported == 0 && m_counters.duplicates == 0) {
        QString reason = QStringLiteral("no email found");
        QSqlQuery e(db);
        if (Database::exec(e, QStringLiteral("SELECT position, reason FROM upload_errors WHERE upload_id = ? ORDER BY id LIMIT 1"),
                           {m_uploadId})
            && e.next())
            reason = QStringLiteral("no email could be imported: %1: %2").arg(e.value(0).toString(), e.value(1).toString());
        return finish(db, ImportStatus::Failed, reason);
    }
    return finish(db, ImportStatus::Completed, {});
}

} // namespace emailrag::ingest
