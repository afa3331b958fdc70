#pragma once

#include <QString>

#include <functional>

// Word splitting for the built-in word vectors: runs of letters, lower-cased, 2..24 characters,
// common English function words dropped. Plain loops over QChar (no regular expression): this
// runs over every email, so it must be cheap. Pure; any thread.
namespace emailrag::embed {

// Calls `word(token, lineIndex)` for each word; `lineIndex` is the 0-based line of the text.
void forEachWord(const QString &text, const std::function<void(const QString &, int)> &word);
bool isFunctionWord(const QString &lowerWord);

} // namespace emailrag::embed
