#include "chatfixture.h"

#include <QCryptographicHash>
#include <QSqlQuery>

using emailrag::storage::Database;

ChatFixture::ChatFixture()
{
    m_config = emailrag::storage::DatabaseConfig::sqliteFile(m_dir.filePath(QStringLiteral("chat.db")));
    m_ok = m_dir.isValid() && !Database::migrate(m_config, QStringLiteral("fixture")).has_value();
}

ChatFixture::~ChatFixture()
{
    {
        QSqlDatabase d = QSqlDatabase::database(QStringLiteral("fixture"), false);
        d.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("fixture"));
}

QSqlDatabase ChatFixture::db()
{
    return Database::connection(m_config, QStringLiteral("fixture"));
}

qint64 ChatFixture::addUser(const QString &name)
{
    QSqlDatabase d = db();
    QSqlQuery q(d);
    if (!Database::exec(q, QStringLiteral("INSERT INTO users(name, password_hash, created_at) VALUES (?, '!', ?)"),
                        {name, QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}))
        return -1;
    return q.lastInsertId().toLongLong();
}

qint64 ChatFixture::addEmail(qint64 userId, const Mail &mail)
{
    QSqlDatabase d = db();
    QSqlQuery q(d);
    const QString messageId = mail.messageId.isEmpty() ? QStringLiteral("m%1@test").arg(++m_counter) : mail.messageId;
    const QString thread = mail.threadId.isEmpty() ? messageId : mail.threadId;
    const QByteArray raw = (mail.subject + mail.body).toUtf8();
    const QString hash = QString::fromLatin1(QCryptographicHash::hash(raw + messageId.toUtf8(), QCryptographicHash::Sha256).toHex());
    if (!Database::exec(q, QStringLiteral(
            "INSERT INTO emails(user_id, message_id, dedup_key, content_hash, thread_id, in_reply_to, subject, from_name, "
            "from_addr, to_addrs, date_utc, date_offset, body_text, quoted_text, size_bytes, raw_zstd) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)"),
                        {userId, messageId, messageId, hash, thread, mail.inReplyTo.isEmpty() ? QVariant() : mail.inReplyTo,
                         mail.subject, mail.fromName, mail.fromAddr, mail.to,
                         mail.date.isValid() ? QVariant(mail.date.toSecsSinceEpoch()) : QVariant(), mail.body, mail.quoted,
                         raw.size(), raw}))
        return -1;
    const qint64 id = q.lastInsertId().toLongLong();
    if (!Database::exec(q, QStringLiteral("INSERT INTO emails_fts(rowid, subject, sender, recipients, body, quoted, attachments) "
                                          "VALUES (?, ?, ?, ?, ?, ?, '')"),
                        {id, mail.subject, mail.fromName + QLatin1Char(' ') + mail.fromAddr, mail.to, mail.body, mail.quoted}))
        return -1;
    return id;
}
