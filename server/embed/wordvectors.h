#pragma once

#include "embedtypes.h"

#include <QByteArray>
#include <QHash>
#include <QStringList>

#include <atomic>
#include <optional>

// The built-in embedding model: word vectors learned from the user's own mail, no download and
// no network. Training: the K most frequent words of a sample of the newest emails, their
// co-occurrence counts in a ±window (weighted 1/distance), positive PMI with context-distribution
// smoothing (α = 0.75), then a rank-`dimension` randomized eigen-decomposition; a word's vector is
// its eigenvector row scaled by √|λ|, L2-normalised, then the direction all words share (the
// frequency-weighted mean and the top principal directions) removed and renormalised. An email (or a query) is the idf-weighted mean
// of its words' vectors (words of the first line — the subject in emailChunk() — count twice),
// L2-normalised. Deterministic for the same documents and options.
// Value type: copyable, read-only after training, safe to share between threads.
namespace emailrag::embed {

struct TrainOptions
{
    // K most frequent words (min 2 documents, at most half of them). 30,000 rather than 12,000:
    // names and project words get vectors (semantic-only MRR@10 on the known-item set 0.57 -> 0.67).
    int vocabulary = 30000;
    int dimension = 96;
    int window = 5;
    int oversample = 16;
    int powerIterations = 2;
    // After the decomposition: the frequency-weighted mean and this many top principal directions
    // are removed from every word vector ("all-but-the-top"; at most one per 40 dimensions, so
    // none below 40; -1: not even the mean is removed).
    int commonDirections = -1;
    uint32_t seed = 20261126;
    const std::atomic_bool *cancel = nullptr; // checked between documents and phases: empty result
};

class WordVectors
{
public:
    static WordVectors train(const QStringList &documents, const TrainOptions &options = {});

    int dimension() const { return m_dim; }
    int vocabularySize() const { return int(m_words.size()); }
    bool isEmpty() const { return m_words.isEmpty(); }
    const QStringList &words() const { return m_words; }
    // Cosine of two known words' vectors; nullopt when either is unknown.
    std::optional<float> cosine(const QString &a, const QString &b) const;

    // Unit vector, or all zeros when the text holds no known word.
    Vector embed(const QString &text) const;
    // The unit vector of one word, or nullopt when unknown.
    std::optional<Vector> wordVector(const QString &word) const;
    // How well `text` covers the known words of `queryWords` (lower case): the idf-weighted mean,
    // over those words, of the best cosine between the word and any word of the text (1 for the
    // word itself), counting only cosines >= minCosine. 0..1; 0 when no query word is known.
    // A soft, vector-space version of "how many of the request's words does the email hold".
    double softCoverage(const QStringList &queryWords, const QString &text, float minCosine) const;
    // The idf (log((n + 1) / (df + 0.5)) over the training sample) of a known word, else -1.
    float wordIdf(const QString &word) const;

    struct Neighbour
    {
        QString word;
        float cosine = 0;
    };
    // For each of `words` (lower case), its `k` nearest vocabulary words by cosine (best first),
    // those with cosine >= `minCosine` only; an unknown word gets an empty list. One pass over the
    // vocabulary for all words (30,000 × 96 floats: about 1 ms). Used for query expansion
    // (search/expansion.h).
    QList<QList<Neighbour>> nearestWords(const QStringList &words, int k, float minCosine) const;

    QByteArray serialize() const;
    static std::optional<WordVectors> deserialize(const QByteArray &bytes);

private:
    int m_dim = 0;
    QStringList m_words;
    QHash<QString, int> m_index;
    std::vector<float> m_idf;
    std::vector<float> m_vectors; // words × dim
};

} // namespace emailrag::embed
