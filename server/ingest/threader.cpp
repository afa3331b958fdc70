#include "threader.h"

namespace emailrag::ingest {

Threader::Threader(sqlite3 *db, qint64 userId) : m_db(db), m_userId(userId) { }

bool Threader::prepare()
{
    return m_find.prepare(m_db, "SELECT thread_id FROM thread_ids WHERE user_id = ? AND message_id = ?")
        && m_insert.prepare(m_db, "INSERT OR IGNORE INTO thread_ids (user_id, message_id, thread_id) VALUES (?, ?, ?)")
        && m_findSubject.prepare(m_db, "SELECT thread_id FROM thread_subjects WHERE user_id = ? AND subject = ?")
        // An upsert that writes only when the thread changes (most messages of a thread repeat it).
        && m_setSubject.prepare(m_db,
                                "INSERT INTO thread_subjects (user_id, subject, thread_id) VALUES (?, ?, ?)"
                                " ON CONFLICT (user_id, subject) DO UPDATE SET thread_id = excluded.thread_id"
                                " WHERE thread_id <> excluded.thread_id")
        && m_mergeEmails.prepare(m_db, "UPDATE emails SET thread_id = ? WHERE user_id = ? AND thread_id = ?")
        && m_mergeIds.prepare(m_db, "UPDATE thread_ids SET thread_id = ? WHERE user_id = ? AND thread_id = ?")
        && m_mergeSubjects.prepare(m_db, "UPDATE thread_subjects SET thread_id = ? WHERE user_id = ? AND thread_id = ?");
}

bool Threader::lookup(const QByteArray &messageId, QByteArray *thread)
{
    m_find.bindInt(1, m_userId);
    m_find.bindText(2, messageId);
    bool row = false;
    if (!m_find.step(&row))
        return false;
    *thread = row ? m_find.columnText(0) : QByteArray();
    m_find.reset();
    return true;
}

bool Threader::merge(const QByteArray &from, const QByteArray &into)
{
    for (storage::SqliteStatement *s : {&m_mergeEmails, &m_mergeIds, &m_mergeSubjects}) {
        s->bindText(1, into);
        s->bindInt(2, m_userId);
        s->bindText(3, from);
        if (!s->step())
            return false;
    }
    return true;
}

bool Threader::remember(const QByteArray &messageId, const QByteArray &thread)
{
    m_insert.bindInt(1, m_userId);
    m_insert.bindText(2, messageId);
    m_insert.bindText(3, thread);
    return m_insert.step();
}

QByteArray Threader::assign(const EncodedEmail &e)
{
    QByteArray thread;
    if (!e.messageId.isEmpty() && !lookup(e.messageId, &thread))
        return {};
    for (const QByteArray &id : e.chain) {
        QByteArray t;
        if (!lookup(id, &t))
            return {};
        if (t.isEmpty())
            continue;
        if (thread.isEmpty())
            thread = t;
        else if (t != thread && !merge(t, thread))
            return {};
    }
    if (thread.isEmpty() && e.isReply && !e.subjectKey.isEmpty()) {
        m_findSubject.bindInt(1, m_userId);
        m_findSubject.bindText(2, e.subjectKey);
        bool row = false;
        if (!m_findSubject.step(&row))
            return {};
        if (row)
            thread = m_findSubject.columnText(0);
        m_findSubject.reset();
    }
    if (thread.isEmpty())
        thread = e.newThreadId; // deterministic: the same root gives the same id in any import order
    for (const QByteArray &id : e.chain) {
        if (!remember(id, thread))
            return {};
    }
    if (!e.messageId.isEmpty() && !remember(e.messageId, thread))
        return {};
    if (!e.subjectKey.isEmpty()) {
        m_setSubject.bindInt(1, m_userId);
        m_setSubject.bindText(2, e.subjectKey);
        m_setSubject.bindText(3, thread);
        if (!m_setSubject.step())
            return {};
    }
    return thread;
}

} // namespace emailrag::ingest
