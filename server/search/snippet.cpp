#include "snippet.h"

#include "cjkquery.h"
#include "queryparser.h"

#include <algorithm>

namespace emailrag::search {

namespace {

const QByteArray kOpen = QByteArrayLiteral("«");
const QByteArray kClose = QByteArrayLiteral("»");
const QByteArray kEllipsis = QByteArrayLiteral("…");

// Whether token `i` starts a sentence: the first does, and each one after white space that
// follows a '.' or ':' (FTS5's rule for its snippet windows).
bool startsSentence(const SnippetColumn &c, int i)
{
    if (i == 0)
        return true;
    const char *text = c.text.data();
    const int start = c.tokens[size_t(i)].start;
    int k = start - 1;
    while (k >= 0 && (text[k] == ' ' || text[k] == '\t' || text[k] == '\n' || text[k] == '\r'))
        --k;
    return k != start - 1 && k >= 0 && (text[k] == '.' || text[k] == ':');
}

// The start of the sentence of each match, asked in the order of the matches: found looking back
// from the match no further than the previous match (a column's sentences are not all looked at).
class SentenceFinder
{
public:
    explicit SentenceFinder(const SnippetColumn &c)
        : m_column(c)
    {
    }
    int startOf(int position)
    {
        int i = position;
        while (i > m_position && !startsSentence(m_column, i))
            --i;
        m_start = i > m_position ? i : m_start;
        m_position = position;
        return m_start;
    }

private:
    const SnippetColumn &m_column;
    int m_position = 0; // the last position asked, and its sentence's start
    int m_start = 0;
};

// The score of the window of `window` tokens starting at `from`: 1000 per distinct term, 1 per
// repeat.
int windowScore(const SnippetColumn &c, int from, int window, std::vector<int> &seen)
{
    std::fill(seen.begin(), seen.end(), 0);
    const auto first = std::lower_bound(c.matches.begin(), c.matches.end(), from,
                                        [](const SnippetColumn::Match &m, int p) { return m.position < p; });
    const qint64 end = qint64(from) + window;
    int score = 0;
    for (auto it = first; it != c.matches.end() && it->position < end; ++it)
        score += seen[size_t(it->term)]++ ? 1 : 1000;
    return score;
}

// The windows that start at each match, scored in one pass: the matches in [position,
// position + window) are counted as the window slides (FTS5 counts them again for each).
class SlidingWindow
{
public:
    SlidingWindow(const SnippetColumn &c, int window, std::vector<int> &count)
        : m_matches(c.matches)
        , m_window(window)
        , m_tokens(int(c.tokens.size()))
        , m_count(count)
    {
        std::fill(m_count.begin(), m_count.end(), 0);
    }

