#include "hybrid.h"

#include "database.h"
#include "semanticindex.h"

#include <QSet>
#include <QSqlQuery>

#include <algorithm>

namespace emailrag::search {

using storage::Database;

namespace {
constexpr int kExactMax = 5000;   // filtered sets up to this size are ranked exactly
constexpr int kOverFetch = 2000;  // approximate hits read when the filters are broad

bool hasFilters(const ParsedQuery &f)
{
    return !f.isEmpty();
}

// Ids (of `userId`) that pass the filters, in no particular order; nullopt when more than `cap`.
std::optional<QList<qint64>> filteredIds(QSqlDatabase &db, const ParsedQuery &filters, qint64 userId, qint64 newest,
                                         const ColumnWeights &weights, const QList<qint64> &onlyIds, int cap)
{
    const SqlPlan plan = buildPlan(filters, userId, Matching::AllTerms, newest, cap + 1, weights, onlyIds);
    const auto rows = runPlan(db, plan);
    if (!rows)
        return QList<qint64>();
    QList<qint64> ids;
    for (const RankRow &r : *rows) {
        ids << r.id;
        if (ids.size() > cap)
            return std::nullopt;
    }
    return ids;
}

QHash<qint64, QString> threadsOf(QSqlDatabase &db, qint64 userId, const QList<qint64> &ids)
{
    QHash<qint64, QString> out;
    for (qsizetype i = 0; i < ids.size(); i += 500) {
        QStringList marks;
        QVariantList values{userId};
        for (qint64 id : ids.mid(i, 500)) {
            marks << QStringLiteral("?");
            values << id;
        }
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!Database::exec(q,
                            QStringLiteral("SELECT id, thread_id FROM emails WHERE +user_id = ? AND id IN (%1)")
                                .arg(marks.join(QLatin1Char(','))),
                            values))
            return out;
        while (q.next())
            out.insert(q.value(0).toLongLong(), q.value(1).toString());
    }
    return out;
}

} // namespace

bool lexicalIsWeak(const QList<Ranked> &lexical)
{
    return lexical.isEmpty() || lexical.constFirst().score < kWeakLexicalScore;
}

bool semanticMayReorder(const QList<Ranked> &lexical, bool naturalLanguage, const HybridWeights &hw)
{
    const bool weighted = naturalLanguage ? hw.semanticNatural > 0 : hw.semanticKeyword > 0 || hw.scoreBlend > 0;
    return weighted && lexicalIsWeak(lexical);
}

QString semanticQueryText(const ParsedQuery &pq)
{
    QStringList words;
    for (const Clause &c : pq.must) {
        for (const Atom &a : c.anyOf) {
            if ((a.field == Field::Any || a.field == Field::Subject) && !a.fromRequest)
                words << a.text;
        }
    }
    return words.join(QLatin1Char(' '));
}

ParsedQuery filtersOnly(const ParsedQuery &pq)
{
    ParsedQuery f = pq;
    f.must.clear();
    f.naturalLanguage = false;
    for (const Clause &c : pq.must) {
        bool plain = false;
        for (const Atom &a : c.anyOf)
            plain = plain || a.field == Field::Any;
        if (!plain)
            f.must << c;
    }
    return f;
}

SemanticList semanticCandidates(QSqlDatabase &db, embed::SemanticIndex &index, const ParsedQuery &pq, qint64 userId,
                                const SearchRequest &request, qint64 newest, const ColumnWeights &weights,
                                const HybridWeights &hw)
{
    SemanticList out;
    const QString text = semanticQueryText(pq);
    if (text.isEmpty())
        return out;
    const std::optional<embed::Vector> qv = index.embedQuery(db, userId, text);
    if (!qv)
        return out;
    const int depth = qMax(hw.depth, request.effectiveLimit());
    const ParsedQuery filters = filtersOnly(pq);
    const QList<qint64> onlyIds = request.onlyIds.mid(0, kExactMax);
    QList<embed::Neighbour> neighbours;
    if (hasFilters(filters) || !onlyIds.isEmpty()) {
        std::optional<QList<qint64>> ids = hasFilters(filters)
            ? filteredIds(db, filters, userId, newest, weights, onlyIds, kExactMax)
            : std::optional<QList<qint64>>(onlyIds);
        if (ids) {
            neighbours = index.rank(db, userId, *qv, *ids);
        } else {
            // Broad filters: over-fetch from the approximate index, keep the hits that pass.
            const QList<embed::Neighbour> wide = index.nearest(db, userId, *qv, kOverFetch);
            QList<qint64> wideIds;
            for (const auto &n : wide)
                wideIds << n.emailId;
            const auto pass = filteredIds(db, filters, userId, newest, weights, wideIds, kOverFetch);
            const QList<qint64> passIds = pass.value_or(QList<qint64>());
            const QSet<qint64> allowed(passIds.cbegin(), passIds.cend());
            for (const auto &n : wide) {
                if (allowed.contains(n.emailId))
                    neighbours << n;
            }
        }
    } else {
        neighbours = index.nearest(db, userId, *qv, depth);
    }
    out.available = index.provider(db, userId) != nullptr;
    neighbours = neighbours.mid(0, depth);
    QList<qint64> ids;
    for (const auto &n : neighbours)
        ids << n.emailId;
    const QHash<qint64, QString> threads = threadsOf(db, userId, ids);
    for (const auto &n : std::as_const(neighbours)) {
        if (!threads.contains(n.emailId))
            continue; // not this user's (cannot happen: indexes are per user) or deleted since
        Ranked r;
        r.id = n.emailId;
        r.thread = threads.value(n.emailId);
        r.score = n.similarity;
        out.hits << r;
    }
    return out;
}

