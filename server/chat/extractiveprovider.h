#pragma once

#include "generation.h"

namespace emailrag::chat {

// The built-in default answerer: no model, no network. It picks the sentences of the retrieved
// emails that best match the question (IDF-weighted term overlap, scaled by the email's
// relevance), groups them by thread and email (threads by best sentence, emails by date,
// sentences in their original order), quotes each verbatim with its [n] citation and says
// plainly that the answer is extractive. Streams one line per chunk through the event loop.
class ExtractiveProvider : public GenerationProvider
{
public:
    QString name() const override { return QStringLiteral("extractive"); }
    Generation *start(const GenerationInput &input, QObject *parent) override;

    // The answer split into its chunks, plus the quoted sentences per doc index. Pure; exposed
    // for tests and the benchmark.
    struct Answer
    {
        QStringList chunks;
        QHash<int, QStringList> passages;
    };
    static Answer compose(const GenerationInput &input);
};

} // namespace emailrag::chat
