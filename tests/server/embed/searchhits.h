#pragma once

#include "searcher.h"

#include <QDateTime>
#include <QDebug>

#include <variant>

// Shared by the embedding tests that compare rankings (tst_embedstage, tst_expansion): runs one
// request of `userId` at a fixed "now" (so relative dates and the recency prior do not move with
// the calendar) and returns the streamed hits in order. An error is printed and gives no hits.
namespace emailrag::test {

inline QList<search::SearchHit> searchHits(search::Searcher &searcher, qint64 userId, const QString &query,
                                           search::SearchRequest::Ranking ranking)
{
    search::SearchRequest r;
    r.query = query;
    r.ranking = ranking;
    r.now = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
    QList<search::SearchHit> hits;
    auto result = searcher.run(userId, r, [&](const search::SearchHit &h) { hits << h; });
    if (std::holds_alternative<search::SearchError>(result))
        qWarning() << std::get<search::SearchError>(result).message;
    return hits;
}

} // namespace emailrag::test
