#include "searcher.h"

#include "database.h"
#include "queryparser.h"

#include "cjkquery.h"
#include "doclengths.h"
#include "feedback.h"
#include "phraseidf.h"
#include "sqlplan.h"
#include "hitreader.h"
#include "hybrid.h"
#include "expansion.h"
#include "semanticindex.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <QRegularExpression>
#include <QSet>
#include <QSqlQuery>

#include <algorithm>
#include <limits>

namespace emailrag::search {

using storage::Database;

namespace {

constexpr double kScoreHalf = 10.0; // the per-term bm25 at which relevance is 0.5 (docs/search.md)
constexpr int kFeedbackDocs = 5;     // top lexical hits read for expansion terms
constexpr int kFeedbackTerms = 8;    // expansion terms added
constexpr double kRrfK = 60.0;
constexpr double kLexicalWeight = 1.0;
constexpr double kFeedbackWeight = 0.5;
constexpr double kCommonShare = 0.05;  // a word in more than this share of emails is "common"
constexpr qint64 kCommonMinEmails = 2000; // smaller stores are fast anyway: no narrowing

// Document counts per token, shared by the search threads: fts5vocab counts a token by reading its
// whole doclist (about 9 ms for a word in 200,000 of 1M emails), and the narrowing only needs
// them roughly, so a count is reused until the index has grown or shrunk by a tenth.
qint64 documentCount(QSqlQuery &doc, const QString &store, const QString &token, qint64 emails)
{
    static QMutex mutex;
    static QHash<QString, std::pair<qint64, qint64>> cache; // store + token -> (count, emails then)
    const QString key = store + QLatin1Char('\n') + token;
    {
        QMutexLocker lock(&mutex);
        const auto it = cache.constFind(key);
        if (it != cache.cend() && qAbs(it->second - emails) * 10 <= emails)
            return it->first;
    }
    doc.bindValue(0, token);
    qint64 n = 0;
    if (Database::exec(doc) && doc.next())
        n = doc.value(0).toLongLong();
    doc.finish();
    QMutexLocker lock(&mutex);
    if (cache.size() > 100000)
        cache.clear();
    cache.insert(key, {n, emails});
    return n;
}

// Plain words of the query found in more than kCommonShare of the indexed emails, read from the
// fts5vocab table (migration 030; cached, see documentCount). A phrase (and a CJK word: the phrase
// of its characters, cjkquery.h) counts by its rarest token;
// prefix words never count as common. Document counts are over all users of the store.
// `negligible` gets the words in at least half of the emails: their bm25 IDF is floored at 1e-6,
// so they add nothing to any score and only cost the index walk (a chat question's "Rd" in half
// of 1M emails).
QSet<QString> commonWords(const QSqlDatabase &db, const ParsedQuery &pq, QSet<QString> *negligible, qint64 budget)
{
    QSet<QString> out;
    QSqlQuery total(db);
    if (!Database::exec(total, QStringLiteral("SELECT MAX(rowid) FROM emails_fts"), {}) || !total.next())
        return out;
    const qint64 emails = total.value(0).toLongLong();
    if (emails < kCommonMinEmails)
        return out;
    const qint64 bound = qint64(emails * kCommonShare);
    QSqlQuery doc(db);
    if (!doc.prepare(QStringLiteral("SELECT doc FROM emails_fts_vocab WHERE term = ?")))
        return out;
    static const QRegularExpression separators(QStringLiteral("[^\\p{L}\\p{N}]+"));
    static const QRegularExpression asciiWord(QStringLiteral("^[A-Za-z0-9]+$"));
    // One ASCII word is one token: counted through the ranking's phrase counts (exact, kept while
    // the index is unchanged), which the ranking then reuses for its IDF.
    const std::shared_ptr<const DocLengthSnapshot> index = currentDocLengths(db);
    QList<std::pair<qint64, QString>> counted; // (emails holding it, word): plain words under the bound
    QHash<QString, qint64> exactCounts; // ASCII word -> emails, counted together (both cores)
    if (index) {
        QStringList words;
        for (const Clause &c : pq.must)
            for (const Atom &a : c.anyOf)
                if ((a.field == Field::Any || a.fromRequest) && !a.prefix && asciiWord.match(a.text).hasMatch())
                    words << ftsLiteral(a.text);
        words.removeDuplicates();
        if (const auto counts = phraseCounts(db, words, *index))
            for (int i = 0; i < words.size(); ++i)
                exactCounts.insert(words[i], (*counts)[size_t(i)]);
    }
    for (const Clause &c : pq.must) {
        for (const Atom &a : c.anyOf) {
            // A request's "from X" is a plain word too in the loose reading (AnyTermLoose).
            if ((a.field != Field::Any && !a.fromRequest) || a.prefix)
                continue;
            const QString text = a.text.toLower();
            const QStringList tokens = indexedText(text).split(separators, Qt::SkipEmptyParts);
            qint64 rarest = tokens.isEmpty() ? 0 : std::numeric_limits<qint64>::max();
            const auto exact = exactCounts.constFind(ftsLiteral(a.text));
            if (exact != exactCounts.cend())
                rarest = *exact;
            else
                for (const QString &t : tokens)
                    rarest = qMin(rarest, documentCount(doc, db.databaseName(), t, emails));
            if (rarest > bound)
                out.insert(text);
            else if (a.field == Field::Any)
                counted.append({rarest, text});
            if (tokens.size() == 1 && rarest * 2 >= emails)
                negligible->insert(text);
        }
    }
    if (budget > 0) { // SearchRequest::candidateBudget
        std::sort(counted.begin(), counted.end());
        qint64 sum = 0;
        for (qsizetype i = 0; i < counted.size(); ++i) {
            sum += counted[i].first;
            if (i > 0 && sum > budget)
                out.insert(counted[i].second);
        }
    }
    return out;
}

SearchError dbError()
{
    SearchError e;
    e.code = SearchError::Code::Database;
    e.message = QStringLiteral("The search could not read the database");
    return e;
}

} // namespace

double scoreFromBm25(double weightedBm25, int positiveAtoms)
{
    const double x = -weightedBm25 / qMax(1, positiveAtoms);
    if (x <= 0)
        return 0.0;
    return x / (x + kScoreHalf);
}

Searcher::Searcher(QSqlDatabase db)
    : m_db(std::move(db))
{
}

qint64 Searcher::newestDate(qint64 userId)
{
    QSqlQuery q(m_db);
    if (!Database::exec(q, QStringLiteral("SELECT MAX(date_utc) FROM emails WHERE user_id = ?"), {userId}))
        return 0;
    return q.next() ? q.value(0).toLongLong() : 0;
}

std::variant<SearchSummary, SearchError> Searcher::run(qint64 userId, const SearchRequest &request,
                                                       const HitSink &onHit, const std::atomic_bool *cancel)
{
    QElapsedTimer timer;
    timer.start();
    auto cancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
    auto cancelError = [] {
        SearchError e;
        e.code = SearchError::Code::Cancelled;
        e.message = QStringLiteral("Search cancelled");
        return e;
    };

    const QueryParser parser(request.now);
    auto parsed = parser.parse(request.query);
    if (auto *e = std::get_if<SearchError>(&parsed))
        return *e;
    const ParsedQuery &pq = std::get<ParsedQuery>(parsed);

    const int limit = request.effectiveLimit();
    const qint64 newest = newestDate(userId);
    QSet<QString> negligible;
    const QSet<QString> common = commonWords(m_db, pq, &negligible, request.candidateBudget);

    // Stages: the first is the query as read; later ones loosen it only to fill up a short list.
    QList<Matching> stages;
    bool anyFromRequest = false;
    int plainClauses = 0;
    for (const Clause &c : pq.must) {
        for (const Atom &a : c.anyOf)
            anyFromRequest = anyFromRequest || a.fromRequest;
        plainClauses += c.anyOf.constFirst().field == Field::Any ? 1 : 0;
    }
    if (pq.naturalLanguage) {
        stages << Matching::AnyTerm;
        if (anyFromRequest)
            stages << Matching::AnyTermLoose;
    } else {
        stages << Matching::AllTerms;
        if (plainClauses >= 2)
            stages << Matching::AnyTerm;
    }

    // 1. Lexical ranking: ids only, no text read yet.
    SearchSummary summary;
    QList<Ranked> lexical;
    QSet<qint64> seenIds;
    QSet<QString> seenThreads;
    double lastScore = 1.0;

    // Emitting: in rank order, each hit as soon as its text is read (hitreader.h; made with the
    // first hit).
    std::optional<HitReader> reader;
    auto emitHit = [&](const Ranked &r) -> bool {
        SearchHit hit;
        hit.rowId = r.id;
        hit.emailId = emailIdFor(r.id);
        hit.threadId = r.thread;
        hit.score = r.score;
        if (!reader)
            reader.emplace(m_db, userId, pq);
        if (!reader->read(r.id, hit))
            return false;

        hit.rank = ++summary.totalResults;
        if (summary.firstResultMs < 0)
            summary.firstResultMs = timer.elapsed();
        if (onHit)
            onHit(hit);
        return true;
    };

    // Lexical hits are final as soon as they are ranked (later passes only append) unless
    // feedback or the semantic side may reorder the list: then they are streamed at once, so
    // the first hit does not wait for the passes that fill up a short list.
    // With the default hybrid weights (0) the semantic side never reorders lexical hits, it only
    // appends semantic-only ones (hybrid.cpp), so lexical hits still stream.
    const bool semanticWeighted = m_hybrid.semanticKeyword > 0 || m_hybrid.semanticNatural > 0 || m_hybrid.scoreBlend > 0;
    const bool semanticMayReorder = semanticWeighted && m_semantic && request.ranking != SearchRequest::Ranking::Lexical
        && pq.hasTextAtoms() && m_semantic->hasModel(m_db, userId);
    const bool streamLexical = !request.feedback && !semanticMayReorder && request.ranking != SearchRequest::Ranking::Semantic;
    // Query expansion from the user's word vectors (expansion.h): requests with a weak lexical list.
    // (The user's model is looked up only once a list is weak.)
    std::optional<bool> expandable;
    auto mayExpand = [&] {
        if (!expandable)
            expandable = m_semantic && request.ranking == SearchRequest::Ranking::Hybrid && pq.naturalLanguage
                && expansionEnabled(m_hybrid) && m_semantic->usesBuiltin() && m_semantic->hasModel(m_db, userId);
        return *expandable;
    };
    int emitted = 0;
    for (int s = 0; s < stages.size(); ++s) {
        if (lexical.size() >= limit)
            break;
        if (s > 0 && pq.naturalLanguage && !lexical.isEmpty())
            break; // the loose reading of a request only runs when the request found nothing
        const int planLimit = request.oneHitPerThread ? -1 : limit + int(seenIds.size());
        const QList<qint64> onlyIds = request.onlyIds.mid(0, 5000);
        const SqlPlan plan = buildPlan(pq, userId, stages[s], newest, planLimit, m_weights, onlyIds, common, negligible);
        if (s > 0) {
            const SqlPlan previous = buildPlan(pq, userId, stages[s - 1], newest, 1, m_weights, {}, common, negligible);
            if (previous.match == plan.match)
                continue; // loosening changed nothing
        }
        // A narrowed plan (only emails holding a rarer word) runs first; the full one fills up.
        for (int pass = 0; pass < (plan.narrowed ? 2 : 1); ++pass) {
            if (lexical.size() >= limit)
                break;
            const SqlPlan p = pass == 0 ? plan
                                        : buildPlan(pq, userId, stages[s], newest,
                                                    request.oneHitPerThread ? -1 : limit + int(seenIds.size()),
                                                    m_weights, onlyIds);
            const auto rows = rankRows(m_db, p, request.oneHitPerThread ? -1 : limit + int(seenIds.size()), s > 0 || pass > 0);
            if (!rows)
                return dbError();
            for (const RankRow &row : *rows) {
                if (lexical.size() >= limit)
                    break;
                if (cancelled())
                    return cancelError();
                Ranked r;
                r.id = row.id;
                r.thread = row.thread;
                if (seenIds.contains(r.id) || (request.oneHitPerThread && seenThreads.contains(r.thread)))
                    continue;
                seenIds.insert(r.id);
                seenThreads.insert(r.thread);
                const double prior = row.prior;
                r.score = !row.bm25 ? 0.5 * prior : scoreFromBm25(*row.bm25 * prior, p.positiveAtoms);
                r.score = qMin(r.score, lastScore);
                lastScore = r.score;
                summary.relaxed = summary.relaxed || s > 0;
                lexical << r;
            }
            // A weak list of a request may still be reordered by query expansion: held back.
            const bool hold = expansionMayReorder(lexical, pq.naturalLanguage, m_hybrid) && mayExpand();
            for (; streamLexical && !hold && emitted < lexical.size(); ++emitted) {
                if (cancelled())
                    return cancelError();
                if (!emitHit(lexical.at(emitted)))
                    return dbError();
            }
        }
    }

    // 1b. Query expansion (expansion.h): only when the lexical list is weak; nothing was streamed then.
    if (emitted == 0 && expansionMayReorder(lexical, pq.naturalLanguage, m_hybrid) && mayExpand()) {
        const ExpansionInput in{userId, newest, limit, request.oneHitPerThread, request.onlyIds, m_weights, common, negligible};
        const auto expanded = expandLexical(m_db, *m_semantic, pq, in, lexical, m_hybrid);
        if (!expanded)
            return dbError();
        lexical = *expanded;
    }

    // 2. Optional pseudo-relevance feedback, fused with the lexical list by weighted RRF.
    QList<Ranked> ranked = lexical;
    if (request.feedback && pq.hasTextAtoms() && lexical.size() >= 3) {
        auto fused = feedbackRerank(pq, userId, newest, request, lexical);
        if (!fused)
            return dbError();
        ranked = *fused;
    }
    // 2b. Semantic side, fused with the lexical list (hybrid.cpp; docs/search.md).
    // Skipped when it cannot change the list: weights 0 and no free place for semantic-only hits.
    const bool semanticCanHelp = request.ranking == SearchRequest::Ranking::Semantic
        || (pq.naturalLanguage ? m_hybrid.semanticNatural > 0 || ranked.size() < limit
                               : m_hybrid.semanticKeyword > 0 || m_hybrid.scoreBlend > 0);
    if (m_semantic && semanticCanHelp && request.ranking != SearchRequest::Ranking::Lexical && pq.hasTextAtoms()) {
        const SemanticList semantic = semanticCandidates(m_db, *m_semantic, pq, userId, request, newest, m_weights, m_hybrid);
        ranked = request.ranking == SearchRequest::Ranking::Semantic
            ? semanticOnly(semantic, limit, request.oneHitPerThread)
            : fuse(ranked, semantic, limit, pq.naturalLanguage, request.oneHitPerThread, m_hybrid);
    }
    if (cancelled())
        return cancelError();
    for (const Ranked &r : streamLexical ? ranked.mid(emitted) : ranked) { // ranked starts with the streamed hits
        if (cancelled())
            return cancelError();
        if (!emitHit(r))
            return dbError();
    }

    summary.processingTimeMs = timer.elapsed();
    return summary;
}

std::optional<QList<Ranked>> Searcher::feedbackRerank(const ParsedQuery &pq, qint64 userId, qint64 newest,
                                                      const SearchRequest &request, const QList<Ranked> &lexical)
{
    QSet<QString> queryWords;
    for (const Clause &c : pq.must) {
        for (const Atom &a : c.anyOf) {
            const QString text = indexedText(a.text.toLower()); // CJK: the characters (cjkquery.h)
            for (const QString &w : text.split(QRegularExpression(QStringLiteral("\\W+")), Qt::SkipEmptyParts))
                queryWords.insert(w);
        }
    }
    QList<qint64> top;
    for (int i = 0; i < qMin(kFeedbackDocs, int(lexical.size())); ++i)
        top << lexical[i].id;
    const QStringList terms = expansionTerms(m_db, userId, top, queryWords, kFeedbackTerms);
    if (terms.isEmpty())
        return lexical;

    ParsedQuery expanded = pq;
    expanded.naturalLanguage = true;
    for (const QString &t : terms)
        expanded.must << Clause{{Atom{Field::Any, t, false, false, false}}};
    const int limit = request.effectiveLimit();
    const SqlPlan plan = buildPlan(expanded, userId, Matching::AnyTerm, newest, limit * 2, m_weights,
                                   request.onlyIds.mid(0, 5000));
    const auto ranked = runPlan(m_db, plan);
    if (!ranked)
        return std::nullopt;
    QHash<qint64, int> feedbackRank;
    QHash<qint64, Ranked> feedbackRow;
    int rank = 0;
    for (const RankRow &row : *ranked) {
        Ranked r;
        r.id = row.id;
        r.thread = row.thread;
        if (feedbackRank.contains(r.id))
            continue;
        feedbackRank.insert(r.id, ++rank);
        feedbackRow.insert(r.id, r);
    }
    // Weighted reciprocal rank fusion: the lexical list keeps the larger weight, so feedback
    // only reorders emails that both lists find or adds ones the words alone missed.
    QHash<qint64, double> fused;
    QHash<qint64, Ranked> rows;
    for (int i = 0; i < lexical.size(); ++i) {
        fused[lexical[i].id] += kLexicalWeight / (kRrfK + i + 1);
        rows.insert(lexical[i].id, lexical[i]);
    }
    QSet<QString> threads;
    for (const Ranked &r : lexical)
        threads.insert(r.thread);
    for (auto it = feedbackRank.cbegin(); it != feedbackRank.cend(); ++it) {
        if (!rows.contains(it.key())) {
            if (request.oneHitPerThread && threads.contains(feedbackRow[it.key()].thread))
                continue;
            rows.insert(it.key(), feedbackRow[it.key()]);
        }
        fused[it.key()] += kFeedbackWeight / (kRrfK + it.value());
    }
    QList<qint64> order = fused.keys();
    std::sort(order.begin(), order.end(), [&](qint64 a, qint64 b) {
        return fused[a] != fused[b] ? fused[a] > fused[b] : a > b;
    });
    QList<Ranked> out;
    QSet<QString> outThreads;
    double last = 1.0;
    const double lowest = lexical.isEmpty() ? 0.1 : lexical.constLast().score;
    for (qint64 id : std::as_const(order)) {
        if (out.size() >= limit)
            break;
        Ranked r = rows[id];
        if (request.oneHitPerThread && outThreads.contains(r.thread))
            continue;
        outThreads.insert(r.thread);
        // Emails found only through feedback have no lexical score: they get the lowest lexical one.
        const double own = r.score > 0 ? r.score : lowest;
        r.score = qMin(own, last);
        last = r.score;
        out << r;
    }
    return out;
}

QList<qint64> Searcher::matching(qint64 userId, const QString &query, const QList<qint64> &ids, const QDateTime &now)
{
    QList<qint64> out;
    if (ids.isEmpty())
        return out;
    const QueryParser parser(now);
    auto parsed = parser.parse(query);
    if (std::holds_alternative<SearchError>(parsed))
        return out;
    const ParsedQuery &pq = std::get<ParsedQuery>(parsed);
    const Matching m = pq.naturalLanguage ? Matching::AnyTerm : Matching::AllTerms;
    // Chunks keep the IN list well under SQLite's bound-parameter limit.
    for (qsizetype i = 0; i < ids.size(); i += 500) {
        const SqlPlan plan = buildPlan(pq, userId, m, 0, -1, m_weights, ids.mid(i, 500));
        const auto rows = runPlan(m_db, plan);
        if (!rows)
            return {};
        for (const RankRow &r : *rows)
            out << r.id;
    }
    return out;
}

} // namespace emailrag::search
