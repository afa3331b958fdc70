#include "rankfunction.h"

#include "sqlitestatement.h"

#include <QLoggingCategory>

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <vector>

Q_DECLARE_LOGGING_CATEGORY(lcSearch)

namespace emailrag::search {

namespace {

// FTS5's bm25 constants (fts5_aux.c); changing them would break the equality with bm25().
constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

// What a statement computes once: per-phrase IDF and the average length, as fts5Bm25GetData
// does, plus the running K best scores (a min-heap of positive scores).
struct StatementData
{
    std::vector<double> idf;
    std::vector<double> freq;
    double avgdl = 0;
    sqlite3_int64 rows = 0;
    std::priority_queue<double, std::vector<double>, std::greater<>> best;
};

int countHit(const Fts5ExtensionApi *, Fts5Context *, void *userData)
{
    ++*static_cast<sqlite3_int64 *>(userData);
    return SQLITE_OK;
}

void destroyData(void *p) { delete static_cast<StatementData *>(p); }

StatementData *statementData(const Fts5ExtensionApi *api, Fts5Context *fts, const RankContext *context, int *rc)
{
    if (auto *d = static_cast<StatementData *>(api->xGetAuxdata(fts, 0)))
        return d;
    auto *d = new StatementData;
    const int phrases = api->xPhraseCount(fts);
    sqlite3_int64 rows = 0;
    sqlite3_int64 tokens = 0;
    *rc = api->xRowCount(fts, &rows);
    if (*rc == SQLITE_OK)
        *rc = api->xColumnTotalSize(fts, -1, &tokens);
    d->avgdl = rows > 0 ? double(tokens) / double(rows) : 0;
    d->rows = rows;
    d->idf.resize(size_t(phrases));
    d->freq.resize(size_t(phrases));
    // IDFs given by the caller only for the index they were computed on.
    const bool given = context && context->idf && context->lengths && context->lengths->rows == rows
        && qint64(context->idf->size()) == phrases;
    for (int i = 0; given && i < phrases; ++i)
        d->idf[size_t(i)] = (*context->idf)[size_t(i)];
    for (int i = 0; !given && *rc == SQLITE_OK && i < phrases; ++i) {
        sqlite3_int64 hits = 0;
        *rc = api->xQueryPhrase(fts, i, &hits, countHit);
        double idf = std::log((double(rows) - double(hits) + 0.5) / (double(hits) + 0.5));
        if (idf <= 0.0)
            idf = 1e-6;
        d->idf[size_t(i)] = idf;
    }
    if (*rc == SQLITE_OK)
        *rc = api->xSetAuxdata(fts, d, destroyData);
    else
        delete d;
    return *rc == SQLITE_OK ? d : nullptr;
}

void rankFunction(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nVal, sqlite3_value **values)
{
    const auto *context = nVal > 1 ? static_cast<const RankContext *>(sqlite3_value_pointer(values[1], RankContext::kPointerType))
                                   : nullptr;
    int rc = SQLITE_OK;
    StatementData *d = statementData(api, fts, context, &rc);
    if (!d) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    const sqlite3_int64 keep = nVal > 0 ? sqlite3_value_int64(values[0]) : 0;
    const sqlite3_int64 rowid = api->xRowid(fts);
    if (context && context->allowed) {
        if (!context->allowed->contains(rowid)) {
            sqlite3_result_double(ctx, 0.0);
            return;
        }
        ++context->allowed->matched;
    }
    constexpr int kFirstWeight = 2;
    const int weights = nVal - kFirstWeight;

    // Weighted frequency of each phrase in this row, exactly as bm25 adds it up.
    std::fill(d->freq.begin(), d->freq.end(), 0.0);
    int instances = 0;
    rc = api->xInstCount(fts, &instances);
    for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
        int phrase = 0;
        int column = 0;
        int offset = 0;
        rc = api->xInst(fts, i, &phrase, &column, &offset);
        if (rc == SQLITE_OK)
            d->freq[size_t(phrase)] += weights > column ? sqlite3_value_double(values[column + kFirstWeight]) : 1.0;
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }

