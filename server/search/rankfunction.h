#pragma once

#include <QSqlDatabase>

#include <vector>

#include "doclengths.h"

// emailrag_bm25(emails_fts, K, context, w0, w1, ...): FTS5's own bm25 (same formula, same IDF, same column
// weights, bit-for-bit the same value for every row it scores), with one difference that makes
// "ORDER BY emailrag_bm25(...) LIMIT K" cheap on a large index: it keeps the K best scores of the
// statement so far, and a row whose score cannot reach them — bounded from its term frequencies
// alone, as if the document had no length — gets 0 (worse than any real score) without reading
// its length from the %_docsize table, which is what costs bm25 most per row (about 0.6 µs of
// 1 µs at 1M emails). The K best rows are therefore exactly bm25's K best (MaxScore-style
// pruning). K = 0 scores every row exactly (= bm25).
// `context` is NULL or a RankContext bound with sqlite3_bind_pointer (RankContext::kPointerType):
// its `allowed` ids, when set — rows outside them get 0 and do not count towards the K best, so a
// filter (a date range, a thread) is applied before the pruning instead of after the LIMIT — and
// its in-memory document lengths (doclengths.h), when set, read instead of FTS5's docsize table.
// Only valid as the ORDER BY of a statement that keeps at most K rows and applies no other filter
// between FTS5 and the LIMIT than `allowed`: a row dropped later (another user's, a date filter)
// would have raised the bar for rows that stay.
// Thread: any; the function is per connection, its state per statement. Failure: registration
// returns false (not SQLite, or FTS5 missing) and the callers use bm25().
namespace emailrag::search {

// The email ids a filter leaves (read from an index before ranking), as a bitmap over their
// range: one test per full-text match. It counts the matches it let through, which tells the
// caller whether the K best held all of them.
class IdSet
{
public:
    explicit IdSet(const std::vector<qint64> &ids);
    bool contains(qint64 id) const;
    qint64 size() const { return m_size; }
    mutable qint64 matched = 0; // rows of the statement that were in the set

private:
    qint64 m_min = 0;
    qint64 m_size = 0;
    std::vector<bool> m_bits;     // over [min, max] when that range is not huge
    std::vector<qint64> m_sorted; // otherwise (ids far apart), searched by bisection
};

// What one ranking statement is given through its pointer parameter; both members optional.
struct RankContext
{
    static constexpr const char *kPointerType = "emailrag_rank_context";
    const IdSet *allowed = nullptr;
    const DocLengthSnapshot *lengths = nullptr;
    const std::vector<double> *idf = nullptr; // per phrase, in FTS5's order (phraseidf.h)
    mutable qint64 scored = 0; // rows scored exactly
    mutable qint64 pruned = 0; // rows bounded out of the K best without their length
};

// Registers emailrag_bm25 on this connection unless it is there already. Cheap when it is.
bool ensureRankFunction(const QSqlDatabase &db);

} // namespace emailrag::search
