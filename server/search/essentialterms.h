#pragma once

#include "sqlplan.h"

#include <optional>
#include <vector>

// MaxScore's "essential terms" for the first stage of an any-term plan (docs/search.md "Query
// plans"): a request such as "risk affected weather" matches every email holding any of its
// words, and at 1,000,000 emails a word in 3.5 % of them ("risk", 35,000 emails) makes FTS5 walk
// 50,000 rows to keep the best 400. A row's bm25 share for one phrase is below idf × (k1 + 1)
// whatever its frequency and length, so a row that holds only the common word scores below
// 2.2 × idf(risk) ≈ 7.3, while the 400th best row holding "affected" or "weather" scores ~11.
// The first stage is therefore run on the rows holding a rarer ("essential") word only — the
// same match with "(affected OR weather) AND" in front, whose copies of those words get IDF 0,
// so every row keeps its score bit for bit — and its answer is kept only when its K-th best
// score proves that no row left out could have entered the K best (rankRows checks; otherwise
// the plan runs as written). Exact: the same K rows, the same scores, never a different list.
// Pure functions, any thread.
namespace emailrag::search {

struct EssentialPlan
{
    QString match; // the plan's match with any of the essential words required
    std::vector<double> idf; // the plan's IDFs in `match`'s phrase order, the required copies at 0
    double bound = 0; // every row without an essential word scores strictly below this
    qint64 rowsLeftOut = 0; // emails holding the words left out (an estimate of rows saved)
};

// The rewrite of `plan` (which must have anyTerms) given the IDFs of its match's phrases (as
// the rank function gets them) and the document counts of its anyTerms (same order), or nullopt
// when it would not pay: fewer than two any-term words, fewer than `minRowsLeftOut` emails
// holding the common ones, no common word whose bound stays at most `maxBound`, fewer than
// `minKept` (the first stage's K) emails holding the essential words or more than half as many
// as the words left out hold, or a head group (a narrowed plan's rarer words) that already
// requires them.
std::optional<EssentialPlan> essentialPlan(const SqlPlan &plan, const std::vector<double> &idf,
    const std::vector<qint64> &anyCounts, double maxBound, qint64 minRowsLeftOut, qint64 minKept);

} // namespace emailrag::search
