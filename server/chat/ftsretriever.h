#pragma once

#include "retriever.h"

namespace emailrag::storage { class DbWorker; }

namespace emailrag::chat {

// Lexical fallback retriever: FTS5 bm25 over emails_fts (subject and sender weighted above body,
// quoted history far below), scoped to the user. Used when the server gives no search engine
// (tests of chat alone, tools). Runs its SQL on the given worker, which must outlive it.
class FtsRetriever : public Retriever
{
public:
    explicit FtsRetriever(storage::DbWorker &worker) : m_worker(worker) { }
    // `candidateBudget` is not used: this fallback has no rare-word narrowing.
    QFuture<QList<RetrievalHit>> retrieve(qint64 userId, const QString &query, int limit, qint64 candidateBudget) override;

    // The FTS5 MATCH expression for `query`: its content terms as quoted prefix-free tokens
    // joined with OR (nothing the user types reaches FTS syntax). Empty when no usable term.
    static QString matchExpression(const QString &query);

private:
    storage::DbWorker &m_worker;
};

} // namespace emailrag::chat
