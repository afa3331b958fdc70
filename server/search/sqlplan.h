#pragma once

#include "queryparser.h"

#include <QHash>
#include <QSet>
#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

#include <optional>

// Turns a ParsedQuery into SQL with bound values. Everything the user typed reaches SQLite only
// as a bound value; text for the full-text index is always written as FTS5 string literals
// ("..." with quotes doubled), so no FTS operator, column filter or SQL can be injected.
// Internal to the search library; pure functions, any thread.
namespace emailrag::search {

// FTS5 bm25 weights for the columns subject, sender, recipients, body, quoted, attachments.
struct ColumnWeights
{
    double subject = 6.0;
    double sender = 4.0;
    double recipients = 1.5;
    double body = 1.0;
    double quoted = 0.15;
    double attachments = 0.6;
};

enum class Matching {
    AllTerms,   // every clause must match (keyword queries)
    AnyTerm,    // field clauses must match, plain words are OR'ed and ranked (requests, fallback)
    AnyTermLoose // like AnyTerm, and words from "from X"/"to X" of a request become plain words too
};

struct SqlPlan
{
    // Ranking query: columns id, thread_id, bm25 (NULL without FTS), prior. With a MATCH its ?1
    // is the rank function's context pointer and `values` bind from ?2 (rankRows runs it).
    QString sql;
    QVariantList values;
    QString match;          // the FTS5 expression (empty when the full-text index is not used)
    int positiveAtoms = 0;  // text atoms in `match`, for score normalisation
    bool narrowed = false;  // `match` requires a rare word (commonWords were given and applied)
    // Two-stage form of `sql` (only with a MATCH, a limit and no filter but the user): FTS5 ranks by bm25 alone and keeps
    // its best `topK` rows, and only those are joined to `emails` for the filters and the prior.
    // Two more columns: how many rows the first stage kept, and the worst bm25 among them.
    // rankRows() decides whether its answer is exact and otherwise runs `sql`.
    // The first stage's emailrag_bm25 takes a pointer parameter (?1, rankfunction.h) before
    // `topValues`: NULL, or the ids that `allowedSql` (with `allowedValues`) reads when the plan has
    // filters an index answers (dates, thread:, upload:, ids). More than kMaxAllowed ids: no first
    // stage, the one-stage `sql` runs.
    QString topSql;
    QVariantList topValues;
    int topK = 0;
    QString allowedSql;
    QVariantList allowedValues;
    static constexpr int kMaxAllowed = 250000;
    // Query expansion (expansion.h): the IDF of these phrases (as phrasesOf() writes them) is
    // multiplied by the weight, so an expansion term counts less than a word the user typed.
    // Applied when the rank function is given the IDFs (rankRows), i.e. with in-memory lengths.
    QHash<QString, double> phraseWeights;
    // The parts of `match` (set only when it ends with an any-term group of plain words): the
    // expressions ANDed before the group, the group's alternatives (one phrase each) and the
    // excluded expression. essentialterms.h ranks a rewritten match from them.
    QStringList matchParts; // the expressions ANDed in `match` (before any exclusion)
    QStringList matchHead;
    QStringList anyTerms;
    QString negatives;
    // The essential-terms first stage (essentialterms.h): the largest bound of the words it may
    // leave out (0: never) and the fewest emails they must hold for the attempt to pay (a failed
    // one costs its own walk). EMAILRAG_ESSENTIAL_BOUND overrides the bound (0 = off; benchmarks).
    double essentialMaxBound = 10.0;
    qint64 essentialMinRowsLeftOut = 4000;
};

// What rankRows did (tests, debug logging).
struct RankStats
{
    bool essentialTried = false; // the first stage ran on the essential words' rows
    bool essentialTaken = false; // ... and its answer was proven and kept
    qint64 scored = 0;           // rows scored exactly, every statement
    qint64 pruned = 0;           // rows bounded out without their length
};

// One row of a ranking query; bm25 is unset for filter-only plans.
struct RankRow
{
    qint64 id = 0;
    QString thread;
    std::optional<double> bm25;
    double prior = 1.0;
};

// Runs a plan, the two-stage form first when there is one. Its answer is kept when the first stage
// held every match (fewer than topK: exact), or when it gave `wanted` rows of the user: then the
// list is ordered by bm25 × prior among the topK best by bm25 (an email beyond them could only
// have moved up through the gentle recency prior). Otherwise (another user's mail took the top
// rows) the full query runs. nullopt on a database error.
// `fillUp`: the rows only fill up a short list after the exact matches (relaxed passes), so the
// two-stage answer is kept as it is (the best `topK` by bm25, ordered with the prior).
std::optional<QList<RankRow>> rankRows(const QSqlDatabase &db, const SqlPlan &plan, int wanted, bool fillUp = false,
                                       RankStats *stats = nullptr);

// The phrases of an FTS5 expression that buildPlan wrote, in FTS5's order (the order they appear):
// each a self-contained expression ("column : "-filter, literal, prefix star) that matches what
// that phrase alone matches. Only for expressions made of ftsLiteral()s as buildPlan writes them.
QStringList phrasesOf(const QString &match);

// Runs the plan's one-stage `sql` (every match, exactly ranked) — for callers that want the whole
// list rather than the best rows: feedback, live-search matching, hybrid filters.
std::optional<QList<RankRow>> runPlan(const QSqlDatabase &db, const SqlPlan &plan);

// The plan's match (it must have anyTerms) with one more group ANDed right before its any-term
// group: any of `required`. With `required` empty, exactly `plan.match`.
QString matchRequiring(const SqlPlan &plan, const QStringList &required);

QString ftsLiteral(const QString &text);
QString atomExpression(const Atom &atom, bool withColumn = true);

// `newestDate` anchors the recency prior; `limit` <= 0 means no LIMIT; `onlyIds` restricts to
// these email ids (live-search matching). `commonWords` (lower-cased atom texts, AnyTerm modes only):
// words found in a large share of the emails. When the OR'ed words hold both common and rarer ones,
// the match becomes "(rarer words) AND (all words)": every candidate holds a rarer word, so FTS5
// scores thousands of rows instead of most of the index, and the common words still count in bm25
// (the rarer ones count twice). A candidate holding only common words is left out; the searcher
// runs the plan again without `commonWords` when that leaves the list short.
// `negligibleWords` (single words in at least half of the emails, whose IDF bm25 floors at 1e-6):
// left out of an any-term match that has other words, as they change no score.
SqlPlan buildPlan(const ParsedQuery &q, qint64 userId, Matching matching, qint64 newestDate, int limit,
                  const ColumnWeights &weights = {}, const QList<qint64> &onlyIds = {},
                  const QSet<QString> &commonWords = {}, const QSet<QString> &negligibleWords = {});

} // namespace emailrag::search
