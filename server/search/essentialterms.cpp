#include "essentialterms.h"

#include <QSet>

#include <algorithm>
#include <numeric>

namespace emailrag::search {

namespace {

// bm25's k1 + 1 (rankfunction.cpp): the limit of a phrase's share idf × f(k1+1)/(f + k1(1-b+b·D/avgdl))
// as its frequency f grows, never reached (the denominator exceeds f by at least k1(1-b) > 0).
constexpr double kMaxPerIdf = 1.2 + 1.0;

} // namespace

std::optional<EssentialPlan> essentialPlan(const SqlPlan &plan, const std::vector<double> &idf,
    const std::vector<qint64> &anyCounts, double maxBound, qint64 minRowsLeftOut, qint64 minKept)
{
    const qsizetype n = plan.anyTerms.size();
    if (n < 2 || qsizetype(anyCounts.size()) != n || maxBound <= 0)
        return std::nullopt;
    QStringList headPhrases;
    for (const QString &part : plan.matchHead)
        headPhrases << phrasesOf(part);
    const qsizetype head = headPhrases.size();
    const qsizetype excluded = plan.negatives.isEmpty() ? 0 : phrasesOf(plan.negatives).size();
    if (qsizetype(idf.size()) != head + n + excluded)
        return std::nullopt; // not the phrase layout buildPlan writes: leave the plan as it is

    // The commonest words are left out first: they save the most rows and bound the least.
    std::vector<qsizetype> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
        [&](qsizetype a, qsizetype b) { return anyCounts[size_t(a)] > anyCounts[size_t(b)]; });

    // The bound of a row holding none of the essential words: every phrase it may hold at its
    // limit — the head's phrases (except copies of essential words) and the words left out.
    // Excluded phrases have no instance in a matching row.
    auto boundFor = [&](qsizetype leftOut) {
        QSet<QString> essential;
        for (qsizetype k = leftOut; k < n; ++k)
            essential.insert(plan.anyTerms[order[size_t(k)]]);
        double sum = 0;
        for (qsizetype j = 0; j < head; ++j)
            if (!essential.contains(headPhrases[j]))
                sum += idf[size_t(j)];
        for (qsizetype k = 0; k < leftOut; ++k)
            sum += idf[size_t(head + order[size_t(k)])];
        return kMaxPerIdf * sum;
    };
    qsizetype leftOut = 0;
    while (leftOut + 1 < n && boundFor(leftOut + 1) <= maxBound)
        ++leftOut;
    if (leftOut == 0)
        return std::nullopt;
    EssentialPlan out;
    for (qsizetype k = 0; k < leftOut; ++k)
        out.rowsLeftOut += anyCounts[size_t(order[size_t(k)])];
    if (out.rowsLeftOut < minRowsLeftOut)
        return std::nullopt;
    out.bound = boundFor(leftOut);
    // Fewer emails hold the essential words than the first stage keeps: it cannot be proven.
    qint64 essentialRows = 0;
    for (qsizetype k = leftOut; k < n; ++k)
        essentialRows += anyCounts[size_t(order[size_t(k)])];
    if (essentialRows < minKept)
        return std::nullopt;
    // A failed proof costs the walk of the essential rows on top of the plan's: only where that
    // walk is at most a third of the plan's (at 1M about a third of the attempts fail, mostly
    // where few rows hold the rarer words and their K-th best scores low).
    if (essentialRows * 2 > out.rowsLeftOut)
        return std::nullopt;

    // Required: the essential words in the plan's own order (so their phrases are numbered
    // predictably: right after the head's).
    QStringList required;
    QSet<qsizetype> isLeftOut;
    for (qsizetype k = 0; k < leftOut; ++k)
        isLeftOut.insert(order[size_t(k)]);
    for (qsizetype i = 0; i < n; ++i)
        if (!isLeftOut.contains(i))
            required << plan.anyTerms[i];
    // A head group made only of essential words (a narrowed plan's rarer words) already
    // requires what the rewrite would: nothing to save.
    const QSet<QString> requiredSet(required.cbegin(), required.cend());
    for (const QString &part : plan.matchHead) {
        const QStringList phrases = phrasesOf(part);
        if (std::all_of(phrases.cbegin(), phrases.cend(), [&](const QString &p) { return requiredSet.contains(p); }))
            return std::nullopt;
    }
    out.match = matchRequiring(plan, required);
    out.idf.assign(idf.begin(), idf.begin() + head);
    out.idf.insert(out.idf.end(), size_t(required.size()), 0.0);
    out.idf.insert(out.idf.end(), idf.begin() + head, idf.end());
    return out;
}

} // namespace emailrag::search
