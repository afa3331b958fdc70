#pragma once

#include "embedtypes.h"

#include <QUrl>

#include <optional>

// An OpenAI-compatible embeddings client: POST {baseUrl}/embeddings with
// {"model": ..., "input": [texts]} and reads {"data":[{"embedding":[...],"index":i}], ...}
// (OpenAI, Ollama, llama.cpp server, LM Studio, vLLM). Texts are sent in batches of `batchSize`;
// each request has a timeout; error bodies ({"error":{"message":...}}) become EmbedError messages
// with the API key redacted. The key is sent only as "Authorization: Bearer" and never logged.
// Thread: blocking; each call runs its own QNetworkAccessManager and local event loop on the
// calling worker thread (the search pool or the embedding stage), so one instance may be used from
// several threads, one call at a time per thread.
namespace emailrag::embed {

struct OpenAiEmbedConfig
{
    QUrl baseUrl;              // e.g. http://127.0.0.1:11434/v1 (the path up to /embeddings)
    QString model;             // e.g. nomic-embed-text
    QString apiKey;            // may be empty for local servers; never logged
    int batchSize = 64;
    int timeoutMs = 30000;

    // EMAILRAG_EMBED_URL, EMAILRAG_EMBED_MODEL, and the key: EMAILRAG_EMBED_API_KEY when set,
    // else the keychain entry "apikey <url>" of service "emailrag" (embedkey.h); it may also stay
    // unset for local servers. Blocks up to 3 s on a keychain that does not answer. nullopt when EMAILRAG_EMBED_URL is not set: the built-in provider
    // is used.
    static std::optional<OpenAiEmbedConfig> fromEnvironment();
};

class OpenAiEmbedder : public EmbeddingProvider
{
public:
    explicit OpenAiEmbedder(OpenAiEmbedConfig config);

    QString model() const override; // "openai:" + the server's model name
    EmbedResult embed(const QStringList &texts) override;

private:
    EmbedResult embedBatch(const QStringList &texts);
    QString redact(QString text) const;

    OpenAiEmbedConfig m_config;
};

} // namespace emailrag::embed
