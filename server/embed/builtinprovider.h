#pragma once

#include "embedtypes.h"
#include "wordvectors.h"

#include <mutex>

// The built-in provider: embeds with one user's WordVectors (trained by the embedding stage and
// stored in embed_models). No network; blocking and cheap (tens of microseconds per email).
// Thread: any; the model is read-only.
namespace emailrag::embed {

class WordNet;

inline constexpr const char *kBuiltinModel = "builtin-ppmi-svd-v1";

class BuiltinProvider : public EmbeddingProvider
{
public:
    explicit BuiltinProvider(WordVectors vectors);

    QString model() const override;
    EmbedResult embed(const QStringList &texts) override;
    const WordVectors &vectors() const { return m_vectors; }
    // The model's vocabulary by WordNet base form ("tease" -> teased, teases, teasing, tease), built
    // at the first call with `wordnet` (wordnet.h; the process has one). For query expansion.
    const QHash<QString, QStringList> &wordsByBase(const WordNet &wordnet) const;

private:
    WordVectors m_vectors;
    mutable std::once_flag m_byBaseOnce;
    mutable QHash<QString, QStringList> m_byBase;
};

} // namespace emailrag::embed
