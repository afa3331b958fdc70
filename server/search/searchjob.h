#pragma once

#include "searchtypes.h"

#include <QElapsedTimer>
#include <QObject>

#include <atomic>
#include <memory>

namespace emailrag::search {

// One running search, as the server sees it: hits arrive one by one through resultReady() in
// rank order (the first before the search completes), then exactly one of finished() or
// failed(). After cancel() no further resultReady() is delivered and failed() arrives with
// Code::Cancelled.
//
// Thread: lives on the thread that called SearchEngine::search() (its signals are delivered
// there through queued connections); the work itself runs on the engine's pool with its own
// database connection. Owner: the caller (QObject parent given to search(), else deleteLater()
// it after finished/failed). Deleting it while running cancels the work.
class SearchJob : public QObject
{
    Q_OBJECT
public:
    ~SearchJob() override;

    void cancel();
    bool isFinished() const { return m_done; }
    qint64 userId() const { return m_userId; }
    const SearchRequest &request() const { return m_request; }

Q_SIGNALS:
    void resultReady(const emailrag::search::SearchHit &hit);
    void finished(int totalResults, qint64 processingTimeMs);
    void failed(const emailrag::search::SearchError &error);
    // Same as finished(), with the details (time to first result, relaxation).
    void summaryReady(const emailrag::search::SearchSummary &summary);

private:
    friend class SearchEngine;
    SearchJob(qint64 userId, SearchRequest request, QObject *parent);
    void onHit(const emailrag::search::SearchHit &hit);
    void onDone(const emailrag::search::SearchSummary &summary);
    void onError(const emailrag::search::SearchError &error);

    qint64 m_userId;
    SearchRequest m_request;
    std::shared_ptr<std::atomic_bool> m_cancel;
    bool m_done = false;
};

} // namespace emailrag::search
