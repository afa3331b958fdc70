#pragma once

#include "embedtypes.h"
#include "wordvectors.h"

// The built-in provider: embeds with one user's WordVectors (trained by the embedding stage and
// stored in embed_models). No network; blocking and cheap (tens of microseconds per email).
// Thread: any; the model is read-only.
namespace emailrag::embed {

inline constexpr const char *kBuiltinModel = "builtin-ppmi-svd-v1";

class BuiltinProvider : public EmbeddingProvider
{
public:
    explicit BuiltinProvider(WordVectors vectors);

    QString model() const override;
    EmbedResult embed(const QStringList &texts) override;
    const WordVectors &vectors() const { return m_vectors; }

private:
    WordVectors m_vectors;
};

} // namespace emailrag::embed
