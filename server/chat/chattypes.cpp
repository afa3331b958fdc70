#include "chattypes.h"

#include <QProcessEnvironment>

namespace emailrag::chat {

QString errorCodeName(ChatError error)
{
    switch (error) {
    case ChatError::LlmUnavailable: return QStringLiteral("LLM_UNAVAILABLE");
    case ChatError::LlmTimeout: return QStringLiteral("LLM_TIMEOUT");
    case ChatError::LlmError: return QStringLiteral("LLM_ERROR");
    case ChatError::LlmBadStream: return QStringLiteral("LLM_ERROR");
    case ChatError::ContextTooLong: return QStringLiteral("CONTEXT_TOO_LONG");
    case ChatError::NotFound: return QStringLiteral("NOT_FOUND");
    case ChatError::InvalidRequest: return QStringLiteral("INVALID_REQUEST");
    case ChatError::Internal: return QStringLiteral("INTERNAL_ERROR");
    }
    return QStringLiteral("INTERNAL_ERROR");
}

ProviderConfig ProviderConfig::fromEnvironment()
{
    ProviderConfig c;
    const QString base = qEnvironmentVariable("EMAILRAG_LLM_BASE_URL");
    c.model = qEnvironmentVariable("EMAILRAG_LLM_MODEL");
    c.apiKey = qEnvironmentVariable("EMAILRAG_LLM_API_KEY");
    if (!base.isEmpty()) {
        c.kind = Kind::OpenAiCompatible;
        c.baseUrl = QUrl::fromUserInput(base);
    }
    bool ok = false;
    const int ctx = qEnvironmentVariableIntValue("EMAILRAG_LLM_CONTEXT_TOKENS", &ok);
    if (ok && ctx > 0)
        c.contextTokens = ctx;
    return c;
}

} // namespace emailrag::chat
