#include "emailreader.h"

#include "database.h"

#include <QSqlQuery>

namespace emailrag::search {

using storage::Database;

namespace {
QString formatFrom(const QString &name, const QString &addr)
{
    if (name.isEmpty())
        return addr;
    if (addr.isEmpty())
        return name;
    return QStringLiteral("%1 <%2>").arg(name, addr);
}
} // namespace

EmailReader::EmailReader(QSqlDatabase db)
    : m_db(std::move(db))
{
}

std::optional<EmailDetail> EmailReader::read(qint64 userId, qint64 rowId)
{
    QSqlQuery q(m_db);
    if (!Database::exec(q,
                        QStringLiteral("SELECT message_id, thread_id, upload_id, subject, from_name, from_addr, "
                                       "to_addrs, cc_addrs, date_utc, date_offset, in_reply_to, refs, body_text, "
                                       "quoted_text, body_from_html, size_bytes FROM emails WHERE id = ? AND user_id = ?"),
                        {rowId, userId})
        || !q.next())
        return std::nullopt;
    EmailDetail d;
    d.rowId = rowId;
    d.emailId = emailIdFor(rowId);
    d.messageId = q.value(0).toString();
    d.threadId = q.value(1).toString();
    d.uploadId = q.value(2).toString();
    d.subject = q.value(3).toString();
    d.fromName = q.value(4).toString();
    d.fromAddr = q.value(5).toString();
    d.from = formatFrom(d.fromName, d.fromAddr);
    d.to = q.value(6).toString();
    d.cc = q.value(7).toString();
    if (!q.value(8).isNull())
        d.date = isoUtc(q.value(8).toLongLong());
    d.dateOffsetMinutes = q.value(9).toInt();
    d.inReplyTo = q.value(10).toString();
    d.references = q.value(11).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    d.bodyText = q.value(12).toString();
    d.quotedText = q.value(13).toString();
    d.bodyFromHtml = q.value(14).toInt() != 0;
    d.sizeBytes = q.value(15).toLongLong();

    QSqlQuery a(m_db);
    if (Database::exec(a,
                       QStringLiteral("SELECT id, filename, mime_type, size_bytes, text IS NOT NULL FROM attachments "
                                      "WHERE email_id = ? ORDER BY id"),
                       {rowId})) {
        while (a.next())
            d.attachments << AttachmentInfo{a.value(0).toLongLong(), a.value(1).toString(), a.value(2).toString(),
                                            a.value(3).toLongLong(), a.value(4).toInt() != 0};
    }

    QSqlQuery t(m_db);
    if (Database::exec(t,
                       QStringLiteral("SELECT id, subject, from_name, from_addr, date_utc FROM emails "
                                      "WHERE user_id = ? AND thread_id = ? ORDER BY date_utc, id LIMIT 1000"),
                       {userId, d.threadId})) {
        while (t.next()) {
            ThreadEntry e;
            e.emailId = emailIdFor(t.value(0).toLongLong());
            e.subject = t.value(1).toString();
            e.from = formatFrom(t.value(2).toString(), t.value(3).toString());
            if (!t.value(4).isNull())
                e.date = isoUtc(t.value(4).toLongLong());
            d.thread << e;
        }
    }
    return d;
}

} // namespace emailrag::search
