#pragma once

#include <QString>

#include <optional>

// Where the API key of the OpenAI-compatible embedding provider comes from: the environment
// (EMAILRAG_EMBED_API_KEY, wins when set and not empty), else the system keychain (QtKeychain,
// Secret Service on Linux) under service "emailrag" and key "apikey <base url, trimmed, lower
// case>" — the same entry name the client's SecretStore::apiKeyKey(url) gives, so a key stored by
// the desktop settings for that provider URL serves the chat and the embeddings alike.
// Thread: blocking; runs the keychain job in a local event loop on the calling thread (start-up,
// the thread that creates the SearchEngine). Owner: free functions, no state.
// Failure: no key (nullopt); a missing entry, a locked or absent keychain or a timeout are logged
// under emailrag.embed without the key. The key itself is never logged.
namespace emailrag::embed {

struct EmbedKeySource
{
    QString service = QStringLiteral("emailrag");
    int timeoutMs = 3000; // a keychain that never answers (locked, no prompter) counts as absent
};

// The keychain entry name for a provider base URL ("apikey http://127.0.0.1:11434/v1").
QString embedKeyName(const QString &baseUrl);

// The keychain's entry for `baseUrl`; nullopt when there is none or no keychain answers.
std::optional<QString> readEmbedKeyFromKeychain(const QString &baseUrl, const EmbedKeySource &source = {});

// The environment's key when set and not empty, else the keychain's; empty when neither has one.
QString resolveEmbedApiKey(const QString &baseUrl, const EmbedKeySource &source = {});

} // namespace emailrag::embed
