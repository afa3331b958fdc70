#include "promptbuilder.h"

#include "textutil.h"

#include <QJsonObject>

namespace emailrag::chat {

QString PromptBuilder::systemPrompt()
{
    return QStringLiteral(
        "You answer questions about the user's own email. Use only the numbered sources in the user's "
        "message. After every statement, cite the source it comes from with its number in square brackets, "
        "for example [1] or [2][3]. Cite only numbers that appear in the list of sources. If the sources do "
        "not answer the question, say so plainly instead of guessing. Quoted text in the sources has already "
        "been removed, so each source is what its sender wrote. Answer in the language of the question and "
        "keep it short.");
}

QString PromptBuilder::formatSource(const ContextDoc &doc)
{
    const QString date = doc.date.isValid() ? doc.date.toString(Qt::ISODate) : QStringLiteral("unknown");
    return QStringLiteral("[%1] From: %2\nTo: %3\nDate: %4\nSubject: %5\n%6\n")
        .arg(doc.index)
        .arg(doc.from, doc.to.left(200), date, doc.subject, doc.text.trimmed());
}

std::optional<PromptBuilder::Result> PromptBuilder::build(const GenerationInput &input, const ProviderConfig &config)
{
    const int window = std::max(0, config.contextTokens - config.maxAnswerTokens);
    const QString question = input.question.trimmed();
    const int fixed = text::estimateTokens(systemPrompt()) + text::estimateTokens(question) + 40;
    if (fixed > window)
        return std::nullopt;
    int left = window - fixed;

    // Sources first (they carry the answer), most relevant first; docs are already in that order.
    QString sources;
    int kept = 0;
    for (const ContextDoc &doc : input.docs) {
        const QString s = formatSource(doc);
        const int cost = text::estimateTokens(s);
        if (cost > left)
            break; // numbering must stay 1..kept without gaps
        left -= cost;
        sources += s + QLatin1Char('\n');
        ++kept;
    }

    // Then as many earlier turns as fit, newest kept first.
    QList<QJsonObject> history;
    for (qsizetype i = input.history.size() - 1; i >= 0; --i) {
        const Turn &t = input.history.at(i);
        const QString answer = t.answer.left(2000);
        const int cost = text::estimateTokens(t.question) + text::estimateTokens(answer) + 10;
        if (cost > left)
            break;
        left -= cost;
        history.prepend(QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")}, {QStringLiteral("content"), answer}});
        history.prepend(QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), t.question}});
    }

    Result r;
    r.sourceCount = kept;
    r.messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("system")}, {QStringLiteral("content"), systemPrompt()}});
    for (const QJsonObject &m : std::as_const(history))
        r.messages.append(m);
    const QString user = kept > 0
        ? QStringLiteral("Sources:\n\n%1Question: %2").arg(sources, question)
        : QStringLiteral("No email matched this question.\n\nQuestion: %1").arg(question);
    r.messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("content"), user}});
    r.estimatedTokens = window - left;
    return r;
}

} // namespace emailrag::chat
