#pragma once

#include <QString>

#include <functional>

// Word splitting for the built-in word vectors: runs of letters, lower-cased, 2..24 characters,
// common English function words dropped. Chinese, Japanese and Korean are written without
// spaces, so a run of CJK characters (ingest::isCjk) gives its overlapping pairs instead
// ("東京会議" -> 東京, 京会, 会議; a lone character is itself): as one token a whole sentence
// would be a word that no query shares. Plain loops over QChar (no regular expression): this
// runs over every email, so it must be cheap. Pure; any thread.
namespace emailrag::embed {

// Calls `word(token, lineIndex)` for each word; `lineIndex` is the 0-based line of the text.
void forEachWord(const QString &text, const std::function<void(const QString &, int)> &word);
bool isFunctionWord(const QString &lowerWord);

} // namespace emailrag::embed
