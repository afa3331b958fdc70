#pragma once

#include "generation.h"

class QNetworkAccessManager;

namespace emailrag::chat {

// Streams an answer from an OpenAI-compatible POST {base}/v1/chat/completions with
// "stream": true (Ollama, llama.cpp server, LM Studio, vLLM, OpenAI). Parses the SSE stream
// ("data: {json}" chunks, "data: [DONE]"), and maps failures: connection refused / host not
// found → LlmUnavailable; no response headers within connectTimeoutMs, no data within
// idleTimeoutMs or the whole answer beyond totalTimeoutMs → LlmTimeout; HTTP status ≥ 400 →
// LlmError with the server's error message (ContextTooLong when it says the context is too
// long); malformed JSON or a stream that ends without [DONE] / finish_reason → LlmBadStream.
// The API key goes only into the Authorization header, never into logs.
// Uses the caller's QNetworkAccessManager (same thread), which must outlive the generations.
class OpenAiProvider : public GenerationProvider
{
public:
    OpenAiProvider(QNetworkAccessManager *network, ProviderConfig config);
    QString name() const override { return QStringLiteral("openai"); }
    Generation *start(const GenerationInput &input, QObject *parent) override;

    // {base}/chat/completions when base ends in /v1, else {base}/v1/chat/completions.
    static QUrl endpoint(const QUrl &base);

private:
    QNetworkAccessManager *m_network;
    ProviderConfig m_config;
};

} // namespace emailrag::chat
