#include "searchretriever.h"

#include "chatlog.h"
#include "ftsretriever.h"
#include "searchengine.h"

namespace emailrag::chat {

SearchRetriever::SearchRetriever(search::SearchEngine *engine, std::unique_ptr<FtsRetriever> fallback)
    : m_engine(engine), m_fallback(std::move(fallback))
{
}

SearchRetriever::~SearchRetriever() = default;

QFuture<QList<RetrievalHit>> SearchRetriever::retrieve(qint64 userId, const QString &query, int limit, qint64 candidateBudget)
{
    if (!m_engine)
        return m_fallback->retrieve(userId, query, limit, candidateBudget);
    search::SearchRequest request;
    request.query = query;
    request.limit = limit;
    request.candidateBudget = candidateBudget;
    FtsRetriever *fallback = m_fallback.get();
    return m_engine->searchAll(userId, request)
        .then(QtFuture::Launch::Sync, [userId, query, limit, fallback](search::SearchOutcome outcome) -> QFuture<QList<RetrievalHit>> {
            if (!outcome.ok()) {
                qCDebug(lcChat) << "search rejected the question as a query, using plain terms:" << outcome.error->message;
                return fallback->retrieve(userId, query, limit, 0);
            }
            QList<RetrievalHit> hits;
            for (const search::SearchHit &h : std::as_const(outcome.hits))
                hits << RetrievalHit{h.rowId, h.score};
            return QtFuture::makeReadyFuture(std::move(hits));
        })
        .unwrap();
}

} // namespace emailrag::chat
