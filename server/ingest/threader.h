#pragma once

#include "keyfilter.h"
#include "parsedemail.h"
#include "sqlitestatement.h"

#include <QByteArray>
#include <QHash>

// Assigns thread ids, JWZ-style: a message joins the thread of any message it references (or
// that referenced it before it arrived); when references reach two threads, they are merged.
// Replies ("Re:") without usable references fall back to the latest thread with the same
// normalised subject. State lives in emails.thread_id (a stored message's own Message-ID is its
// dedup_key), thread_ids (Message-IDs that messages referenced) and thread_subjects (migration
// 010), so threads span uploads. A message's own id is not written to thread_ids: the emails row
// already maps it to its thread (stores from before keep such rows; lookups read both). The candidates (reference chain, new id) are computed on the parse thread
// (encodeForStorage); only the lookups and writes happen here. Thread: the importer thread,
// inside the writer's transaction. Failure: returns an empty id after logging the SQL error.
// With useMemory(), a Bloom filter of the user's known Message-IDs skips the lookups of ids never
// seen (most of them), and the subjects this import wrote are remembered so that the subject row
// is neither read nor rewritten when it already holds the thread. Both are valid only while no
// other connection writes threads: the writer calls forgetOthers()/learn() when one did.
namespace emailrag::ingest {

class Threader
{
public:
    Threader(sqlite3 *db, qint64 userId);
    bool prepare();
    QByteArray assign(const EncodedEmail &email);

    // Loads the user's Message-IDs from thread_ids into the filter sized for `expectedNew` more.
    bool useMemory(qint64 expectedNew);
    // Another connection wrote: the subject memory is dropped; its ids are added with learn().
    void forgetOthers() { m_subjects.clear(); }
    void learn(const QByteArray &messageId);
    void noMemory();
    // The writer's filter of the user's dedup keys (maybe), so that an id never stored as an
    // email skips the emails lookup; nullptr: always look.
    void setEmailFilter(const KeyFilter *filter) { m_emailFilter = filter; }

private:
    bool lookup(const QByteArray &messageId, QByteArray *thread);
    bool lookupEmail(const QByteArray &messageId, QByteArray *thread);
    bool merge(const QByteArray &from, const QByteArray &into);
    bool remember(const QByteArray &messageId, const QByteArray &thread);

    sqlite3 *m_db;
    qint64 m_userId;
    storage::SqliteStatement m_find;
    storage::SqliteStatement m_findEmail;
    storage::SqliteStatement m_insert;
    storage::SqliteStatement m_findSubject;
    storage::SqliteStatement m_setSubject;
    storage::SqliteStatement m_mergeEmails;
    storage::SqliteStatement m_mergeIds;
    storage::SqliteStatement m_mergeSubjects;
    bool m_memory = false;
    KeyFilter m_known;                        // Message-IDs in thread_ids (maybe) for this user
    const KeyFilter *m_emailFilter = nullptr; // dedup keys of the user's emails (maybe)
    QHash<QByteArray, QByteArray> m_subjects; // subject key -> thread that thread_subjects holds
};

} // namespace emailrag::ingest
