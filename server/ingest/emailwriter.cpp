#include "emailwriter.h"

#include "database.h"
#include "ftstext.h"
#include "messageparser.h"

#include <QDateTime>
#include <QSqlError>

namespace emailrag::ingest {

using storage::Database;

namespace {
// A null QString binds as SQL NULL; the text columns are NOT NULL DEFAULT ''.
QVariant text(const QString &s)
{
    return s.isNull() ? QVariant(QStringLiteral("")) : QVariant(s);
}
} // namespace

EmailWriter::EmailWriter(QSqlDatabase db, qint64 userId, QString uploadId)
    : m_db(db),
      m_userId(userId),
      m_uploadId(std::move(uploadId)),
      m_threader(db, userId),
      m_exists(db),
      m_insertEmail(db),
      m_insertFts(db),
      m_insertAttachment(db),
      m_insertError(db),
      m_updateUpload(db),
      m_updateCheckpoint(db)
{
}

bool EmailWriter::prepare(QString *error)
{
    const bool ok = m_threader.prepare()
        && m_exists.prepare(QStringLiteral("SELECT 1 FROM emails WHERE user_id = ? AND dedup_key = ?"))
        && m_insertEmail.prepare(QStringLiteral(
            "INSERT INTO emails (user_id, upload_id, message_id, dedup_key, content_hash, thread_id, in_reply_to, refs,"
            " subject, from_name, from_addr, to_addrs, cc_addrs, date_utc, date_offset, body_text, quoted_text,"
            " body_from_html, attachment_count, size_bytes, raw_zstd)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
        && m_insertFts.prepare(QStringLiteral(
            "INSERT INTO emails_fts (rowid, subject, sender, recipients, body, quoted, attachments)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)"))
        && m_insertAttachment.prepare(QStringLiteral(
            "INSERT INTO attachments (email_id, filename, mime_type, size_bytes, text) VALUES (?, ?, ?, ?, ?)"))
        && m_insertError.prepare(
            QStringLiteral("INSERT INTO upload_errors (upload_id, position, reason) VALUES (?, ?, ?)"))
        && m_updateUpload.prepare(QStringLiteral(
            "UPDATE uploads SET status = 'processing', current_operation = ?, total_emails = ?, emails_processed = ?,"
            " emails_imported = ?, duplicates = ?, failures = ?, resume_offset = ?, updated_at = ? WHERE id = ?"))
        && m_updateCheckpoint.prepare(
            QStringLiteral("UPDATE import_checkpoints SET item = ?, offset = ?, warnings = ? WHERE upload_id = ?"));
    if (!ok && error)
        *error = QStringLiteral("cannot prepare import statements: %1").arg(m_db.lastError().text());
    return ok;
}

bool EmailWriter::recordError(const QString &position, const QString &reason, QList<ImportError> &errors)
{
    m_insertError.bindValue(0, m_uploadId);
    m_insertError.bindValue(1, position);
    m_insertError.bindValue(2, reason);
    if (errors.size() < 100)
        errors.append({position, reason});
    return Database::exec(m_insertError);
}

bool EmailWriter::writeOne(const ParsedEmail &e, ImportCounters &c, QList<qint64> &newIds, QList<ImportError> &errors)
{
    ++c.processed;
    if (!e.error.isEmpty()) {
        ++c.failed;
        return recordError(e.position, e.error, errors);
    }
    m_exists.bindValue(0, m_userId);
    m_exists.bindValue(1, e.dedupKey);
    if (!Database::exec(m_exists))
        return false;
    const bool duplicate = m_exists.next();
    m_exists.finish();
    if (duplicate) {
        ++c.duplicates;
        return true;
    }
    const QString thread = m_threader.assign(e);
    if (thread.isEmpty())
        return false;

    const QVariant null;
    int i = 0;
    auto bind = [&](const QVariant &v) { m_insertEmail.bindValue(i++, v); };
    bind(m_userId);
    bind(m_uploadId);
    bind(e.messageId.isEmpty() ? null : QVariant(e.messageId));
    bind(e.dedupKey);
    bind(e.contentHash);
    bind(thread);
    bind(e.inReplyTo.isEmpty() ? null : QVariant(e.inReplyTo));
    bind(e.references.isEmpty() ? null : QVariant(e.references.join(QLatin1Char(' '))));
    bind(text(e.subject));
    bind(text(e.fromName));
    bind(text(e.fromAddr));
    bind(text(e.to));
    bind(text(e.cc));
    bind(e.dateUtc ? QVariant(*e.dateUtc) : null);
    bind(e.dateOffsetMinutes ? QVariant(*e.dateOffsetMinutes) : null);
    bind(text(e.body));
    bind(text(e.quoted));
    bind(e.bodyFromHtml ? 1 : 0);
    bind(int(e.attachments.size()));
    bind(e.size);
    bind(e.rawZstd);
    if (!Database::exec(m_insertEmail))
        return false;
    const qint64 id = m_insertEmail.lastInsertId().toLongLong();

    QStringList attachmentText;
    for (const ParsedAttachment &a : e.attachments) {
        m_insertAttachment.bindValue(0, id);
        m_insertAttachment.bindValue(1, text(a.filename));
        m_insertAttachment.bindValue(2, text(a.mimeType));
        m_insertAttachment.bindValue(3, a.size);
        m_insertAttachment.bindValue(4, a.text.isNull() ? null : QVariant(a.text));
        if (!Database::exec(m_insertAttachment))
            return false;
        attachmentText << a.filename;
        if (!a.text.isEmpty())
            attachmentText << a.text;
    }
    // The index gets CJK runs split into characters (ftstext.h); the stored text stays as written.
    m_insertFts.bindValue(0, id);
    m_insertFts.bindValue(1, text(cjkSpaced(e.subject)));
    m_insertFts.bindValue(2, text(cjkSpaced(e.fromName.isEmpty() ? e.fromAddr : e.fromName + QLatin1Char(' ') + e.fromAddr)));
    m_insertFts.bindValue(3, text(cjkSpaced(e.cc.isEmpty() ? e.to : e.to + QLatin1Char(' ') + e.cc)));
    m_insertFts.bindValue(4, text(cjkSpaced(e.body)));
    m_insertFts.bindValue(5, text(cjkSpaced(e.quoted)));
    m_insertFts.bindValue(6, text(cjkSpaced(attachmentText.join(QLatin1Char('\n')))));
    if (!Database::exec(m_insertFts))
        return false;

    for (const QString &w : e.warnings) {
        ++c.warnings;
        if (!recordError(e.position, QStringLiteral("warning: ") + w, errors))
            return false;
    }
    ++c.imported;
    newIds << id;
    return true;
}

bool EmailWriter::writeBatch(const QList<ParsedEmail> &batch, const Checkpoint &checkpoint, ImportCounters &counters,
                             const QString &operation, QList<qint64> &newIds, QList<ImportError> &errors,
                             QString *error)
{
    QSqlQuery q(m_db);
    if (!Database::exec(q, QStringLiteral("BEGIN IMMEDIATE"))) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    ImportCounters c = counters;
    QList<qint64> ids;
    QList<ImportError> errs;
    bool ok = true;
    for (const ParsedEmail &e : batch) {
        if (!writeOne(e, c, ids, errs)) {
            ok = false;
            break;
        }
    }
    if (ok) {
        int i = 0;
        auto bind = [&](const QVariant &v) { m_updateUpload.bindValue(i++, v); };
        bind(operation);
        bind(c.total);
        bind(c.processed);
        bind(c.imported);
        bind(c.duplicates);
        bind(c.failed);
        bind(checkpoint.offset);
        bind(QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
        bind(m_uploadId);
        ok = Database::exec(m_updateUpload);
        m_updateCheckpoint.bindValue(0, checkpoint.item);
        m_updateCheckpoint.bindValue(1, checkpoint.offset);
        m_updateCheckpoint.bindValue(2, c.warnings);
        m_updateCheckpoint.bindValue(3, m_uploadId);
        ok = ok && Database::exec(m_updateCheckpoint);
    }
    if (ok)
        ok = Database::exec(q, QStringLiteral("COMMIT"));
    if (!ok) {
        if (error)
            *error = m_db.lastError().text().isEmpty() ? QStringLiteral("database write failed") : m_db.lastError().text();
        QSqlQuery rollback(m_db);
        rollback.exec(QStringLiteral("ROLLBACK"));
        return false;
    }
    counters = c;
    newIds << ids;
    for (const ImportError &err : std::as_const(errs)) {
        if (errors.size() < 100)
            errors << err;
    }
    return true;
}

} // namespace emailrag::ingest