    // The score of the window at `position` (not before the last one asked) and, in `start`, the
    // start that centres it on the matches it holds.
    int scoreAt(int position, int *start)
    {
        for (; m_lo < m_matches.size() && m_matches[m_lo].position < position; ++m_lo) {
            if (m_lo < m_hi && --m_count[size_t(m_matches[m_lo].term)] == 0)
                --m_distinct;
        }
        m_hi = qMax(m_hi, m_lo);
        const qint64 end = qint64(position) + m_window;
        for (; m_hi < m_matches.size() && m_matches[m_hi].position < end; ++m_hi) {
            if (m_count[size_t(m_matches[m_hi].term)]++ == 0)
                ++m_distinct;
        }
        const int first = m_matches[m_lo].position;
        const int lastEnd = m_matches[m_hi - 1].position + m_matches[m_hi - 1].size;
        qint64 at = first - (m_window - (lastEnd - first)) / 2;
        if (at + m_window > m_tokens)
            at = m_tokens - m_window;
        *start = int(qMax<qint64>(0, at));
        return 1000 * m_distinct + int(m_hi - m_lo) - m_distinct;
    }

private:
    const std::vector<SnippetColumn::Match> &m_matches;
    const int m_window;
    const int m_tokens;
    std::vector<int> &m_count; // per term, its matches in the window
    size_t m_lo = 0;           // the window's matches: [m_lo, m_hi)
    size_t m_hi = 0;
    int m_distinct = 0;
};

// Matches that overlap merged into one marked range [start, end] (token indexes, inclusive).
struct Range
{
    int start = -1;
    int end = -1;
};

std::vector<Range> markedRanges(const SnippetColumn &c)
{
    std::vector<Range> out;
    for (const SnippetColumn::Match &m : c.matches) {
        const int end = m.position + m.size - 1;
        if (!out.empty() && m.position <= out.back().end)
            out.back().end = qMax(out.back().end, end);
        else
            out.push_back({m.position, end});
    }
    return out;
}

QString render(const SnippetColumn &c, int from, int window, bool *marked)
{
    const auto &tokens = c.tokens;
    const int count = int(tokens.size());
    const int last = from + window - 1;
    const char *text = c.text.data();
    QByteArray out;
    out.reserve(qMin<qsizetype>(c.text.size(), 400) + 16);
    if (from > 0)
        out += kEllipsis;
    const std::vector<Range> ranges = markedRanges(c);
    auto range = std::find_if(ranges.begin(), ranges.end(), [from](const Range &r) { return r.start >= from; });
    int copied = 0; // bytes of the text written so far
    auto copyTo = [&](int offset) {
        out.append(text + copied, offset - copied);
        copied = offset;
    };
    for (int i = from; i <= last && i < count; ++i) {
        const SnippetColumn::Token &t = tokens[size_t(i)];
        if (from > 0 && i == from)
            copied = t.start;
        const bool inRange = range != ranges.end();
        if (inRange && i == range->start) {
            copyTo(t.start);
            out += kOpen;
            if (marked)
                *marked = true;
        }
        if (inRange && i == range->end) {
            copyTo(t.end);
            out += kClose;
            ++range;
        }
        if (i == last) {
            copyTo(t.end);
            if (range != ranges.end() && i >= range->start && i < range->end)
                out += kClose; // a phrase cut by the window's end
        }
    }
    if (last >= count - 1)
        copyTo(int(c.text.size()));
    else
        out += kEllipsis;
    return QString::fromUtf8(out);
}

} // namespace

void SnippetTerms::add(std::vector<QByteArray> tokens, bool prefix)
{
    if (tokens.empty() || std::any_of(tokens.begin(), tokens.end(), [](const QByteArray &t) { return t.isEmpty(); }))
        return; // nothing a token could match
    m_terms.push_back({int(m_slots.size()), int(tokens.size())});
    for (size_t j = 0; j < tokens.size(); ++j) {
        const bool isPrefix = prefix && j == tokens.size() - 1;
        const qsizetype size = tokens[j].size();
        if (isPrefix)
            m_minPrefix = qMin(m_minPrefix, int(size));
        else if (size < 64)
            m_exactSizes |= quint64(1) << size;
        else
            m_longSlots = true;
        m_firstBytes[uchar(tokens[j][0])] = true;
        m_slots.push_back({std::move(tokens[j]), isPrefix});
    }
}

SnippetTerms snippetTerms(const ParsedQuery &query, const FtsTokenizer &tokenizer)
{
    SnippetTerms terms;
    for (const Clause &c : query.must) {
        for (const Atom &a : c.anyOf) {
            if (a.field == Field::Cc || a.field == Field::Filename)
                continue;
            // As atomExpression() (sqlplan.cpp) matches them: CJK characters one a token, as the
            // snippet's text (emails_fts_cjk) holds them.
            terms.add(tokenizer.folded(indexedText(a.text).toUtf8()), matchesAsPrefix(a));
        }
    }
    return terms;
}

void matchColumn(SnippetColumn &column, QByteArrayView text, const SnippetTerms &terms, const FtsTokenizer &tokenizer)
{
    column.text = text;
    column.tokens.clear();
    column.matches.clear();
    column.slotTokens.clear();
    column.slotMasks.clear();
    const int words = int(qMax<size_t>(1, (terms.m_slots.size() + 63) / 64));
    column.slotWords = words;
    if (terms.empty())
        return;
    column.tokens.reserve(size_t(text.size() / 5 + 4));
    const SnippetTerms::Slot *slots = terms.m_slots.data();
    const int slotCount = int(terms.m_slots.size());
    // Inlined into the tokenizer's ASCII loop (GCC left it a call per token: 8 % of a hit's cost).
    tokenizer.tokenize(text, [&](int start, int end, QByteArrayView folded) __attribute__((always_inline)) {
        const int index = int(column.tokens.size());
        column.tokens.push_back({start, end});
        const qsizetype size = folded.size();
        if (size == 0 || !terms.m_firstBytes[uchar(folded[0])])
            return;
        if (size < terms.m_minPrefix && !(size < 64 ? (terms.m_exactSizes >> size) & 1 : terms.m_longSlots))
            return;
        bool any = false;
        for (int s = 0; s < slotCount; ++s) {
            const QByteArrayView token(slots[s].token);
            if (slots[s].prefix ? !folded.startsWith(token) : folded != token)
                continue;
            if (!any) {
                any = true;
                column.slotTokens.push_back(index);
                column.slotMasks.resize(column.slotMasks.size() + size_t(words), 0);
            }
            column.slotMasks[column.slotMasks.size() - size_t(words) + size_t(s / 64)] |= quint64(1) << (s % 64);
        }
    });
    // A term matches where its slots match consecutive tokens: consecutive entries here.
    const size_t found = column.slotTokens.size();
    auto has = [&](size_t entry, int slot) {
        return (column.slotMasks[entry * size_t(words) + size_t(slot / 64)] >> (slot % 64)) & 1;
    };
    for (size_t e = 0; e < found; ++e) {
        const int position = column.slotTokens[e];
        for (size_t k = 0; k < terms.m_terms.size(); ++k) {
            const SnippetTerms::Term &t = terms.m_terms[k];
            if (e + size_t(t.size) > found || column.slotTokens[e + size_t(t.size) - 1] != position + t.size - 1)
                continue;
            bool all = true;
            for (int j = 0; j < t.size && all; ++j)
                all = has(e + size_t(j), t.firstSlot + j);
            if (all)
                column.matches.push_back({position, int(k), t.size});
        }
    }
}

QString snippet(const SnippetColumn &column, bool *marked, int windowTokens)
{
    return bestSnippet({&column}, marked, windowTokens);
}

QString bestSnippet(const std::vector<const SnippetColumn *> &columns, bool *marked, int windowTokens)
{
    if (marked)
        *marked = false;
    if (columns.empty())
        return QString();
    int terms = 0;
    for (const SnippetColumn *c : columns)
        for (const SnippetColumn::Match &m : c->matches)
            terms = qMax(terms, m.term + 1);
    std::vector<int> count(size_t(terms), 0);
    int bestScore = 0;
    size_t bestColumn = 0;
    int bestStart = 0;
    for (size_t k = 0; k < columns.size(); ++k) {
        const SnippetColumn &c = *columns[k];
        if (c.matches.empty())
            continue;
        // FTS5 looks at sentences only in a column longer than the window.
        const bool sentences = int(c.tokens.size()) > windowTokens;
        SentenceFinder finder(c);
        SlidingWindow window(c, windowTokens, count);
        std::vector<int> seen(size_t(terms), 0);
        int scoredSentence = -1; // the last sentence window scored, and its score
        int sentenceScore = 0;
        for (const SnippetColumn::Match &m : c.matches) {
            int adjusted = 0;
            const int score = window.scoreAt(m.position, &adjusted);
            if (score > bestScore) {
                bestScore = score;
                bestColumn = k;
                bestStart = adjusted;
            }
            if (!sentences)
                continue;
            // The window from the start of the match's sentence, when it starts before the match.
            const int sentence = finder.startOf(m.position);
            if (sentence < m.position) {
                if (sentence != scoredSentence) {
                    scoredSentence = sentence;
                    sentenceScore = windowScore(c, sentence, windowTokens, seen) + (sentence == 0 ? 120 : 100);
                }
                if (sentenceScore > bestScore) {
                    bestScore = sentenceScore;
                    bestColumn = k;
                    bestStart = sentence;
                }
            }
        }
    }
    return render(*columns[bestColumn], bestStart, windowTokens, marked);
}

} // namespace emailrag::search
