#pragma once

#include "queryparser.h"

#include <QString>

// Query text in the form the full-text index holds it. The importer indexes Han, kana and Hangul
// one character a token (ingest/ftstext.h): unicode61 does not split unspaced CJK text, so a word
// is found as the phrase of its characters. Every text atom (word, "phrase", subject:, from:/to:,
// a request's words, exclusions) goes through here on its way to an FTS5 literal, the document
// counts and the snippet's terms, so that all of them read "東京" as the phrase "東 京" (and
// "東京abc" as "東 京 abc", as the index split it). Pure functions, any thread.
namespace emailrag::search {

// `text` with its CJK characters spaced as the index holds them (ingest::cjkSpaced); unchanged
// when it has none.
QString indexedText(const QString &text);

// Whether `atom` is matched with its last token as a prefix: a word* and a from:/to: name of
// three characters or more (not quoted). Not when it ends with a CJK character: that character
// is a whole token of the index, so "東京*" is the phrase "東 京" (any text may follow it).
bool matchesAsPrefix(const Atom &atom);

} // namespace emailrag::search
