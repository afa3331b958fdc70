#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <sqlite3.h>

#include <array>
#include <type_traits>
#include <vector>

// The full-text index's own tokenizer, run on text outside a query: FTS5's unicode61 with
// remove_diacritics 2, as emails_fts is declared (migration 011). Snippets (snippet.h) find the
// query's words in a hit's text with it, so a word is marked exactly where the index holds it:
// the same token boundaries, the same case and accent folding, by construction rather than by a
// copy of FTS5's Unicode tables that could drift from the library's.
// One shortcut: on text that is all ASCII, unicode61's tokens are the runs of letters and digits,
// lower-cased (its ASCII table, fts5_tokenize.c), which this class finds itself, 5-10 times
// faster than through FTS5's per-token callback (most mail bodies are ASCII; tst_snippet checks
// both ways give the same tokens).
// CJK text needs nothing more: the index holds it spaced one character a token (ingest/ftstext.h)
// and the snippets read that indexed form (emails_fts_cjk), as FTS5's snippet() did.
// Thread: one tokenizer for one thread at a time (it folds into buffers of its own). Owner: the
// caller; it does not hold the connection it was made from. Failure: isValid() is false when the
// library has no FTS5 or no unicode61.
namespace emailrag::search {

class FtsTokenizer
{
public:
    // Called for each token in order: its byte range [start, end) in the text and its folded form
    // (valid during the call).
    using TokenFn = void (*)(void *context, int start, int end, QByteArrayView folded);

    explicit FtsTokenizer(sqlite3 *db);
    ~FtsTokenizer();
    FtsTokenizer(const FtsTokenizer &) = delete;
    FtsTokenizer &operator=(const FtsTokenizer &) = delete;

    bool isValid() const { return m_tokenizer != nullptr; }

    // Calls sink(int start, int end, QByteArrayView folded) for each token of `utf8`. False when
    // the tokenizer failed (the tokens until then were given). A template so that the ASCII pass
    // calls the sink inline (a hit's text has thousands of tokens).
    template <typename Sink>
    bool tokenize(QByteArrayView utf8, Sink &&sink) const
    {
        if (!m_tokenizer)
            return false;
        if (!isAscii(utf8)) {
            using S = std::remove_reference_t<Sink>;
            const TokenFn call = [](void *s, int start, int end, QByteArrayView folded) {
                (*static_cast<S *>(s))(start, end, folded);
            };
            return tokenizeWithFts5(utf8, call, const_cast<void *>(static_cast<const void *>(&sink)));
        }
        const char *lower = lowerAscii(utf8);
        const auto *text = reinterpret_cast<const unsigned char *>(utf8.data());
        const int size = int(utf8.size());
        for (int i = 0;;) {
            while (i < size && !kAsciiToken[text[i]])
                ++i;
            if (i >= size)
                return true;
            const int start = i;
            while (i < size && kAsciiToken[text[i]])
                ++i;
            sink(start, i, QByteArrayView(lower + start, i - start));
        }
    }
    // Through FTS5 even for ASCII text (tests compare the two ways).
    bool tokenizeWithFts5(QByteArrayView utf8, TokenFn fn, void *context) const;

    // The folded tokens of `utf8`.
    std::vector<QByteArray> folded(QByteArrayView utf8) const;

private:
    // unicode61's ASCII token characters: letters and digits (categories L* and N*).
    static constexpr std::array<bool, 256> kAsciiToken = [] {
        std::array<bool, 256> t{};
        for (int c = 0; c < 128; ++c)
            t[size_t(c)] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        return t;
    }();
    static bool isAscii(QByteArrayView text);
    const char *lowerAscii(QByteArrayView text) const; // into m_lower

    Fts5Tokenizer *m_tokenizer = nullptr;
    int (*m_tokenize)(Fts5Tokenizer *, void *, int, const char *, int,
                      int (*)(void *, int, const char *, int, int, int)) = nullptr;
    void (*m_delete)(Fts5Tokenizer *) = nullptr;
    mutable QByteArray m_lower; // an ASCII text lower-cased: its tokens' folded forms
};

} // namespace emailrag::search
