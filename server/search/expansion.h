#pragma once

#include "searcher.h"

#include <QHash>
#include <QSet>
#include <QSqlDatabase>
#include <QStringList>

#include <optional>

namespace emailrag::embed { class BuiltinProvider; class SemanticIndex; class WordNet; class WordVectors; }

// Query expansion from the user's own word vectors (the built-in model, server/embed/wordvectors.h):
// each content word of a request brings its nearest words in the model's space as extra, low-weight
// terms of the full-text query, so "wager" can find an email that says "bet". The semantic side
// then changes which emails the lexical ranking sees, instead of only reordering a fused list.
// Gated like the fusion (hybrid.h, lexicalIsWeak): only a request whose lexical list is weak is
// expanded; a strong list is never touched. Internal to the search library; called by Searcher on
// the search thread that owns `db`. Failures: nullopt (database error) or no expansion.
// docs/search.md ("Query expansion").
namespace emailrag::search {

struct ExpansionTerm
{
    QString word;      // lower case, letters only (a vocabulary word of the model)
    QString source;    // the query word it was found for
    double weight = 0; // multiplies the term's bm25 IDF (0 < weight < 1)
};

// The words of a query that are expanded: plain words (no field, phrase, prefix or "from X"),
// lower case, letters only, not function words. Order kept, no duplicates.
QStringList expandableWords(const ParsedQuery &pq);

// Any expansion weight is positive.
bool expansionEnabled(const HybridWeights &hw);

// Expansion terms for `pq` with the options of `hw` (expansion* fields, searcher.h). For each
// expandable word: its inflections in the user's vocabulary (`byBase`: vocabulary words by WordNet
// base form), WordNet synonyms of its base forms (first expansionSenses senses) that the vocabulary
// holds and whose vector is close to the word's (cosine >= expansionSynonymMinCosine), and its
// nearest words in the vector space. Never a word of the query or a common word (model idf <
// expansionMinIdf). A word reached several ways keeps its best weight; at most expansionMaxTerms
// terms, best weight first. `wordnet` may be null (vectors only).
QList<ExpansionTerm> expansionTerms(const embed::WordVectors &vectors, const QHash<QString, QStringList> &byBase,
                                    const embed::WordNet *wordnet, const ParsedQuery &pq, const HybridWeights &hw);

// `pq` with each term as one more plain word clause (a request's any-term matching then finds
// emails holding only expansion words), and the IDF multiplier of each term's FTS5 phrase.
ParsedQuery expandedQuery(const ParsedQuery &pq, const QList<ExpansionTerm> &terms);
QHash<QString, double> phraseWeights(const QList<ExpansionTerm> &terms);

struct ExpansionInput
{
    qint64 userId = 0;
    qint64 newest = 0;
    int limit = 50;
    bool oneHitPerThread = false;
    QList<qint64> onlyIds;
    ColumnWeights columns;
    QSet<QString> common;     // commonWords of the original query (searcher.cpp)
    QSet<QString> negligible;
};

// The expanded lexical list of a natural-language request, or `lexical` unchanged when the gate is
// closed (the list is strong), the user has no built-in model, or no word has a close neighbour.
// Scores are lexical scores (scoreFromBm25 over the original query's atom count), never increasing.
// `terms` (may be null) gets the terms used. nullopt on a database error.
std::optional<QList<Ranked>> expandLexical(QSqlDatabase &db, embed::SemanticIndex &index, const ParsedQuery &pq,
                                           const ExpansionInput &in, const QList<Ranked> &lexical,
                                           const HybridWeights &hw, QList<ExpansionTerm> *terms = nullptr);

// The soft-match rerank of a weak request's first `softMatchDepth` hits: each email's lexical x
// (score = x / (x + 10)) plus softMatchWeight × WordVectors::softCoverage of the request's words
// over the email's subject and new text (cosines >= softMatchMinCosine), so an email that holds more
// of the request's ideas — its words or words the user's vectors put close to them — moves up.
// Only those hits change places (recall@depth is kept); the same scores are handed out in the new
// order. Unchanged when the gate is closed (strong list, keyword query) or softMatchWeight is 0.
QList<Ranked> softMatchRerank(QSqlDatabase &db, const embed::WordVectors &vectors, const ParsedQuery &pq,
                              qint64 userId, const QList<Ranked> &lexical, const HybridWeights &hw);

// The terms step of expandLexical alone (no rerank).
std::optional<QList<Ranked>> expandWithTerms(QSqlDatabase &db, const embed::BuiltinProvider &provider,
                                             const ParsedQuery &pq, const ExpansionInput &in,
                                             const QList<Ranked> &lexical, const HybridWeights &hw,
                                             QList<ExpansionTerm> *terms = nullptr);

// Whether Searcher must hold back a natural-language request's lexical hits until expandLexical
// has run: expansion is on and the list ranked so far is weak.
bool expansionMayReorder(const QList<Ranked> &lexical, bool naturalLanguage, const HybridWeights &hw);

} // namespace emailrag::search
