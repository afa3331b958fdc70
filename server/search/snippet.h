#pragma once

#include "ftstokenizer.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <array>
#include <climits>
#include <vector>

// A hit's snippet, made from its text and the query's words: the text around the best place,
// the matched words wrapped in « and », "…" where the text is cut (docs/protocol.md `snippet`).
// The same snippet FTS5's snippet(emails_fts, column, '«', '»', '…', 24) gave for the query's
// words OR'ed (docs/search.md "Snippets"), computed without a full-text query per hit: that query
// read the whole row through emails_fts_source, tokenized it and loaded the words' doclists again
// (about 0.17 ms a hit at 12k emails, more at 1M).
// The window, as FTS5 picks it: of the windows of `kSnippetTokens` tokens starting at each match
// (then centred on the matches they hold) or at the start of its sentence (a bonus of 100, 120
// for the first), the first with the most distinct terms (1000 each, 1 per repeat). Overlapping
// matches are marked as one; a match that starts before the window is not marked.
// Nothing outside the marks is changed: the text between them is copied byte for byte.
// Pure functions, any thread (the tokenizer is the caller's).
namespace emailrag::search {

struct ParsedQuery;
struct SnippetColumn;

constexpr int kSnippetTokens = 24;

// The query's words as the index holds them: each a phrase of folded tokens, the last one
// matching every token that starts with it when it is a prefix.
class SnippetTerms
{
public:
    void add(std::vector<QByteArray> tokens, bool prefix); // no tokens: ignored
    bool empty() const { return m_terms.empty(); }
    size_t size() const { return m_terms.size(); }

    struct Term
    {
        int firstSlot = 0; // its tokens are slots firstSlot, firstSlot + 1, ...
        int size = 0;
    };
    struct Slot
    {
        QByteArray token;
        bool prefix = false;
    };

private:
    friend void matchColumn(SnippetColumn &, QByteArrayView, const SnippetTerms &, const FtsTokenizer &);
    std::vector<Term> m_terms;
    std::vector<Slot> m_slots;
    // What a token must have to match some slot, checked first (most tokens fail both).
    std::array<bool, 256> m_firstBytes{}; // the slots' first bytes
    quint64 m_exactSizes = 0;  // bit n: some whole-token slot is n bytes long (n < 64)
    int m_minPrefix = INT_MAX; // the shortest prefix slot
    bool m_longSlots = false;  // some whole-token slot of 64 bytes or more
};

// The query's words to mark, in query order: every positive atom that the full-text index
// matches (all but cc: and filename:), in any column, a word*'s last token as a prefix, and the
// last word of a from:/to: name of three letters or more, as the ranking reads it (sqlplan.cpp).
SnippetTerms snippetTerms(const ParsedQuery &query, const FtsTokenizer &tokenizer);

// One column's text and where the terms occur in it.
struct SnippetColumn
{
    struct Token
    {
        int start = 0; // byte offsets in the text: [start, end)
        int end = 0;
    };
    struct Match
    {
        int position = 0; // token index
        int term = 0;     // index in the SnippetTerms
        int size = 1;     // tokens
    };
    QByteArrayView text;  // UTF-8; must outlive the column
    std::vector<Token> tokens;
    std::vector<Match> matches; // by position, then term
    // Tokens that match a term slot: their index, and (slotWords words each) which slots.
    std::vector<int> slotTokens;
    std::vector<quint64> slotMasks;
    int slotWords = 1;

    bool hasMatch() const { return !matches.empty(); }
};

// Tokenizes `text` into `column` and finds the terms in it (column.text = text).
void matchColumn(SnippetColumn &column, QByteArrayView text, const SnippetTerms &terms, const FtsTokenizer &tokenizer);

// The snippet of one column (FTS5's snippet(emails_fts, column, ...)). `marked` (may be null):
// whether it marks a match (a match cut by the window's start is not marked).
QString snippet(const SnippetColumn &column, bool *marked = nullptr, int windowTokens = kSnippetTokens);

// The snippet of the best of several columns, given in the index's column order; ties go to the
// first (FTS5's snippet(emails_fts, -1, ...)). Without any match: the first column's start.
QString bestSnippet(const std::vector<const SnippetColumn *> &columns, bool *marked = nullptr,
                    int windowTokens = kSnippetTokens);

} // namespace emailrag::search
