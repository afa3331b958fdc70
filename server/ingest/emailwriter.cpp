#include "emailwriter.h"

#include "database.h"
#include "ftstext.h"
#include "messageparser.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QSqlError>

#include <algorithm>

namespace emailrag::ingest {

using storage::SqliteStatement;

namespace {
constexpr qint64 kMaxBusyWaitMs = 10 * 60 * 1000;
}

void encodeForStorage(ParsedEmail &e, bool dropText)
{
    EncodedEmail &x = e.encoded;
    x = EncodedEmail{};
    x.messageId = e.messageId.toUtf8();
    x.dedupKey = e.dedupKey.toUtf8();
    x.contentHash = e.contentHash.toUtf8();
    x.inReplyTo = e.inReplyTo.toUtf8();
    x.refs = e.references.join(QLatin1Char(' ')).toUtf8();
    x.subject = e.subject.toUtf8();
    x.fromName = e.fromName.toUtf8();
    x.fromAddr = e.fromAddr.toUtf8();
    x.to = e.to.toUtf8();
    x.cc = e.cc.toUtf8();
    x.body = e.body.toUtf8();
    x.quoted = e.quoted.toUtf8();

    // Thread candidates: References are ordered oldest to newest, In-Reply-To is the direct parent.
    QStringList chain = e.references;
    if (!e.inReplyTo.isEmpty() && !chain.contains(e.inReplyTo))
        chain << e.inReplyTo;
    chain.removeAll(e.messageId);
    x.chain.reserve(chain.size());
    for (const QString &id : std::as_const(chain))
        x.chain << id.toUtf8();
    const QString root = !chain.isEmpty() ? chain.first() : !e.messageId.isEmpty() ? e.messageId : e.dedupKey;
    x.newThreadId = "thread_" + sha256(root.toUtf8()).toHex().left(16); // OpenSSL: Qt 6.4's SHA-256 is portable C
    x.subjectKey = e.subjectKey.toUtf8();
    x.isReply = e.isReply;

    QStringList attachmentText;
    x.attachments.reserve(e.attachments.size());
    for (const ParsedAttachment &a : std::as_const(e.attachments)) {
        EncodedAttachment out;
        out.filename = a.filename.toUtf8();
        out.mimeType = a.mimeType.toUtf8();
        out.hasText = !a.text.isNull();
        out.text = a.text.toUtf8();
        out.size = a.size;
        x.attachments << out;
        attachmentText << a.filename;
        if (!a.text.isEmpty())
            attachmentText << a.text;
    }
    // The index gets CJK runs split into characters (ftstext.h); the stored text stays as written.
    // The FTS table reads its text back through the view emails_fts_source (migration 011),
    // which builds the same six strings from the stored columns; when CJK spacing makes them
    // differ, the spaced strings are stored in emails_fts_cjk, which the view prefers.
    const QString sender = e.fromName.isEmpty() ? e.fromAddr : e.fromName + QLatin1Char(' ') + e.fromAddr;
    const QString recipients = e.cc.isEmpty() ? e.to : e.to + QLatin1Char(' ') + e.cc;
    const QString attachments = attachmentText.join(QLatin1Char('\n'));
    x.ftsDiffers = hasCjk(e.subject) || hasCjk(sender) || hasCjk(recipients) || hasCjk(e.body) || hasCjk(e.quoted)
        || hasCjk(attachments);
    if (x.ftsDiffers) {
        x.fts = {cjkSpaced(e.subject).toUtf8(), cjkSpaced(sender).toUtf8(), cjkSpaced(recipients).toUtf8(),
                 cjkSpaced(e.body).toUtf8(), cjkSpaced(e.quoted).toUtf8(), cjkSpaced(attachments).toUtf8()};
    } else {
        x.fts = {x.subject, sender.toUtf8(), recipients.toUtf8(), x.body, x.quoted, attachments.toUtf8()};
    }
    x.ftsHasNul = std::any_of(x.fts.cbegin(), x.fts.cend(), [](const QByteArray &t) { return t.contains('\0'); });
    if (dropText) {
        e.body = QString();
        e.quoted = QString();
        for (ParsedAttachment &a : e.attachments)
            a.text = QString();
    }
}

WriterPhases::~WriterPhases()
{
    if (!on)
        return;
    static const char *const names[] = {"dedup", "thread", "row", "attach", "fts", "commit", "begin"};
    QString s;
    for (int i = 0; i < Count; ++i)
        s += QStringLiteral(" %1=%2").arg(QLatin1String(names[i])).arg(secs[i], 0, 'f', 3);
    qCInfo(lcIngest).noquote() << "writer phases (CPU s):" << s;
}

EmailWriter::EmailWriter(QSqlDatabase db, qint64 userId, QString uploadId)
    : m_db(db),
      m_handle(storage::sqliteHandle(db)),
      m_userId(userId),
      m_uploadId(std::move(uploadId)),
      m_uploadIdUtf8(m_uploadId.toUtf8()),
      m_threader(m_handle, userId)
{
}

bool EmailWriter::prepare(QString *error)
{
    if (!m_handle) {
        if (error)
            *error = QStringLiteral("the import writer needs an SQLite connection");
        return false;
    }
    const bool ok = m_threader.prepare()
        && m_exists.prepare(m_handle, "SELECT 1 FROM emails WHERE user_id = ? AND dedup_key = ?")
        && m_insertEmail.prepare(m_handle,
            "INSERT INTO emails (user_id, upload_id, message_id, dedup_key, content_hash, thread_id, in_reply_to, refs,"
            " subject, from_name, from_addr, to_addrs, cc_addrs, date_utc, date_offset, body_text, quoted_text,"
            " body_from_html, attachment_count, size_bytes, raw_zstd)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        && m_insertFts.prepare(m_handle,
            "INSERT INTO emails_fts (rowid, subject, sender, recipients, body, quoted, attachments)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)")
        && m_insertCjk.prepare(m_handle,
            "INSERT INTO emails_fts_cjk (email_id, subject, sender, recipients, body, quoted, attachments)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)")
        && m_insertAttachment.prepare(m_handle,
            "INSERT INTO attachments (email_id, filename, mime_type, size_bytes, text) VALUES (?, ?, ?, ?, ?)")
        && m_insertError.prepare(m_handle, "INSERT INTO upload_errors (upload_id, position, reason) VALUES (?, ?, ?)")
        && m_updateUpload.prepare(m_handle,
            "UPDATE uploads SET status = 'processing', current_operation = ?, total_emails = ?, emails_processed = ?,"
            " emails_imported = ?, duplicates = ?, failures = ?, resume_offset = ?, updated_at = ? WHERE id = ?")
        && m_updateCheckpoint.prepare(m_handle,
            "UPDATE import_checkpoints SET item = ?, offset = ?, warnings = ? WHERE upload_id = ?")
        && m_dataVersion.prepare(m_handle, "PRAGMA data_version")
        && m_othersEmails.prepare(m_handle,
            "SELECT id, user_id, dedup_key, message_id, in_reply_to, refs FROM emails WHERE id > ? ORDER BY id");
    if (!ok && error)
        *error = QStringLiteral("cannot prepare import statements: %1").arg(QString::fromUtf8(sqlite3_errmsg(m_handle)));
    return ok;
}

qint64 EmailWriter::dataVersion()
{
    bool row = false;
    const qint64 v = m_dataVersion.step(&row) && row ? m_dataVersion.columnInt(0) : -1;
    m_dataVersion.reset();
    return v;
}

bool EmailWriter::useMemory(qint64 expectedNew, QString *error)
{
    // Read in one transaction, so that the keys, the max id and data_version agree.
    if (!storage::sqliteExec(m_handle, "BEGIN", error))
        return false;
    SqliteStatement count;
    SqliteStatement keys;
    SqliteStatement maxId;
    bool ok = count.prepare(m_handle, "SELECT count(*) FROM emails WHERE user_id = ?")
        && keys.prepare(m_handle, "SELECT dedup_key FROM emails WHERE user_id = ?")
        && maxId.prepare(m_handle, "SELECT COALESCE(max(id), 0) FROM emails");
    bool row = false;
    count.bindInt(1, m_userId);
    ok = ok && count.step(&row);
    const qint64 existing = ok && row ? count.columnInt(0) : 0;
    // Loading costs a read of every key the user has: not worth it for a small import into a
    // large store, where the per-message SELECTs cost less in total.
    const bool worthIt = existing <= 8 * expectedNew;
    if (ok && worthIt) {
        m_dedup.reset(existing + expectedNew);
        keys.bindInt(1, m_userId);
        ok = keys.step(&row);
        while (ok && row) {
            m_dedup.add(keys.columnText(0));
            row = keys.next();
        }
        ok = ok && maxId.step(&row) && row;
        if (ok)
            m_seenMaxId = maxId.columnInt(0);
        ok = ok && m_threader.useMemory(expectedNew);
    }
    count.reset();
    keys.reset();
    maxId.reset();
    m_seenVersion = dataVersion();
    storage::sqliteExec(m_handle, "COMMIT");
    if (!ok && error)
        *error = QStringLiteral("cannot read the known keys: %1").arg(QString::fromUtf8(sqlite3_errmsg(m_handle)));
    m_memory = ok && worthIt;
    if (!m_memory) {
        m_dedup = KeyFilter();
        m_threader.noMemory();
    }
    m_threader.setEmailFilter(m_memory ? &m_dedup : nullptr);
    return ok;
}

// Inside the batch's write transaction: if another connection committed since our last commit
// (a second import, the server), the emails it added go into the filters, and the remembered
// subjects are dropped; thread_ids only ever gets the ids of inserted emails and their references.
bool EmailWriter::catchUpWithOthers()
{
    const qint64 version = dataVersion();
    if (version == m_seenVersion)
        return true;
    m_seenVersion = version;
    m_threader.forgetOthers();
    m_othersEmails.bindInt(1, m_seenMaxId);
    bool row = false;
    if (!m_othersEmails.step(&row))
        return false;
    while (row) {
        m_seenMaxId = std::max(m_seenMaxId, m_othersEmails.columnInt(0));
        if (m_othersEmails.columnInt(1) == m_userId) {
            m_dedup.add(m_othersEmails.columnText(2));
            m_threader.learn(m_othersEmails.columnText(3));
            m_threader.learn(m_othersEmails.columnText(4));
            const QByteArray refs = m_othersEmails.columnText(5);
            for (const QByteArray &id : refs.split(' '))
                m_threader.learn(id);
        }
        row = m_othersEmails.next();
    }
    m_othersEmails.reset();
    return true;
}

bool EmailWriter::recordError(const QString &position, const QString &reason, QList<ImportError> &errors)
{
    const QByteArray pos = position.toUtf8();
    const QByteArray why = reason.toUtf8();
    m_insertError.bindText(1, m_uploadIdUtf8);
    m_insertError.bindText(2, pos);
    m_insertError.bindText(3, why);
    if (errors.size() < 100)
        errors.append({position, reason});
    return m_insertError.step();
}

bool EmailWriter::writeOne(ParsedEmail &e, ImportCounters &c, QList<qint64> &newIds, QList<ImportError> &errors)
{
    ++c.processed;
    if (!e.error.isEmpty()) {
        ++c.failed;
        return recordError(e.position, e.error, errors);
    }
    if (e.encoded.fts.isEmpty())
        encodeForStorage(e);
    const EncodedEmail &x = e.encoded;

    m_phases.start();
    bool duplicate = false;
    if (!m_memory || m_dedup.mayContain(x.dedupKey)) {
        m_exists.bindInt(1, m_userId);
        m_exists.bindText(2, x.dedupKey);
        if (!m_exists.step(&duplicate))
            return false;
        m_exists.reset();
    }
    m_phases.mark(WriterPhases::Dedup);
    if (duplicate) {
        ++c.duplicates;
        return true;
    }
    const QByteArray thread = m_threader.assign(x);
    if (thread.isEmpty())
        return false;
    m_phases.mark(WriterPhases::Thread);

    SqliteStatement &s = m_insertEmail;
    s.bindInt(1, m_userId);
    s.bindText(2, m_uploadIdUtf8);
    s.bindTextOrNull(3, x.messageId);
    s.bindText(4, x.dedupKey);
    s.bindText(5, x.contentHash);
    s.bindText(6, thread);
    s.bindTextOrNull(7, x.inReplyTo);
    s.bindTextOrNull(8, x.refs);
    s.bindText(9, x.subject);
    s.bindText(10, x.fromName);
    s.bindText(11, x.fromAddr);
    s.bindText(12, x.to);
    s.bindText(13, x.cc);
    if (e.dateUtc)
        s.bindInt(14, *e.dateUtc);
    else
        s.bindNull(14);
    if (e.dateOffsetMinutes)
        s.bindInt(15, *e.dateOffsetMinutes);
    else
        s.bindNull(15);
    s.bindText(16, x.body);
    s.bindText(17, x.quoted);
    s.bindInt(18, e.bodyFromHtml ? 1 : 0);
    s.bindInt(19, x.attachments.size());
    s.bindInt(20, e.size);
    s.bindBlob(21, e.rawZstd);
    if (!s.step())
        return false;
    const qint64 id = sqlite3_last_insert_rowid(m_handle);
    if (m_memory) {
        m_dedup.add(x.dedupKey);
        m_seenMaxId = std::max(m_seenMaxId, id);
    }
    m_phases.mark(WriterPhases::Row);

    for (const EncodedAttachment &a : x.attachments) {
        m_insertAttachment.bindInt(1, id);
        m_insertAttachment.bindText(2, a.filename);
        m_insertAttachment.bindText(3, a.mimeType);
        m_insertAttachment.bindInt(4, a.size);
        if (a.hasText)
            m_insertAttachment.bindText(5, a.text);
        else
            m_insertAttachment.bindNull(5);
        if (!m_insertAttachment.step())
            return false;
    }
    m_phases.mark(WriterPhases::Attach);
    if (x.ftsDiffers) {
        m_insertCjk.bindInt(1, id);
        for (int i = 0; i < 6; ++i)
            m_insertCjk.bindText(i + 2, x.fts.at(i));
        if (!m_insertCjk.step())
            return false;
    }
    m_insertFts.bindInt(1, id);
    for (int i = 0; i < 6; ++i) { // encodeForStorage always makes all six
        if (x.ftsHasNul)
            m_insertFts.bindText(i + 2, x.fts.at(i));
        else
            m_insertFts.bindTerminatedText(i + 2, x.fts.at(i));
    }
    if (!m_insertFts.step())
        return false;
    m_phases.mark(WriterPhases::Fts);

    for (const QString &w : std::as_const(e.warnings)) {
        ++c.warnings;
        if (!recordError(e.position, QStringLiteral("warning: ") + w, errors))
            return false;
    }
    ++c.imported;
    newIds << id;
    return true;
}

bool EmailWriter::begin(QString *error)
{
    // Another writer on the same store (the embedding stage, a second import, a server) can hold
    // the write lock longer than busy_timeout (10 s); an import of hours should wait for it
    // rather than fail (a 1M-message import failed so once). Each try waits busy_timeout itself.
    QElapsedTimer waited;
    waited.start();
    for (;;) {
        const int rc = sqlite3_exec(m_handle, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        if (rc == SQLITE_OK)
            return true;
        if ((rc & 0xff) != SQLITE_BUSY || waited.elapsed() > kMaxBusyWaitMs) {
            const QString err = QString::fromUtf8(sqlite3_errmsg(m_handle));
            qCWarning(lcIngest).noquote() << "cannot begin the import transaction:" << err;
            if (error)
                *error = err;
            return false;
        }
        qCInfo(lcIngest) << "the store is busy with another writer; the import waits";
    }
}

bool EmailWriter::writeBatch(QList<ParsedEmail> &batch, const Checkpoint &checkpoint, ImportCounters &counters,
                             const QString &operation, QList<qint64> &newIds, QList<ImportError> &errors,
                             QString *error)
{
    return write(batch, counters, error) && commit(checkpoint, counters, operation, newIds, errors, error);
}

void EmailWriter::rollback()
{
    storage::sqliteExec(m_handle, "ROLLBACK");
    m_inTransaction = false;
    m_txIds.clear();
    m_txErrors.clear();
    // The filters and remembered subjects may hold what was rolled back: back to plain SQL.
    m_memory = false;
    m_threader.noMemory();
    m_threader.setEmailFilter(nullptr);
}

bool EmailWriter::write(QList<ParsedEmail> &chunk, const ImportCounters &counters, QString *error)
{
    if (!m_inTransaction) {
        m_phases.start();
        if (!begin(error))
            return false;
        m_phases.mark(WriterPhases::Begin);
        if (m_memory && !catchUpWithOthers()) {
            if (error)
                *error = QString::fromUtf8(sqlite3_errmsg(m_handle));
            storage::sqliteExec(m_handle, "ROLLBACK");
            return false;
        }
        m_inTransaction = true;
        m_tx = counters;
        m_txStart = counters.processed;
        m_txIds.clear();
        m_txErrors.clear();
    }
    m_txIds.reserve(m_txIds.size() + chunk.size());
    for (ParsedEmail &e : chunk) {
        if (!writeOne(e, m_tx, m_txIds, m_txErrors)) {
            if (error)
                *error = QString::fromUtf8(sqlite3_errmsg(m_handle));
            rollback();
            return false;
        }
    }
    return true;
}

bool EmailWriter::commit(const Checkpoint &checkpoint, ImportCounters &counters, const QString &operation,
                         QList<qint64> &newIds, QList<ImportError> &errors, QString *error)
{
    if (!m_inTransaction)
        return true;
    const ImportCounters &c = m_tx;
    const QByteArray op = operation.toUtf8();
    const QByteArray now = QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toUtf8();
    SqliteStatement &u = m_updateUpload;
    u.bindText(1, op);
    u.bindInt(2, c.total);
    u.bindInt(3, c.processed);
    u.bindInt(4, c.imported);
    u.bindInt(5, c.duplicates);
    u.bindInt(6, c.failed);
    u.bindInt(7, checkpoint.offset);
    u.bindText(8, now);
    u.bindText(9, m_uploadIdUtf8);
    bool ok = u.step();
    m_updateCheckpoint.bindInt(1, checkpoint.item);
    m_updateCheckpoint.bindInt(2, checkpoint.offset);
    m_updateCheckpoint.bindInt(3, c.warnings);
    m_updateCheckpoint.bindText(4, m_uploadIdUtf8);
    ok = ok && m_updateCheckpoint.step();
    QString err;
    m_phases.start();
    if (ok)
        ok = storage::sqliteExec(m_handle, "COMMIT", &err);
    m_phases.mark(WriterPhases::Commit);
    if (!ok) {
        if (error)
            *error = !err.isEmpty() ? err : QString::fromUtf8(sqlite3_errmsg(m_handle));
        rollback();
        return false;
    }
    m_inTransaction = false;
    counters = c;
    newIds << m_txIds;
    for (const ImportError &er : std::as_const(m_txErrors)) {
        if (errors.size() < 100)
            errors << er;
    }
    m_txIds.clear();
    m_txErrors.clear();
    return true;
}

} // namespace emailrag::ingest
