#include "searchjob.h"

namespace emailrag::search {

SearchJob::SearchJob(qint64 userId, SearchRequest request, QObject *parent)
    : QObject(parent)
    , m_userId(userId)
    , m_request(std::move(request))
    , m_cancel(std::make_shared<std::atomic_bool>(false))
{
}

SearchJob::~SearchJob() { m_cancel->store(true); }

void SearchJob::cancel()
{
    if (m_done)
        return;
    m_cancel->store(true);
    m_done = true;
    SearchError e;
    e.code = SearchError::Code::Cancelled;
    e.message = tr("Search cancelled");
    Q_EMIT failed(e);
}

void SearchJob::onHit(const SearchHit &hit)
{
    if (!m_done)
        Q_EMIT resultReady(hit);
}

void SearchJob::onDone(const SearchSummary &summary)
{
    if (m_done)
        return;
    m_done = true;
    Q_EMIT summaryReady(summary);
    Q_EMIT finished(summary.totalResults, summary.processingTimeMs);
}

void SearchJob::onError(const SearchError &error)
{
    if (m_done)
        return;
    m_done = true;
    Q_EMIT failed(error);
}

} // namespace emailrag::search
