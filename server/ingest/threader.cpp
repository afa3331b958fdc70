#include "threader.h"

#include "database.h"

#include <QCryptographicHash>

namespace emailrag::ingest {

using storage::Database;

Threader::Threader(QSqlDatabase db, qint64 userId)
    : m_db(db), m_userId(userId), m_find(db), m_insert(db), m_findSubject(db), m_setSubject(db)
{
}

bool Threader::prepare()
{
    return m_find.prepare(QStringLiteral("SELECT thread_id FROM thread_ids WHERE user_id = ? AND message_id = ?"))
        && m_insert.prepare(QStringLiteral(
            "INSERT OR IGNORE INTO thread_ids (user_id, message_id, thread_id) VALUES (?, ?, ?)"))
        && m_findSubject.prepare(
            QStringLiteral("SELECT thread_id FROM thread_subjects WHERE user_id = ? AND subject = ?"))
        && m_setSubject.prepare(QStringLiteral(
            "INSERT OR REPLACE INTO thread_subjects (user_id, subject, thread_id) VALUES (?, ?, ?)"));
}

QString Threader::lookup(const QString &messageId)
{
    m_find.bindValue(0, m_userId);
    m_find.bindValue(1, messageId);
    if (!Database::exec(m_find))
        return {};
    QString id = m_find.next() ? m_find.value(0).toString() : QString();
    m_find.finish();
    return id;
}

void Threader::merge(const QString &from, const QString &into)
{
    QSqlQuery q(m_db);
    Database::exec(q, QStringLiteral("UPDATE emails SET thread_id = ? WHERE user_id = ? AND thread_id = ?"),
                   {into, m_userId, from});
    Database::exec(q, QStringLiteral("UPDATE thread_ids SET thread_id = ? WHERE user_id = ? AND thread_id = ?"),
                   {into, m_userId, from});
    Database::exec(q, QStringLiteral("UPDATE thread_subjects SET thread_id = ? WHERE user_id = ? AND thread_id = ?"),
                   {into, m_userId, from});
}

QString Threader::assign(const ParsedEmail &e)
{
    // Root first: References are ordered oldest to newest, In-Reply-To is the direct parent.
    QStringList chain = e.references;
    if (!e.inReplyTo.isEmpty() && !chain.contains(e.inReplyTo))
        chain << e.inReplyTo;
    chain.removeAll(e.messageId);

    QString thread = e.messageId.isEmpty() ? QString() : lookup(e.messageId);
    for (const QString &id : std::as_const(chain)) {
        const QString t = lookup(id);
        if (t.isEmpty())
            continue;
        if (thread.isEmpty())
            thread = t;
        else if (t != thread)
            merge(t, thread);
    }
    if (thread.isEmpty() && e.isReply && !e.subjectKey.isEmpty()) {
        m_findSubject.bindValue(0, m_userId);
        m_findSubject.bindValue(1, e.subjectKey);
        if (Database::exec(m_findSubject) && m_findSubject.next())
            thread = m_findSubject.value(0).toString();
        m_findSubject.finish();
    }
    if (thread.isEmpty()) {
        // Deterministic: the same root gives the same thread id in any import order.
        const QString root = !chain.isEmpty() ? chain.first() : !e.messageId.isEmpty() ? e.messageId : e.dedupKey;
        thread = QStringLiteral("thread_")
            + QString::fromLatin1(QCryptographicHash::hash(root.toUtf8(), QCryptographicHash::Sha256).toHex().left(16));
    }
    if (!e.messageId.isEmpty())
        chain << e.messageId;
    for (const QString &id : std::as_const(chain)) {
        m_insert.bindValue(0, m_userId);
        m_insert.bindValue(1, id);
        m_insert.bindValue(2, thread);
        Database::exec(m_insert);
    }
    if (!e.subjectKey.isEmpty()) {
        m_setSubject.bindValue(0, m_userId);
        m_setSubject.bindValue(1, e.subjectKey);
        m_setSubject.bindValue(2, thread);
        Database::exec(m_setSubject);
    }
    return thread;
}

} // namespace emailrag::ingest
