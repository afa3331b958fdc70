#include "tokenizer.h"

#include "ftstext.h"

#include <QSet>

#include <vector>

namespace emailrag::embed {

bool isFunctionWord(const QString &w)
{
    static const QSet<QString> words = [] {
        QSet<QString> s;
        const char *list[] = {
            "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from",
            "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those",
            "i", "me", "my", "we", "our", "us", "you", "your", "he", "him", "his", "she", "her", "they", "them",
            "their", "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "do", "does", "did",
            "have", "has", "had", "not", "no", "so", "than", "then", "there", "here", "can", "could", "will",
            "would", "should", "may", "might", "must", "shall", "about", "into", "over", "after", "before", "up",
            "down", "out", "off", "all", "any", "some", "also", "just", "only", "very", "more", "most", "other",
            "such", "same", "each", "both", "few", "own", "too", "again", "further", "once", "am", "re", "fw", "fwd",
            "subject", "date", "cc", "sent", "com", "www", "http", "https", "html", "org", "net", "mailto",
            "find", "show", "emails", "email", "mail", "messages", "message", "please", "thanks", "thank", "hi",
            "hello", "dear", "regards", "let", "know", "get", "got", "one", "two", "like"};
        for (const char *w : list)
            s.insert(QString::fromLatin1(w));
        return s;
    }();
    return words.contains(w);
}

void forEachWord(const QString &text, const std::function<void(const QString &, int)> &word)
{
    QString current;
    current.reserve(32);
    // The CJK run being read: `cjk` holds its characters, `starts` where each begins in it
    // (a character outside the BMP takes two QChars).
    QString cjk;
    std::vector<qsizetype> starts;
    int line = 0;
    int wordLine = 0;
    auto flush = [&] {
        if (current.size() >= 2 && current.size() <= 24 && !isFunctionWord(current))
            word(current, wordLine);
        current.clear();
    };
    auto flushCjk = [&] {
        if (starts.size() == 1)
            word(cjk, wordLine);
        for (size_t i = 0; i + 1 < starts.size(); ++i) {
            const qsizetype end = i + 2 < starts.size() ? starts[i + 2] : cjk.size();
            word(cjk.mid(starts[i], end - starts[i]), wordLine);
        }
        cjk.clear();
        starts.clear();
    };
    const QChar *p = text.constData();
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = p[i];
        if (c.unicode() < 0x3040) { // below every CJK range: the common case, as before
            if (!starts.empty())
                flushCjk();
            if (c.isLetter()) {
                if (current.isEmpty())
                    wordLine = line;
                current += c.toLower();
                continue;
            }
            if (!current.isEmpty())
                flush();
            if (c == QLatin1Char('\n'))
                ++line;
            continue;
        }
        const bool pair = c.isHighSurrogate() && i + 1 < n && p[i + 1].isLowSurrogate();
        const char32_t u = pair ? QChar::surrogateToUcs4(c, p[i + 1]) : c.unicode();
        if (ingest::isCjk(u)) {
            if (!current.isEmpty())
                flush();
            if (starts.empty())
                wordLine = line;
            starts.push_back(cjk.size());
            cjk += c;
            if (pair)
                cjk += p[++i];
            continue;
        }
        if (!starts.empty())
            flushCjk();
        if (QChar::isLetter(u)) {
            if (current.isEmpty())
                wordLine = line;
            if (pair) {
                const char32_t lower = QChar::toLower(u);
                current += QChar(QChar::highSurrogate(lower));
                current += QChar(QChar::lowSurrogate(lower));
                ++i;
            } else {
                current += c.toLower();
            }
        } else if (!current.isEmpty()) {
            flush();
        }
    }
    if (!current.isEmpty())
        flush();
    if (!starts.empty())
        flushCjk();
}

} // namespace emailrag::embed
