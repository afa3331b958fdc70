#pragma once

#include "retriever.h"

#include <QPointer>

#include <memory>

namespace emailrag::search { class SearchEngine; }

namespace emailrag::chat {

class FtsRetriever;

// Retrieval through the search engine's hybrid search: the question goes in as typed, so its
// operators and natural-language filters ("from Anna", "last March", "about the budget") are
// honoured there. When the search engine rejects the text as a query (say an unbalanced quote)
// or is gone, the lexical FtsRetriever (owned) answers instead. Same thread as the chat engine;
// does not own the search engine.
class SearchRetriever : public Retriever
{
public:
    SearchRetriever(search::SearchEngine *engine, std::unique_ptr<FtsRetriever> fallback);
    ~SearchRetriever() override;
    QFuture<QList<RetrievalHit>> retrieve(qint64 userId, const QString &query, int limit, qint64 candidateBudget) override;

private:
    QPointer<search::SearchEngine> m_engine;
    std::unique_ptr<FtsRetriever> m_fallback;
};

} // namespace emailrag::chat
