#include "expansion.h"

#include "builtinprovider.h"
#include "database.h"
#include "hybrid.h"
#include "semanticindex.h"
#include "sqlplan.h"
#include "tokenizer.h"
#include "wordnet.h"
#include "wordvectors.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSqlQuery>

#include <algorithm>

Q_DECLARE_LOGGING_CATEGORY(lcSearch)

namespace emailrag::search {

namespace {

bool lettersOnly(const QString &w)
{
    for (const QChar c : w)
        if (!c.isLetter())
            return false;
    return !w.isEmpty();
}

} // namespace

QStringList expandableWords(const ParsedQuery &pq)
{
    QStringList out;
    for (const Clause &c : pq.must) {
        for (const Atom &a : c.anyOf) {
            if (a.field != Field::Any || a.phrase || a.prefix || a.fromRequest)
                continue;
            const QString w = a.text.toLower();
            if (w.size() < 3 || !lettersOnly(w) || embed::isFunctionWord(w) || out.contains(w))
                continue;
            out << w;
        }
    }
    return out;
}

bool expansionEnabled(const HybridWeights &hw)
{
    return hw.expansionWeight > 0 || hw.expansionMorphWeight > 0 || hw.expansionSynonymWeight > 0
        || hw.softMatchWeight > 0;
}

QList<ExpansionTerm> expansionTerms(const embed::WordVectors &vectors, const QHash<QString, QStringList> &byBase,
                                    const embed::WordNet *wordnet, const ParsedQuery &pq, const HybridWeights &hw)
{
    QList<ExpansionTerm> out;
    const QStringList words = expandableWords(pq);
    if (words.isEmpty() || !expansionEnabled(hw))
        return out;
    QSet<QString> inQuery;
    for (const Clause &c : pq.must)
        for (const Atom &a : c.anyOf)
            inQuery.insert(a.text.toLower());
    QHash<QString, qsizetype> at;
    auto offer = [&](const QString &word, const QString &source, double weight) {
        if (weight <= 0 || inQuery.contains(word) || word.size() < 3 || vectors.wordIdf(word) < hw.expansionMinIdf)
            return;
        const auto it = at.constFind(word);
        if (it == at.cend()) {
            at.insert(word, out.size());
            out << ExpansionTerm{word, source, weight};
        } else if (out[*it].weight < weight) {
            out[*it].weight = weight;
            out[*it].source = source;
        }
    };
    // 1. WordNet: inflections of the word and synonyms of its base forms, as the user's mail
    // spells them (vocabulary words with that base form).
    if (wordnet && !byBase.isEmpty()) {
        for (const QString &w : words) {
            const QStringList bases = wordnet->baseForms(w);
            for (const QString &b : bases)
                for (const QString &v : byBase.value(b))
                    offer(v, w, hw.expansionMorphWeight);
            if (hw.expansionSynonymWeight <= 0)
                continue;
            for (const QString &b : bases) {
                for (const QString &syn : wordnet->synonyms(b, hw.expansionSenses)) {
                    for (const QString &v : byBase.value(syn)) {
                        const std::optional<float> c = vectors.cosine(w, v);
                        if (c && *c >= hw.expansionSynonymMinCosine)
                            offer(v, w, hw.expansionSynonymWeight);
                    }
                }
            }
        }
    }
    // 2. Nearest words in the vector space.
    if (hw.expansionWeight > 0 && hw.expansionPerWord > 0) {
        // More neighbours than kept: common ones and query words are skipped after the search.
        const auto lists = vectors.nearestWords(words, hw.expansionPerWord * 3, float(hw.expansionMinCosine));
        for (int i = 0; i < words.size(); ++i) {
            int taken = 0;
            for (const auto &n : lists[i]) {
                if (taken >= hw.expansionPerWord)
                    break;
                if (inQuery.contains(n.word) || n.word.size() < 3 || vectors.wordIdf(n.word) < hw.expansionMinIdf)
                    continue;
                ++taken;
                offer(n.word, words[i], hw.expansionWeight * n.cosine);
            }
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const ExpansionTerm &a, const ExpansionTerm &b) {
        return a.weight > b.weight;
    });
    if (out.size() > hw.expansionMaxTerms)
        out = out.mid(0, hw.expansionMaxTerms);
    return out;
}

ParsedQuery expandedQuery(const ParsedQuery &pq, const QList<ExpansionTerm> &terms)
{
    ParsedQuery q = pq;
    for (const ExpansionTerm &t : terms)
        q.must << Clause{{Atom{Field::Any, t.word, false, false, false}}};
    return q;
}

QHash<QString, double> phraseWeights(const QList<ExpansionTerm> &terms)
{
    QHash<QString, double> out;
    for (const ExpansionTerm &t : terms)
        out.insert(ftsLiteral(t.word), t.weight);
    return out;
}

bool expansionMayReorder(const QList<Ranked> &lexical, bool naturalLanguage, const HybridWeights &hw)
{
    return naturalLanguage && expansionEnabled(hw)
        && (lexical.isEmpty() || lexical.constFirst().score < hw.expansionGate);
}

QList<Ranked> softMatchRerank(QSqlDatabase &db, const embed::WordVectors &vectors, const ParsedQuery &pq, qint64 userId,
                              const QList<Ranked> &lexical, const HybridWeights &hw)
{
    if (hw.softMatchWeight <= 0 || hw.softMatchDepth < 2 || lexical.size() < 2
        || !expansionMayReorder(lexical, pq.naturalLanguage, hw))
        return lexical;
    QStringList words;
    embed::forEachWord(semanticQueryText(pq), [&](const QString &w, int) {
        if (!words.contains(w))
            words << w;
    });
    if (words.isEmpty())
        return lexical;
    const int n = qMin(hw.softMatchDepth, int(lexical.size()));
    QStringList marks;
    QVariantList values{userId};
    for (int i = 0; i < n; ++i) {
        marks << QStringLiteral("?");
        values << lexical[i].id;
    }
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!storage::Database::exec(q,
                                 QStringLiteral("SELECT id, subject, substr(body_text, 1, 3000) FROM emails "
                                                "WHERE +user_id = ? AND id IN (%1)")
                                     .arg(marks.join(QLatin1Char(','))),
                                 values))
        return lexical;
    QHash<qint64, double> coverage;
    while (q.next())
        coverage.insert(q.value(0).toLongLong(),
                        vectors.softCoverage(words, q.value(1).toString() + QLatin1Char('\n') + q.value(2).toString(),
                                             float(hw.softMatchMinCosine)));
    QList<std::pair<double, Ranked>> keyed;
    QList<double> scores;
    for (int i = 0; i < n; ++i) {
        const double s = lexical[i].score;
        const double x = s >= 1.0 ? 1e9 : 10.0 * s / (1.0 - s); // score = x / (x + 10)
        keyed.append({x + hw.softMatchWeight * coverage.value(lexical[i].id), lexical[i]});
        scores << s;
    }
    std::stable_sort(keyed.begin(), keyed.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    // The same scores handed out in the new order: still 0..1, never increasing down the list.
    std::sort(scores.begin(), scores.end(), std::greater<double>());
    QList<Ranked> out;
    for (int i = 0; i < n; ++i) {
        Ranked r = keyed[i].second;
        r.score = scores[i];
        out << r;
    }
    out << lexical.mid(n);
    return out;
}

std::optional<QList<Ranked>> expandLexical(QSqlDatabase &db, embed::SemanticIndex &index, const ParsedQuery &pq,
                                           const ExpansionInput &in, const QList<Ranked> &lexical,
                                           const HybridWeights &hw, QList<ExpansionTerm> *used)
{
    if (!expansionMayReorder(lexical, pq.naturalLanguage, hw) || !index.usesBuiltin())
        return lexical;
    const auto provider = std::dynamic_pointer_cast<embed::BuiltinProvider>(index.provider(db, in.userId));
    if (!provider)
        return lexical;
    QElapsedTimer timer;
    timer.start();
    auto list = expandWithTerms(db, *provider, pq, in, lexical, hw, used);
    if (!list)
        return std::nullopt;
    const qint64 expandNs = timer.nsecsElapsed();
    *list = softMatchRerank(db, provider->vectors(), pq, in.userId, *list, hw);
    qCDebug(lcSearch).noquote() << "weak request refined: expansion" << expandNs / 1e6 << "ms, soft-match rerank"
                                << (timer.nsecsElapsed() - expandNs) / 1e6 << "ms";
    return list;
}

std::optional<QList<Ranked>> expandWithTerms(QSqlDatabase &db, const embed::BuiltinProvider &providerRef,
                                             const ParsedQuery &pq, const ExpansionInput &in,
                                             const QList<Ranked> &lexical, const HybridWeights &hw,
                                             QList<ExpansionTerm> *used)
{
    if (hw.expansionWeight <= 0 && hw.expansionMorphWeight <= 0 && hw.expansionSynonymWeight <= 0)
        return lexical;
    QElapsedTimer timer;
    timer.start();
    const embed::BuiltinProvider *provider = &providerRef;
    // WordNet is loaded in the background at the first need: until then no synonyms (no wait).
    const auto wordnet = embed::WordNet::sharedIfLoaded();
    static const QHash<QString, QStringList> none;
    const QList<ExpansionTerm> terms = expansionTerms(provider->vectors(), wordnet ? provider->wordsByBase(*wordnet) : none,
                                                      wordnet.get(), pq, hw);
    if (used)
        *used = terms;
    if (terms.isEmpty())
        return lexical;
    const ParsedQuery expanded = expandedQuery(pq, terms);
    const QHash<QString, double> weights = phraseWeights(terms);
    const QList<qint64> onlyIds = in.onlyIds.mid(0, 5000);
    const int want = in.oneHitPerThread ? -1 : in.limit;
    // Scores over the original query's atoms: expansion terms raise an email's score a little,
    // they do not dilute the scores of the others.
    const int atoms = buildPlan(pq, in.userId, Matching::AnyTerm, in.newest, 1, in.columns, {}, in.common, in.negligible)
                          .positiveAtoms;

    QList<Ranked> out;
    QSet<qint64> seen;
    QSet<QString> threads;
    double last = 1.0;
    // The narrowed plan (a rarer word required) first, the full one fills up (as Searcher::run).
    for (int pass = 0; pass < 2 && out.size() < in.limit; ++pass) {
        SqlPlan plan = pass == 0 ? buildPlan(expanded, in.userId, Matching::AnyTerm, in.newest, want, in.columns,
                                             onlyIds, in.common, in.negligible)
                                 : buildPlan(expanded, in.userId, Matching::AnyTerm, in.newest, want, in.columns, onlyIds);
        plan.phraseWeights = weights;
        const auto rows = rankRows(db, plan, want, pass > 0);
        if (!rows)
            return std::nullopt;
        for (const RankRow &row : *rows) {
            if (out.size() >= in.limit)
                break;
            if (seen.contains(row.id) || (in.oneHitPerThread && threads.contains(row.thread)))
                continue;
            seen.insert(row.id);
            threads.insert(row.thread);
            Ranked r;
            r.id = row.id;
            r.thread = row.thread;
            r.score = qMin(last, !row.bm25 ? 0.5 * row.prior : scoreFromBm25(*row.bm25 * row.prior, atoms));
            last = r.score;
            out << r;
        }
        if (!plan.narrowed)
            break;
    }
    qCDebug(lcSearch).noquote() << "expansion" << timer.nsecsElapsed() / 1e6 << "ms:" << [&] {
        QStringList s;
        for (const ExpansionTerm &t : terms)
            s << QStringLiteral("%1<-%2:%3").arg(t.word, t.source).arg(t.weight, 0, 'f', 2);
        return s.join(QLatin1Char(' '));
    }();
    // Every lexical hit the expanded list does not hold follows it (up to the limit).
    for (const Ranked &r : lexical) {
        if (out.size() >= in.limit)
            break;
        if (seen.contains(r.id) || (in.oneHitPerThread && threads.contains(r.thread)))
            continue;
        seen.insert(r.id);
        threads.insert(r.thread);
        Ranked x = r;
        x.score = qMin(last, r.score);
        last = x.score;
        out << x;
    }
    return out;
}

} // namespace emailrag::search
