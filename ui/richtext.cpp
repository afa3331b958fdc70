#include "richtext.h"

#include <QLocale>
#include <QRegularExpression>
#include <QStringList>
#include <QUrl>

#include <algorithm>

namespace emailrag::ui::richtext {

namespace {
const QChar kOpen(0x00AB); // «
const QChar kClose(0x00BB); // »

QString paragraphs(const QString &escaped)
{
    QString out = escaped;
    out.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    out.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    return out;
}
} // namespace

QString snippetToHtml(const QString &snippet)
{
    QString out;
    out.reserve(snippet.size() + 32);
    QString run;
    bool inTerm = false;
    auto flush = [&] {
        const QString e = run.toHtmlEscaped();
        out += inTerm ? QStringLiteral("<b>") + e + QStringLiteral("</b>") : e;
        run.clear();
    };
    for (const QChar c : snippet) {
        if (c == kOpen && !inTerm) {
            flush();
            inTerm = true;
        } else if (c == kClose && inTerm) {
            flush();
            inTerm = false;
        } else {
            run += c;
        }
    }
    flush();
    return out;
}

QString snippetToPlain(const QString &snippet)
{
    QString s = snippet;
    s.remove(kOpen);
    s.remove(kClose);
    return s;
}

QString answerToHtml(const QString &answer, int sourceCount, int row)
{
    static const QRegularExpression cite(QStringLiteral("\\[(\\d{1,3})\\]"));
    QString out;
    qsizetype last = 0;
    auto it = cite.globalMatch(answer);
    while (it.hasNext()) {
        const auto m = it.next();
        const int n = m.captured(1).toInt();
        out += answer.mid(last, m.capturedStart() - last).toHtmlEscaped();
        if (n >= 1 && n <= sourceCount)
            out += QStringLiteral("<a href=\"%1:%2/%3\">[%3]</a>").arg(QLatin1String(kCiteScheme)).arg(row).arg(n);
        else
            out += m.captured(0).toHtmlEscaped();
        last = m.capturedEnd();
    }
    out += answer.mid(last).toHtmlEscaped();
    return paragraphs(out);
}

bool parseCitation(const QUrl &url, int *row, int *number)
{
    if (url.scheme() != QLatin1String(kCiteScheme))
        return false;
    const QStringList parts = url.path().split(QLatin1Char('/'));
    if (parts.size() != 2)
        return false;
    bool ok1 = false, ok2 = false;
    *row = parts[0].toInt(&ok1);
    *number = parts[1].toInt(&ok2);
    return ok1 && ok2 && *row >= 0 && *number >= 1;
}

namespace {
// Where `fragment` occurs in `body`: exactly, else word by word with any whitespace between
// (the passage may have been re-wrapped or had its whitespace collapsed).
std::pair<qsizetype, qsizetype> findFragment(const QString &body, const QString &fragment)
{
    const QString f = fragment.simplified();
    if (f.isEmpty())
        return { -1, 0 };
    const qsizetype exact = body.indexOf(f);
    if (exact >= 0)
        return { exact, f.size() };
    QStringList words = f.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (QString &w : words)
        w = QRegularExpression::escape(w);
    const QRegularExpression re(words.join(QStringLiteral("\\s+")), QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(body);
    if (m.hasMatch())
        return { m.capturedStart(), m.capturedLength() };
    return { -1, 0 };
}
} // namespace

QString reflow(const QString &text)
{
    QString normalised = text;
    normalised.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    normalised.replace(QLatin1Char('\r'), QLatin1Char('\n'));
    const QStringList lines = normalised.split(QLatin1Char('\n'));
    static const QRegularExpression listItem(QStringLiteral("^\\s*([-*+•]|\\d+[.)])\\s"));
    auto prose = [](const QString &line) {
        return !line.trimmed().isEmpty() && !line.startsWith(QLatin1Char('>')) && !line.at(0).isSpace();
    };
    static const QRegularExpression signatureSeparator(QStringLiteral("^(-- ?|[-_=]{2,})\\s*$"));
    QString out;
    bool inSignature = false; // a signature keeps its lines as they are
    for (int i = 0; i < lines.size(); ++i) {
        out += lines[i];
        if (i + 1 == lines.size())
            break;
        const QString &cur = lines[i];
        inSignature = inSignature || signatureSeparator.match(cur).hasMatch();
        if (inSignature) {
            out += QLatin1Char('\n');
            continue;
        }
        const QString &next = lines[i + 1];
        const bool join = prose(cur) && prose(next) && cur.size() >= 40 && !cur.endsWith(QLatin1Char(':'))
            && !listItem.match(next).hasMatch() && !next.startsWith(QLatin1String("--"))
            && !cur.trimmed().startsWith(QLatin1String("--"));
        out += join ? QStringLiteral(" ") : QStringLiteral("\n");
    }
    return out;
}

QString bodyToHtml(const QString &rawBody, const QString &passage, bool *found)
{
    const QString body = reflow(rawBody);
    // A passage may be several cited sentences, one per line, not adjacent in the email: each is
    // looked up on its own; a line that is not found as a whole is tried sentence by sentence.
    QList<std::pair<qsizetype, qsizetype>> ranges;
    static const QRegularExpression sentenceEnd(QStringLiteral("(?<=[.!?])\\s+"));
    for (const QString &line : passage.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        auto r = findFragment(body, line);
        if (r.first >= 0) {
            ranges << r;
            continue;
        }
        for (const QString &sentence : line.split(sentenceEnd, Qt::SkipEmptyParts)) {
            r = findFragment(body, sentence);
            if (r.first >= 0 && sentence.simplified().size() >= 12)
                ranges << r;
        }
    }
    std::sort(ranges.begin(), ranges.end());
    QString out;
    qsizetype pos = 0;
    bool first = true;
    for (const auto &[start, length] : std::as_const(ranges)) {
        if (start < pos)
            continue; // overlaps the previous one
        out += paragraphs(body.mid(pos, start - pos).toHtmlEscaped());
        if (first)
            out += QStringLiteral("<a name=\"cited\"></a>");
        first = false;
        out += QStringLiteral("<span class=\"cited\" style=\"background-color:#ffe27a; color:#000000;\">")
            + paragraphs(body.mid(start, length).toHtmlEscaped()) + QStringLiteral("</span>");
        pos = start + length;
    }
    out += paragraphs(body.mid(pos).toHtmlEscaped());
    if (found)
        *found = !first;
    return out;
}

QString formatSize(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace emailrag::ui::richtext
