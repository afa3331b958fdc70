#include "richtext.h"

#include <QLocale>
#include <QRegularExpression>
#include <QStringList>
#include <QUrl>

namespace emailrag::ui::richtext {

namespace {
const QChar kOpen(0x00AB);  // «
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

QString bodyToHtml(const QString &body, const QString &passage, bool *found)
{
    if (found)
        *found = false;
    const QString trimmed = passage.simplified();
    qsizetype start = -1, length = 0;
    if (!trimmed.isEmpty()) {
        start = body.indexOf(trimmed);
        length = trimmed.size();
        if (start < 0) {
            // The passage may have been re-wrapped or had its whitespace collapsed: match the
            // words in order with any whitespace between them.
            QStringList words = trimmed.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            for (QString &w : words)
                w = QRegularExpression::escape(w);
            const QRegularExpression re(words.join(QStringLiteral("\\s+")),
                                        QRegularExpression::CaseInsensitiveOption);
            const auto m = re.match(body);
            if (m.hasMatch()) {
                start = m.capturedStart();
                length = m.capturedLength();
            }
        }
    }
    if (start < 0)
        return paragraphs(body.toHtmlEscaped());
    if (found)
        *found = true;
    return paragraphs(body.left(start).toHtmlEscaped())
           + QStringLiteral("<a name=\"cited\"></a><span class=\"cited\" style=\"background-color:#ffe27a; color:#000000;\">")
           + paragraphs(body.mid(start, length).toHtmlEscaped()) + QStringLiteral("</span>")
           + paragraphs(body.mid(start + length).toHtmlEscaped());
}

QString formatSize(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace emailrag::ui::richtext
