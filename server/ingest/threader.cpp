#include "threader.h"

#include <QVarLengthArray>

namespace emailrag::ingest {

Threader::Threader(sqlite3 *db, qint64 userId) : m_db(db), m_userId(userId) { }

bool Threader::prepare()
{
    return m_find.prepare(m_db, "SELECT thread_id FROM thread_ids WHERE user_id = ? AND message_id = ?")
        && m_findEmail.prepare(m_db, "SELECT thread_id FROM emails WHERE user_id = ? AND dedup_key = ?")
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

bool Threader::useMemory(qint64 expectedNew)
{
    storage::SqliteStatement count;
    storage::SqliteStatement ids;
    if (!count.prepare(m_db, "SELECT count(*) FROM thread_ids WHERE user_id = ?")
        || !ids.prepare(m_db, "SELECT message_id FROM thread_ids WHERE user_id = ?"))
        return false;
    count.bindInt(1, m_userId);
    bool row = false;
    if (!count.step(&row))
        return false;
    const qint64 existing = row ? count.columnInt(0) : 0;
    count.reset();
    // References add ids besides the messages' own: twice the messages is a fair guess.
    m_known.reset(existing + 2 * expectedNew);
    ids.bindInt(1, m_userId);
    if (!ids.step(&row))
        return false;
    while (row) {
        m_known.add(ids.columnText(0));
        row = ids.next();
    }
    ids.reset();
    m_memory = true;
    return true;
}

void Threader::noMemory()
{
    m_memory = false;
    m_known = KeyFilter();
    m_subjects.clear();
}

void Threader::learn(const QByteArray &messageId)
{
    if (m_memory && !messageId.isEmpty())
        m_known.add(messageId);
}

bool Threader::lookup(const QByteArray &messageId, QByteArray *thread)
{
    if (m_memory && !m_known.mayContain(messageId)) {
        *thread = QByteArray(); // certainly not in thread_ids
        return true;
    }
    m_find.bindInt(1, m_userId);
    m_find.bindText(2, messageId);
    bool row = false;
    if (!m_find.step(&row))
        return false;
    *thread = row ? m_find.columnText(0) : QByteArray();
    m_find.reset();
    return true;
}

// A stored email with this Message-ID (its dedup_key; UNIQUE index (user_id, dedup_key)).
bool Threader::lookupEmail(const QByteArray &messageId, QByteArray *thread)
{
    if (m_emailFilter && !m_emailFilter->mayContain(messageId)) {
        *thread = QByteArray();
        return true;
    }
    m_findEmail.bindInt(1, m_userId);
    m_findEmail.bindText(2, messageId);
    bool row = false;
    if (!m_findEmail.step(&row))
        return false;
    *thread = row ? m_findEmail.columnText(0) : QByteArray();
    m_findEmail.reset();
    return true;
}

bool Threader::merge(const QByteArray &from, const QByteArray &into)
{
    m_subjects.clear(); // rows holding `from` now hold `into`
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
    if (m_memory)
        m_known.add(messageId);
    return m_insert.step();
}

QByteArray Threader::assign(const EncodedEmail &e)
{
    QByteArray thread;
    if (!e.messageId.isEmpty() && !lookup(e.messageId, &thread))
        return {};
    // References found in thread_ids: once the loop is done their rows hold `thread` (the same
    // thread, or merged into it), so remembering them again would be an INSERT OR IGNORE that
    // changes nothing. On a mailing list most references are such ids (every reply lists its
    // ancestors, which earlier replies already wrote).
    QVarLengthArray<bool, 16> mapped(e.chain.size());
    for (qsizetype i = 0; i < e.chain.size(); ++i) {
        const QByteArray &id = e.chain.at(i);
        QByteArray t;
        if (!lookup(id, &t))
            return {};
        mapped[i] = !t.isEmpty();
        if (t.isEmpty() && !lookupEmail(id, &t))
            return {};
        if (t.isEmpty())
            continue;
        if (thread.isEmpty())
            thread = t;
        else if (t != thread && !merge(t, thread))
            return {};
    }
    const auto known = m_memory && !e.subjectKey.isEmpty() ? m_subjects.constFind(e.subjectKey) : m_subjects.cend();
    if (thread.isEmpty() && e.isReply && known != m_subjects.cend()) {
        thread = known.value();
    } else if (thread.isEmpty() && e.isReply && !e.subjectKey.isEmpty()) {
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
    // Referenced ids only: the message's own id is mapped by its emails row (dedup_key). That
    // saved an insert into thread_ids and its index per email, about a sixth of the writer's
    // thread bookkeeping on Enron (docs/ingestion.md "Speed").
    for (qsizetype i = 0; i < e.chain.size(); ++i) {
        if (!mapped[i] && !remember(e.chain.at(i), thread))
            return {};
    }
    if (!e.subjectKey.isEmpty() && (known == m_subjects.cend() || known.value() != thread)) {
        m_setSubject.bindInt(1, m_userId);
        m_setSubject.bindText(2, e.subjectKey);
        m_setSubject.bindText(3, thread);
        if (!m_setSubject.step())
            return {};
        if (m_memory) {
            if (m_subjects.size() >= 200000)
                m_subjects.clear(); // bounded memory on huge imports; only costs the upserts again
            m_subjects.insert(e.subjectKey, thread);
        }
    }
    return thread;
}

} // namespace emailrag::ingest
