#include "citationfilter.h"

#include <QRegularExpression>

namespace emailrag::chat {

namespace {
constexpr int kMaxBracket = 40; // a citation bracket is short; longer brackets are plain text
}

QString CitationFilter::rewrite(const QString &body, bool *isCitation)
{
    static const QRegularExpression citation(
        QStringLiteral(R"(^\s*(?:(?:source|src|doc|email)s?\s*#?\s*)?\d+(?:\s*[,;]\s*(?:(?:source|src|doc|email)\s*#?\s*)?\d+)*\s*$)"),
        QRegularExpression::CaseInsensitiveOption);
    *isCitation = citation.match(body).hasMatch();
    if (!*isCitation)
        return {};
    static const QRegularExpression number(QStringLiteral(R"(\d+)"));
    QString out;
    QRegularExpressionMatchIterator it = number.globalMatch(body);
    while (it.hasNext()) {
        bool ok = false;
        const int k = it.next().captured().toInt(&ok);
        if (!ok || k < 1 || k > m_sourceCount) {
            ++m_dropped;
            continue;
        }
        int n = int(m_cited.indexOf(k));
        if (n < 0) {
            m_cited << k;
            n = int(m_cited.size()) - 1;
        }
        const QString tag = QStringLiteral("[%1]").arg(n + 1);
        if (!out.contains(tag))
            out += tag;
    }
    return out;
}

QString CitationFilter::feed(const QString &piece)
{
    QString in = m_pending + piece;
    m_pending.clear();
    QString out;
    out.reserve(in.size());
    int i = 0;
    while (i < in.size()) {
        const QChar c = in.at(i);
        if (c != QLatin1Char('[')) {
            out += c;
            ++i;
            continue;
        }
        const int close = int(in.indexOf(QLatin1Char(']'), i + 1));
        if (close < 0) {
            if (in.size() - i <= kMaxBracket) {
                m_pending = in.mid(i); // may be a citation split across pieces
                return out;
            }
            out += c;
            ++i;
            continue;
        }
        if (close - i - 1 > kMaxBracket) {
            out += c;
            ++i;
            continue;
        }
        bool isCitation = false;
        const QString replaced = rewrite(in.mid(i + 1, close - i - 1), &isCitation);
        if (isCitation) {
            // A dropped citation leaves no double space behind.
            if (replaced.isEmpty() && out.endsWith(QLatin1Char(' '))
                && (close + 1 >= in.size() || in.at(close + 1).isSpace() || in.at(close + 1).isPunct()))
                out.chop(1);
            out += replaced;
        } else {
            out += in.mid(i, close - i + 1);
        }
        i = close + 1;
    }
    return out;
}

QString CitationFilter::flush()
{
    QString rest = m_pending;
    m_pending.clear();
    return rest; // an unterminated bracket at the very end is plain text
}

} // namespace emailrag::chat