    const bool full = keep > 0 && sqlite3_int64(d->best.size()) >= keep;
    if (full) {
        // The score of a document of length 0 bounds the score at any length: the length only
        // grows the denominator.
        double bound = 0;
        for (size_t i = 0; i < d->freq.size(); ++i)
            bound += d->idf[i] * ((d->freq[i] * (kK1 + 1.0)) / (d->freq[i] + kK1 * (1 - kB)));
        if (bound <= d->best.top()) {
            if (context)
                ++context->pruned;
            sqlite3_result_double(ctx, 0.0);
            return;
        }
    }

    // The snapshot only while it describes this index (same row count); a row newer than it is
    // read from FTS5.
    const DocLengthSnapshot *lengths = context ? context->lengths : nullptr;
    qint64 length = lengths && lengths->rows == d->rows ? lengths->lengthOf(rowid) : -1;
    if (length < 0) {
        int n = 0;
        rc = api->xColumnSize(fts, -1, &n);
        if (rc != SQLITE_OK) {
            sqlite3_result_error_code(ctx, rc);
            return;
        }
        length = n;
    }
    if (context)
        ++context->scored;
    const double D = double(length);
    double score = 0;
    for (size_t i = 0; i < d->freq.size(); ++i)
        score += d->idf[i] * ((d->freq[i] * (kK1 + 1.0)) / (d->freq[i] + kK1 * (1 - kB + kB * D / d->avgdl)));
    if (keep > 0) {
        if (!full)
            d->best.push(score);
        else if (score > d->best.top()) {
            d->best.pop();
            d->best.push(score);
        }
    }
    sqlite3_result_double(ctx, -1.0 * score);
}

bool registered(sqlite3 *db)
{
    // FTS5 declares each auxiliary function to SQLite (sqlite3_overload_function), so a statement
    // naming it prepares only once it is registered.
    sqlite3_stmt *stmt = nullptr;
    const bool ok = sqlite3_prepare_v2(db, "SELECT emailrag_bm25()", -1, &stmt, nullptr) == SQLITE_OK;
    sqlite3_finalize(stmt);
    return ok;
}

} // namespace

IdSet::IdSet(const std::vector<qint64> &ids)
{
    constexpr qint64 kMaxBits = qint64(1) << 27; // 16 MB of bitmap at most
    if (ids.empty())
        return;
    const auto [lo, hi] = std::minmax_element(ids.begin(), ids.end());
    if (*hi - *lo >= kMaxBits) {
        m_sorted = ids;
        std::sort(m_sorted.begin(), m_sorted.end());
        m_sorted.erase(std::unique(m_sorted.begin(), m_sorted.end()), m_sorted.end());
        m_size = qint64(m_sorted.size());
        return;
    }
    m_min = *lo;
    m_bits.assign(size_t(*hi - *lo + 1), false);
    for (qint64 id : ids) {
        m_size += m_bits[size_t(id - m_min)] ? 0 : 1;
        m_bits[size_t(id - m_min)] = true;
    }
}

bool IdSet::contains(qint64 id) const
{
    if (!m_sorted.empty())
        return std::binary_search(m_sorted.begin(), m_sorted.end(), id);
    return id >= m_min && id - m_min < qint64(m_bits.size()) && m_bits[size_t(id - m_min)];
}

bool ensureRankFunction(const QSqlDatabase &db)
{
    sqlite3 *handle = storage::sqliteHandle(db);
    if (!handle)
        return false;
    if (registered(handle))
        return true;
    fts5_api *api = storage::ftsApi(handle);
    if (!api || api->xCreateFunction(api, "emailrag_bm25", nullptr, rankFunction, nullptr) != SQLITE_OK) {
        qCWarning(lcSearch) << "could not register emailrag_bm25; ranking falls back to bm25()";
        return false;
    }
    return true;
}

} // namespace emailrag::search
