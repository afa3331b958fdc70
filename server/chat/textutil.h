#pragma once

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

// Small text helpers for retrieval and extractive answers: quote/signature stripping, sentence
// splitting, query terms. Pure functions, any thread.
namespace emailrag::chat::text {

// Removes quoted history ("> " lines, "-----Original Message-----" and "On ... wrote:" blocks,
// forwarded headers) and a trailing signature ("-- " line) from a plain-text body. Ingestion
// already stores new text in emails.body_text; this is a second line of defence for bodies
// imported by tools that did not split them.
QString stripQuotedAndSignature(const QString &body);

// Collapses runs of whitespace (newlines included) to one space and trims.
QString normalizeWhitespace(const QString &s);

// Sentences of `body`, whitespace-normalized, in order. A sentence ends at . ! ? followed by
// space, or at a blank line / bullet; very long runs are cut at 400 characters on a word boundary.
QStringList splitSentences(const QString &body);

// Lower-cased content words of `s` (stop words and question words dropped), in order, unique.
QStringList contentTerms(const QString &s);

// Crude stem used for matching: lower case, common English suffixes removed.
QString stem(const QString &word);

// Rough token count for budgeting: about four characters per token.
inline int estimateTokens(const QString &s) { return (int(s.size()) + 3) / 4; }

// True when `message` reads like a follow-up that needs the earlier turns to make sense
// ("and what did she reply?", "why?", "tell me more about that").
bool looksLikeFollowUp(const QString &message);

// True when the message asks for a reply/answer to what was discussed before.
bool asksForReply(const QString &message);

} // namespace emailrag::chat::text
