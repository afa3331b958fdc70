#include "searchfixture.h"

#include <QSqlQuery>
#include <QThread>

namespace emailrag::test {

using storage::Database;

SearchFixture::SearchFixture()
{
    m_config = storage::DatabaseConfig::sqliteFile(m_dir.filePath(QStringLiteral("emailrag.sqlite")));
    m_valid = m_dir.isValid() && !Database::migrate(m_config, QStringLiteral("fixture-migrate"));
}

QSqlDatabase SearchFixture::db()
{
    return Database::connection(m_config, Database::threadConnectionName(QStringLiteral("fixture")));
}

qint64 SearchFixture::addUser(const QString &name)
{
    QSqlQuery q(db());
    Database::exec(q, QStringLiteral("INSERT INTO users(name, password_hash, created_at) VALUES (?, 'x', ?)"),
                   {name, QDateTime::currentDateTimeUtc().toString(Qt::ISODate)});
    return q.lastInsertId().toLongLong();
}

QString SearchFixture::addUpload(qint64 userId, const QString &uploadId)
{
    QSqlQuery q(db());
    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    Database::exec(q, QStringLiteral("INSERT INTO uploads(id, user_id, filename, created_at, updated_at) VALUES (?, ?, 'x.mbox', ?, ?)"),
                   {uploadId, userId, now, now});
    return uploadId;
}

qint64 SearchFixture::addEmail(qint64 userId, const FixtureEmail &in)
{
    // A null QString binds as SQL NULL; the schema wants '' for absent text.
    FixtureEmail e = in;
    for (QString *s : {&e.subject, &e.fromName, &e.fromAddr, &e.to, &e.cc, &e.body, &e.quoted})
        *s = s->isNull() ? QStringLiteral("") : *s;
    ++m_counter;
    QSqlDatabase d = db();
    d.transaction();
    QSqlQuery q(d);
    const QString messageId = e.messageId.isEmpty() ? QStringLiteral("fixture-%1@test").arg(m_counter) : e.messageId;
    const QString thread = e.threadId.isEmpty() ? QStringLiteral("thread-%1").arg(m_counter) : e.threadId;
    Database::exec(q,
                   QStringLiteral("INSERT INTO emails(user_id, upload_id, message_id, dedup_key, content_hash, thread_id, "
                                  "subject, from_name, from_addr, to_addrs, cc_addrs, date_utc, date_offset, body_text, "
                                  "quoted_text, attachment_count, size_bytes, raw_zstd) "
                                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0,?,?,?,?,?)"),
                   {userId, e.uploadId.isEmpty() ? QVariant() : QVariant(e.uploadId), messageId, messageId,
                    QStringLiteral("hash-%1").arg(m_counter), thread, e.subject, e.fromName, e.fromAddr, e.to, e.cc,
                    e.date.isValid() ? QVariant(e.date.toSecsSinceEpoch()) : QVariant(), e.body, e.quoted,
                    e.attachments.size(), e.body.size() + 100, QByteArray("raw")});
    const qint64 id = q.lastInsertId().toLongLong();
    for (const QString &name : e.attachments) {
        QSqlQuery a(d);
        Database::exec(a, QStringLiteral("INSERT INTO attachments(email_id, filename, mime_type, size_bytes) VALUES (?,?,?,?)"),
                       {id, name, QStringLiteral("application/octet-stream"), 1000});
    }
    QSqlQuery f(d);
    Database::exec(f,
                   QStringLiteral("INSERT INTO emails_fts(rowid, subject, sender, recipients, body, quoted, attachments) "
                                  "VALUES (?,?,?,?,?,?,?)"),
                   {id, e.subject, e.fromName + QLatin1Char(' ') + e.fromAddr, e.to + QLatin1Char(' ') + e.cc, e.body,
                    e.quoted, e.attachments.join(QLatin1Char(' '))});
    d.commit();
    return id;
}

} // namespace emailrag::test