QList<Ranked> fuse(const QList<Ranked> &lexical, const SemanticList &semantic, int limit, bool naturalLanguage,
                   bool oneHitPerThread, const HybridWeights &hw)
{
    if (!semantic.available || semantic.hits.isEmpty())
        return lexical;
    // A zero weight still orders semantic-only hits among themselves by semantic rank, below
    // every lexical hit (lexical RRF terms differ by more than 1e-5 down to rank 500).
    // The gate: a strong lexical list is never reordered (its order is kept whatever the weights).
    const bool gateOpen = lexicalIsWeak(lexical);
    const double ws = gateOpen ? qMax(1e-9, naturalLanguage ? hw.semanticNatural : hw.semanticKeyword) : 1e-9;
    if (hw.scoreBlend > 0 && gateOpen) {
        QHash<qint64, double> similarity;
        for (const Ranked &s : semantic.hits)
            similarity.insert(s.id, s.score);
        QList<std::pair<double, Ranked>> keyed;
        QSet<QString> threads;
        for (const Ranked &r : lexical) {
            keyed.append({r.score + hw.scoreBlend * qMax(0.0, similarity.value(r.id, 0.0)), r});
            threads.insert(r.thread);
        }
        std::stable_sort(keyed.begin(), keyed.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
        QList<Ranked> out;
        QList<double> scores;
        for (const auto &k : keyed) {
            out << k.second;
            scores << k.second.score;
        }
        QSet<qint64> have;
        for (const Ranked &r : lexical)
            have.insert(r.id);
        for (const Ranked &s : semantic.hits) {
            if (out.size() >= limit || !naturalLanguage)
                break;
            if (have.contains(s.id) || s.score < hw.minSimilarity || (oneHitPerThread && threads.contains(s.thread)))
                continue;
            threads.insert(s.thread);
            Ranked r = s;
            out << r;
            scores << qMin(0.5 * qMax(0.0, s.score), lexical.isEmpty() ? 1.0 : lexical.constLast().score);
        }
        std::sort(scores.begin(), scores.end(), std::greater<double>());
        for (int i = 0; i < out.size(); ++i)
            out[i].score = scores[i];
        return out;
    }
    QHash<qint64, double> fused;
    QHash<qint64, Ranked> rows;
    QSet<QString> threads;
    for (int i = 0; i < lexical.size(); ++i) {
        fused[lexical[i].id] += hw.lexical / (hw.kLexical + i + 1);
        rows.insert(lexical[i].id, lexical[i]);
        threads.insert(lexical[i].thread);
    }
    QList<qint64> semanticOnlyIds;
    for (int i = 0; i < semantic.hits.size(); ++i) {
        const Ranked &s = semantic.hits[i];
        if (rows.contains(s.id)) {
            fused[s.id] += ws / (hw.kSemantic + i + 1);
            continue;
        }
        // Keyword queries need every item (docs/search.md): there the semantic side only reorders.
        if (!naturalLanguage || s.score < hw.minSimilarity || (oneHitPerThread && threads.contains(s.thread)))
            continue;
        semanticOnlyIds << s.id;
        Ranked r = s;
        // At most the lowest lexical score: with the default weights the lexical hits then keep
        // exactly their own scores (they may already have been streamed).
        r.score = qMin(0.5 * qMax(0.0, s.score), lexical.isEmpty() ? 1.0 : lexical.constLast().score);
        rows.insert(s.id, r);
        threads.insert(s.thread);
        fused[s.id] += ws / (hw.kSemantic + i + 1);
    }
    // Semantic-only hits only take free places: every lexical hit stays.
    const int free = qMax(0, limit - int(lexical.size()));
    for (int i = free; i < semanticOnlyIds.size(); ++i) {
        fused.remove(semanticOnlyIds[i]);
        rows.remove(semanticOnlyIds[i]);
    }
    QList<qint64> order = fused.keys();
    std::sort(order.begin(), order.end(), [&](qint64 a, qint64 b) {
        const double fa = fused.value(a), fb = fused.value(b);
        return fa != fb ? fa > fb : a > b;
    });
    QList<double> scores;
    for (qint64 id : std::as_const(order))
        scores << rows.value(id).score;
    std::sort(scores.begin(), scores.end(), std::greater<double>());
    QList<Ranked> out;
    for (int i = 0; i < order.size() && out.size() < limit; ++i) {
        Ranked r = rows.value(order[i]);
        r.score = scores[i];
        out << r;
    }
    return out;
}

QList<Ranked> semanticOnly(const SemanticList &semantic, int limit, bool oneHitPerThread)
{
    QList<Ranked> out;
    QSet<QString> threads;
    for (const Ranked &s : semantic.hits) {
        if (out.size() >= limit)
            break;
        if (oneHitPerThread && threads.contains(s.thread))
            continue;
        threads.insert(s.thread);
        Ranked r = s;
        r.score = 0.5 * qMax(0.0, s.score);
        out << r;
    }
    return out;
}

} // namespace emailrag::search
