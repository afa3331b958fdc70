#pragma once

#include <QString>

// What goes into the full-text index besides the stored text: CJK runs split into single
// characters. unicode61 (our FTS5 tokenizer) only splits on spaces and punctuation, so an
// unspaced Chinese or Japanese sentence would otherwise be one giant token that no word query
// matches. With one token per ideograph/kana/hangul syllable, a CJK word is found as a phrase of
// its characters ("東京" -> "東 京"), which FTS5 answers exactly from its position lists.
// Queries must get the same treatment: the search engine calls cjkSpaced() on query text.
// Thread-safe, stateless. See docs/ingestion.md for why not trigram or ICU dictionaries.
namespace emailrag::ingest {

// A character the index splits one a token: Han, kana, Hangul syllables (the ranges in ftstext.cpp).
bool isCjk(char32_t c);
bool hasCjk(const QString &text);
// `text` with a space between CJK characters (and around CJK runs); unchanged when it has none.
QString cjkSpaced(const QString &text);

} // namespace emailrag::ingest
