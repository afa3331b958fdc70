#pragma once

#include "searcher.h"

#include <QHash>
#include <QSqlDatabase>

#include <optional>

namespace emailrag::embed { class SemanticIndex; }

// The semantic side of a search and its fusion with the lexical list (docs/search.md,
// "Semantic ranking and hybrid fusion"). Internal to the search library; called by Searcher on
// the search thread that owns `db`.
namespace emailrag::search {

struct SemanticList
{
    QList<Ranked> hits;              // best first; `score` holds the cosine similarity
    bool available = false;          // the user has vectors and the query could be embedded
};

// The gate of the fusion: a lexical list is "weak" when it is empty or its best hit scores below
// kWeakLexicalScore (docs/search.md, "Score"): no query word matched in a subject or sender, only
// scattered body words. Only a weak list may be reordered by the semantic side; a strong one keeps
// its order whatever the weights (semantic-only hits may still fill free places of a request).
// On the known-item benchmark the best hit of keyword and natural queries scores >= 0.40 for 90 %
// of them; that of paraphrased requests (bench/search/queries-paraphrase.tsv) < 0.30 for 90 %.
inline constexpr double kWeakLexicalScore = 0.30;
bool lexicalIsWeak(const QList<Ranked> &lexical);
// True when fuse() may reorder `lexical` with these weights (so its hits cannot be streamed before
// the semantic side has run). For Searcher: with the default weights (0) always false.
bool semanticMayReorder(const QList<Ranked> &lexical, bool naturalLanguage, const HybridWeights &hw);

// The words the semantic side embeds: positive text atoms (plain words, phrases, subject:),
// with request words already dropped by the parser. Empty when there is no text.
QString semanticQueryText(const ParsedQuery &pq);
// The query with its plain words removed: field items (from:, to:, subject:, cc:, filename:),
// exclusions, dates, has:attachment, thread:, upload:. Applied to the semantic side.
ParsedQuery filtersOnly(const ParsedQuery &pq);

// Semantic candidates that satisfy the query's filters (and `request.onlyIds`), best first.
// Selective filters (at most 5000 emails) are ranked exactly from the stored vectors; otherwise the
// approximate index is over-fetched and its hits filtered (hnswlib 0.6.2 has no filter functor).
SemanticList semanticCandidates(QSqlDatabase &db, embed::SemanticIndex &index, const ParsedQuery &pq, qint64 userId,
                                const SearchRequest &request, qint64 newest, const ColumnWeights &weights,
                                const HybridWeights &hw = {});

// Weighted reciprocal rank fusion, gated: the semantic weight applies only when the lexical list is
// weak (lexicalIsWeak); otherwise the lexical order is kept. Every lexical hit stays in the list (only its position may
// change). For natural-language requests, semantic-only hits (cosine >= minSimilarity) fill at
// most the free places up to `limit`; keyword queries keep their lexical hits, reordered.
// Scores: the hits' own scores (lexical score; 0.5 × cosine for semantic-only ones) are sorted
// and handed out in the fused order, so the list's scores never increase.
QList<Ranked> fuse(const QList<Ranked> &lexical, const SemanticList &semantic, int limit, bool naturalLanguage,
                   bool oneHitPerThread, const HybridWeights &hw = {});

// Semantic-only ranking (benchmarks, `SearchRequest::Ranking::Semantic`).
QList<Ranked> semanticOnly(const SemanticList &semantic, int limit, bool oneHitPerThread);

} // namespace emailrag::search
