#include "textutil.h"

#include <QRegularExpression>

namespace emailrag::chat::text {

namespace {

const QSet<QString> &stopWords()
{
    static const QSet<QString> words = [] {
        const char *list[] = {
            "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at",
            "be", "been", "before", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does",
            "doing", "down", "during", "each", "else", "ever", "few", "find", "for", "from", "get", "give", "got",
            "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in",
            "into", "is", "it", "its", "just", "know", "let", "like", "list", "me", "more", "most", "my", "no",
            "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "out", "over", "own",
            "please", "re", "same", "say", "said", "says", "she", "should", "show", "so", "some", "such",
            "summarize", "summarise", "summary", "tell", "than", "that", "the", "their", "them", "then", "there",
            "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "us", "very", "was",
            "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
            "would", "you", "your", "email", "emails", "mail", "mails", "message", "messages", "anything",
            "something", "fw", "fwd", "wrote", "write", "written", "send", "sent", "think", "thought", "want",
            "wanted", "regarding", "concerning", "mention", "mentioned", "discuss", "discussed",
        };
        QSet<QString> s;
        for (const char *w : list)
            s.insert(QString::fromLatin1(w));
        return s;
    }();
    return words;
}

bool isQuoteHeader(const QString &line)
{
    static const QRegularExpression wrote(QStringLiteral(R"(^\s*On .{3,200}wrote:\s*$)"));
    static const QRegularExpression original(
        QStringLiteral(R"(^\s*-{2,}\s*(Original Message|Forwarded by|Forwarded message|Begin forwarded message)[^\n]*$)"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression outlookHeader(QStringLiteral(R"(^\s*From:\s.+\s(Sent|on)\s?:?.*$)"));
    return wrote.match(line).hasMatch() || original.match(line).hasMatch() || outlookHeader.match(line).hasMatch();
}

} // namespace

QString stripQuotedAndSignature(const QString &body)
{
    const QStringList lines = body.split(QLatin1Char('\n'));
    QStringList kept;
    kept.reserve(lines.size());
    for (const QString &raw : lines) {
        QString line = raw;
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        if (line == QLatin1String("-- ") || line == QLatin1String("--"))
            break; // signature separator: the rest is signature
        if (isQuoteHeader(line))
            break; // everything below is the quoted or forwarded history
        if (line.trimmed().startsWith(QLatin1Char('>')))
            continue;
        kept << line;
    }
    while (!kept.isEmpty() && kept.last().trimmed().isEmpty())
        kept.removeLast();
    return kept.join(QLatin1Char('\n'));
}

QString normalizeWhitespace(const QString &s)
{
    return s.simplified();
}

QStringList splitSentences(const QString &body)
{
    QStringList out;
    // Paragraphs first: blank lines and bullet starts are hard breaks, single newlines are not
    // (mail is hard-wrapped at ~72 columns).
    static const QRegularExpression paraBreak(QStringLiteral(R"(\n\s*\n|\n\s*[-*•]\s+|\n\s*\d+[.)]\s+)"));
    const QStringList paragraphs = body.split(paraBreak, Qt::SkipEmptyParts);
    static const QRegularExpression sentenceEnd(QStringLiteral(R"((?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9]))"));
    for (const QString &p : paragraphs) {
        const QString para = p.simplified();
        if (para.isEmpty())
            continue;
        int start = 0;
        auto take = [&](int end) {
            QString s = para.mid(start, end - start).trimmed();
            while (s.size() > 400) {
                int cut = s.lastIndexOf(QLatin1Char(' '), 400);
                if (cut < 200)
                    cut = 400;
                out << s.left(cut).trimmed();
                s = s.mid(cut).trimmed();
            }
            if (!s.isEmpty())
                out << s;
        };
        QRegularExpressionMatchIterator it = sentenceEnd.globalMatch(para);
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            // "Mr. Smith", "e.g. this": do not split after a short abbreviation.
            const int wordStart = para.lastIndexOf(QLatin1Char(' '), m.capturedStart() - 1) + 1;
            const QString lastWord = para.mid(wordStart, m.capturedStart() - wordStart);
            static const QSet<QString> abbrev = {QStringLiteral("Mr."), QStringLiteral("Mrs."), QStringLiteral("Ms."),
                                                 QStringLiteral("Dr."), QStringLiteral("e.g."), QStringLiteral("i.e."),
                                                 QStringLiteral("Inc."), QStringLiteral("Corp."), QStringLiteral("vs."),
                                                 QStringLiteral("St."), QStringLiteral("No.")};
            if (abbrev.contains(lastWord))
                continue;
            take(m.capturedStart());
            start = m.capturedEnd();
        }
        take(para.size());
    }
    return out;
}

QString stem(const QString &word)
{
    QString w = word.toLower();
    if (w.size() <= 4)
        return w;
    static const char *suffixes[] = {"ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "s", "ly"};
    for (const char *suf : suffixes) {
        const QLatin1String s(suf);
        if (w.endsWith(s) && w.size() - s.size() >= 3) {
            w.chop(s.size());
            if (s == QLatin1String("ies"))
                w += QLatin1Char('y');
            break;
        }
    }
    return w;
}

QStringList contentTerms(const QString &s)
{
    static const QRegularExpression word(QStringLiteral(R"([\p{L}\p{N}][\p{L}\p{N}'._-]*[\p{L}\p{N}]|[\p{L}\p{N}])"));
    QStringList out;
    QSet<QString> seen;
    QRegularExpressionMatchIterator it = word.globalMatch(s);
    while (it.hasNext()) {
        QString w = it.next().captured().toLower();
        if (w.endsWith(QLatin1String("'s")))
            w.chop(2);
        if (w.size() < 2 || stopWords().contains(w) || seen.contains(w))
            continue;
        seen.insert(w);
        out << w;
    }
    return out;
}

bool looksLikeFollowUp(const QString &message)
{
    static const QRegularExpression anaphora(
        QStringLiteral(R"(\b(she|he|her|him|his|they|them|their|it|that|this|those|these|there|then|reply|replied|respond|responded|answer|answered|more|else|also|why|who)\b)"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression startsWithAnd(QStringLiteral(R"(^\s*(and|but|so|what about|how about)\b)"),
                                                  QRegularExpression::CaseInsensitiveOption);
    const int terms = int(contentTerms(message).size());
    return startsWithAnd.match(message).hasMatch() || terms <= 1
        || (terms <= 3 && anaphora.match(message).hasMatch());
}

bool asksForReply(const QString &message)
{
    static const QRegularExpression reply(QStringLiteral(R"(\b(repl(y|ied|ies)|respon(d|ded|se)|answer(ed)?|get back|said back)\b)"),
                                          QRegularExpression::CaseInsensitiveOption);
    return reply.match(message).hasMatch();
}

} // namespace emailrag::chat::text
