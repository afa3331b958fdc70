#pragma once

#include "chattypes.h"
#include "retriever.h"

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace emailrag::chat {

// One email as given to a generator: numbered [index] in the prompt.
struct ContextDoc
{
    int index = 0;              // 1-based number in the prompt
    qint64 rowId = 0;
    QString threadId;
    QString messageId;
    QString subject;
    QString from;               // "Name <addr>"
    QString to;
    QDateTime date;
    QString text;               // new text only (quoted history, signature stripped), maybe truncated
    double relevance = 0;       // 0..1
    bool fromThreadExpansion = false;
    bool answersFollowUp = false; // a direct reply to the previous answer's email, asked for ("what did she reply?")
};

// What retrieval found for one question.
struct RetrievalContext
{
    QString query;              // the query actually searched (follow-ups resolved)
    QStringList terms;          // its content terms, for sentence scoring
    QList<ContextDoc> docs;     // numbered 1..N, most relevant first
};

// Loads retrieved emails and expands them with the rest of their threads, within a token budget.
// Runs on the database worker thread with its connection; reads only `userId`'s rows.
class ContextBuilder
{
public:
    explicit ContextBuilder(RetrievalConfig config) : m_config(config) { }

    // `hits`: search results, best first. `seeds`: emails of the previous turn's sources, used to
    // resolve follow-ups ("and what did she reply?"): their thread continuations are added, direct
    // replies first when `wantReplies`.
    QList<ContextDoc> build(QSqlDatabase &db, qint64 userId, const QList<RetrievalHit> &hits,
                            const QList<qint64> &seeds, bool wantReplies) const;

private:
    RetrievalConfig m_config;
};

} // namespace emailrag::chat
