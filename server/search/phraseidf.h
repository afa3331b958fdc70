#pragma once

#include "doclengths.h"

#include <QSqlDatabase>
#include <QStringList>

#include <optional>
#include <vector>

// The IDF of each phrase of a ranking query, as FTS5's bm25 computes it (log((N - n + 0.5) /
// (n + 0.5)), at least 1e-6), from document counts kept per store: bm25 counts every phrase's
// matching rows again for each statement (xQueryPhrase), which for a word or address in a fifth of
// 1,000,000 emails is 10-60 ms, and a chat question holds several. A count is reused while the
// index is the one it was counted on (the snapshot's row and token totals), so the values are
// exactly bm25's; any change to the index counts again.
// Thread: any (a mutex guards the cache).
// Failure: nullopt, and the rank function counts itself.
namespace emailrag::search {

std::optional<std::vector<double>> phraseIdf(const QSqlDatabase &db, const QStringList &phrases,
                                             const DocLengthSnapshot &index);

// The number of emails each phrase expression matches, from the same cache; those not in it (or
// counted on another state of the index) are counted now, on `db`.
std::optional<std::vector<qint64>> phraseCounts(const QSqlDatabase &db, const QStringList &phrases,
                                                const DocLengthSnapshot &index);

} // namespace emailrag::search
