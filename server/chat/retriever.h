#pragma once

#include <QFuture>
#include <QList>
#include <QString>

namespace emailrag::chat {

// One ranked hit from search, before the chat engine loads and expands it.
struct RetrievalHit
{
    qint64 emailRowId = 0;
    double score = 0;   // 0..1, higher is better
};

// Where the chat engine gets its ranked emails. The production implementation wraps the search
// engine (operators and natural-language filters honoured); FtsRetriever is a lexical fallback
// over emails_fts used when no search engine is given. Implementations must return only emails of
// `userId`. Called on the engine's thread; the future may complete on any thread.
// `candidateBudget`: RetrievalConfig::candidateBudget (search::SearchRequest::candidateBudget).
class Retriever
{
public:
    virtual ~Retriever() = default;
    virtual QFuture<QList<RetrievalHit>> retrieve(qint64 userId, const QString &query, int limit, qint64 candidateBudget) = 0;
};

} // namespace emailrag::chat
