#pragma once

#include "chattypes.h"
#include "generation.h"

#include <QJsonArray>
#include <optional>

namespace emailrag::chat {

// Builds the chat-completions messages for a model: a system prompt, the earlier turns, and a
// user message that numbers the sources [1..N] and asks for [n] citations. Fits everything into
// the model's context window (ProviderConfig::contextTokens minus the answer's share), dropping
// the least relevant sources and then the oldest turns; fails only when the question alone does
// not fit. Pure; any thread.
class PromptBuilder
{
public:
    struct Result
    {
        QJsonArray messages;
        int sourceCount = 0;      // sources kept, numbered 1..sourceCount
        int estimatedTokens = 0;
    };
    // std::nullopt: the question does not fit (CONTEXT_TOO_LONG).
    static std::optional<Result> build(const GenerationInput &input, const ProviderConfig &config);

    static QString systemPrompt();
    static QString formatSource(const ContextDoc &doc);
};

} // namespace emailrag::chat
