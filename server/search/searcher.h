#pragma once

#include "searchtypes.h"
#include "sqlplan.h"

#include <QSqlDatabase>

#include <atomic>
#include <functional>
#include <optional>
#include <variant>

namespace emailrag::embed { class SemanticIndex; }

namespace emailrag::search {

// Weights of the hybrid fusion (hybrid.cpp, docs/search.md): weighted reciprocal rank fusion,
// score = lexical / (kLexical + lexical rank) + semantic / (kSemantic + semantic rank).
struct HybridWeights
{
    double kLexical = 60.0;
    double kSemantic = 60.0;
    double lexical = 1.0;
    // Weights of the semantic list in the fusion. 0 by default: on the known-item benchmark every
    // positive weight lowered MRR@10 (docs/performance.md), so the semantic side does not reorder
    // lexical hits; it adds semantic-only hits to requests whose lexical list is short.
    double semanticKeyword = 0;    // keyword queries
    double semanticNatural = 0;    // natural-language requests
    double minSimilarity = 0.35;   // semantic-only hits below this cosine are not added
    int depth = 100;               // semantic candidates taken (at least `limit`)
    // > 0: lexical hits are ordered by score + scoreBlend × cosine instead of RRF (semantic only
    // breaks near-ties of the lexical score); semantic-only hits follow the lexical ones.
    double scoreBlend = 0;
    // Query expansion from WordNet and the built-in word vectors (expansion.h, docs/search.md): a
    // request whose best lexical hit scores below expansionGate gets extra terms for its content
    // words, each with its bm25 IDF multiplied by a weight < 1: WordNet synonyms of the word's
    // first expansionSenses senses that the user's vocabulary holds and that the user's word
    // vectors put close to the word (cosine >= expansionSynonymMinCosine; expansionSynonymWeight);
    // optionally its inflections in the vocabulary (expansionMorphWeight) and its nearest words in
    // the vector space (cosine >= expansionMinCosine, up to expansionPerWord, expansionWeight ×
    // cosine). At most expansionMaxTerms terms, none with a model idf below expansionMinIdf.
    // Off by default (every weight 0): the best setting found (synonyms 0.2, cosine 0.3, chosen on
    // half of the paraphrased requests) raised paraphrase MRR@10 at 12k by 0.015 only, changed
    // nothing at 1M and cost a weak request 135 ms (p50) more there (docs/performance.md).
    // withSynonymExpansion() below gives that setting.
    double expansionSynonymWeight = 0;
    double expansionSynonymMinCosine = 0.3;
    int expansionSenses = 2;
    double expansionMorphWeight = 0;
    double expansionWeight = 0;
    double expansionMinCosine = 0.6;
    int expansionPerWord = 3;
    double expansionMinIdf = 3.0;
    int expansionMaxTerms = 24;
    double expansionGate = 0.30;
    // Soft-match rerank of a weak request's first softMatchDepth hits (expansion.h, softMatchRerank):
    // lexical x + softMatchWeight × the share (idf-weighted) of the request's words the email holds
    // or holds a word close to (cosine >= softMatchMinCosine in the user's vectors). On by default:
    // chosen on half of the paraphrased requests (docs/performance.md).
    double softMatchWeight = 4.0;
    double softMatchMinCosine = 0.5;
    int softMatchDepth = 10;
};

// The measured query-expansion setting (docs/performance.md): WordNet synonyms that the user's
// vectors put close to the word, IDF × 0.2. Off by default (HybridWeights).
inline HybridWeights withSynonymExpansion(HybridWeights w = {})
{
    w.expansionSynonymWeight = 0.2;
    w.expansionSynonymMinCosine = 0.3;
    w.expansionSenses = 2;
    return w;
}

// One ranked email before its text is read.
struct Ranked
{
    qint64 id = 0;
    QString thread;
    double score = 0;
};

// Runs searches synchronously on the calling thread over a connection that thread owns.
// SearchEngine runs it on its pool; benchmarks and tests may use it directly.
// Owner: whoever creates it (cheap, holds only the connection handle). Fails with SearchError
// (query errors with their position, database errors logged by storage).
class Searcher
{
public:
    using HitSink = std::function<void(const SearchHit &)>;

    explicit Searcher(QSqlDatabase db);

    void setColumnWeights(const ColumnWeights &weights) { m_weights = weights; }
    // The semantic side (hybrid.cpp); null = lexical only. Not owned; must outlive run().
    void setSemanticIndex(embed::SemanticIndex *index) { m_semantic = index; }
    void setHybridWeights(const HybridWeights &weights) { m_hybrid = weights; }
    const HybridWeights &hybridWeights() const { return m_hybrid; }

    // Ranks, then calls `onHit` for each hit in rank order as soon as its row is read.
    // `cancel` (may be null) is checked between rows.
    std::variant<SearchSummary, SearchError> run(qint64 userId, const SearchRequest &request, const HitSink &onHit,
                                                 const std::atomic_bool *cancel = nullptr);

    // Which of `ids` match `query` for `userId` (live search). Invalid queries match nothing.
    QList<qint64> matching(qint64 userId, const QString &query, const QList<qint64> &ids, const QDateTime &now = {});

    // The user's newest email date (seconds), 0 when none: the anchor of the recency prior.
    qint64 newestDate(qint64 userId);

private:
    std::optional<QList<Ranked>> feedbackRerank(const ParsedQuery &pq, qint64 userId, qint64 newest,
                                                const SearchRequest &request, const QList<Ranked> &lexical);

    QSqlDatabase m_db;
    ColumnWeights m_weights;
    embed::SemanticIndex *m_semantic = nullptr;
    HybridWeights m_hybrid;
};

// bm25 (negative, as FTS5 returns it, already multiplied by the prior) to the 0..1 score.
double scoreFromBm25(double weightedBm25, int positiveAtoms);

} // namespace emailrag::search
