#include "quotesplit.h"

#include <QRegularExpression>
#include <QStringList>

namespace emailrag::ingest {

namespace {

bool isQuoteLine(QStringView line)
{
    // ">" or "|" style quoting, possibly indented by a space.
    QStringView t = line;
    if (t.startsWith(QLatin1Char(' ')))
        t = t.mid(1);
    return t.startsWith(QLatin1Char('>'));
}

// A line that starts a block of history running to the end of the message.
bool startsHistory(QStringView line)
{
    const QStringView t = line.trimmed();
    if (t.size() < 8)
        return false;
    // Every alternative below starts with '-', '_' or "Begin": skip the regex for other lines
    // (it ran on every line of every body and was most of this function's time).
    const QChar c = t.front();
    if (c != QLatin1Char('-') && c != QLatin1Char('_') && c != QLatin1Char('B') && c != QLatin1Char('b'))
        return false;
    static const QRegularExpression re(QStringLiteral(
        "^(-{3,}\\s*(Original Message|Forwarded message|Ursprüngliche Nachricht|Message d'origine|Mensaje original)\\s*-{3,}"
        "|-{5,} Forwarded by .*-{3,}"
        "|_{10,}$"
        "|Begin forwarded message:"
        "|-{3,}\\s*Original Message\\s*-{0,})"),
        QRegularExpression::CaseInsensitiveOption);
    return re.match(t).hasMatch();
}

// "On Tue, 1 Apr 1997, X wrote:" (may be wrapped over two lines) or "X <y> writes:".
bool isAttribution(QStringView line)
{
    const QStringView t = line.trimmed();
    return (t.endsWith(QLatin1String("wrote:")) || t.endsWith(QLatin1String("writes:"))
            || t.endsWith(QLatin1String("schrieb:")) || t.endsWith(QLatin1String("a écrit :")))
        && t.size() < 200;
}

// Joins lines with '\n' into one string sized once.
QString joinLines(const QList<QStringView> &lines)
{
    qsizetype size = lines.size();
    for (const QStringView l : lines)
        size += l.size();
    QString out;
    out.reserve(size);
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (i > 0)
            out += QLatin1Char('\n');
        out += lines[i];
    }
    return out;
}

} // namespace

SplitText splitQuoted(const QString &text)
{
    SplitText out;
    // Views into `text`, joined once at the end: a QString per line was most of this function's
    // allocations (every line of every body).
    QList<QStringView> body;
    QList<QStringView> quoted;
    const QList<QStringView> lines = QStringView(text).split(QLatin1Char('\n'));
    body.reserve(lines.size());
    bool history = false;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QStringView line = lines[i];
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        if (!history && (line == QLatin1String("-- ") || (line == QLatin1String("--") && lines.size() - i <= 12) || startsHistory(line)))
            history = true; // signature or forwarded/original block: the rest is not new text
        if (history || isQuoteLine(line)) {
            quoted << line;
            continue;
        }
        if (isAttribution(line)) {
            // The attribution belongs to the quote that follows it (allow blank lines between).
            qsizetype j = i + 1;
            while (j < lines.size() && lines[j].trimmed().isEmpty())
                ++j;
            if (j >= lines.size() || isQuoteLine(lines[j])) {
                // Attributions are often wrapped: pull a preceding "On ..." line along.
                if (!body.isEmpty() && body.last().trimmed().startsWith(QLatin1String("On ")))
                    quoted << body.takeLast();
                quoted << line;
                continue;
            }
        }
        body << line;
    }
    out.body = joinLines(body).trimmed();
    out.quoted = joinLines(quoted).trimmed();
    return out;
}

} // namespace emailrag::ingest
