#include "tokenizer.h"

#include <QSet>

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
    int line = 0;
    int wordLine = 0;
    auto flush = [&] {
        if (current.size() >= 2 && current.size() <= 24 && !isFunctionWord(current))
            word(current, wordLine);
        current.clear();
    };
    const QChar *p = text.constData();
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = p[i];
        if (c.isLetter()) {
            if (current.isEmpty())
                wordLine = line;
            current += c.toLower();
        } else {
            if (!current.isEmpty())
                flush();
            if (c == QLatin1Char('\n'))
                ++line;
        }
    }
    if (!current.isEmpty())
        flush();
}

} // namespace emailrag::embed
