#pragma once

#include "parsedemail.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

// Assigns thread ids, JWZ-style: a message joins the thread of any message it references (or
// that referenced it before it arrived); when references reach two threads, they are merged.
// Replies ("Re:") without usable references fall back to the latest thread with the same
// normalised subject. State lives in thread_ids/thread_subjects (migration 010), so threads span
// uploads. Thread: the importer thread, inside the writer's transaction. Failure: returns an
// empty id after logging the SQL error.
namespace emailrag::ingest {

class Threader
{
public:
    Threader(QSqlDatabase db, qint64 userId);
    bool prepare();
    QString assign(const ParsedEmail &email);

private:
    QString lookup(const QString &messageId);
    void merge(const QString &from, const QString &into);

    QSqlDatabase m_db;
    qint64 m_userId;
    QSqlQuery m_find;
    QSqlQuery m_insert;
    QSqlQuery m_findSubject;
    QSqlQuery m_setSubject;
};

} // namespace emailrag::ingest
