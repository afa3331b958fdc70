#pragma once

#include <QList>
#include <QString>

namespace emailrag::chat {

// Rewrites citations in streamed answer text: a [k] that names a retrieved source (1..sourceCount)
// becomes [n], n being the order in which the answer first cites that source, so the final
// `sources` list is 1..N without gaps; a citation naming no retrieved source is dropped. Accepts
// "[3]", "[3, 5]", "[3][5]", "[source 3]". Text that only looks like a bracket ("[sic]", "[a]") is
// kept. A piece ending inside a possible citation is held back until the next piece or flush().
// Plain value type, one per answer.
class CitationFilter
{
public:
    explicit CitationFilter(int sourceCount) : m_sourceCount(sourceCount) { }

    QString feed(const QString &piece);
    QString flush();

    // Retrieved source index (1-based) per answer number: cited().at(n - 1) is the source cited as [n].
    const QList<int> &cited() const { return m_cited; }
    int dropped() const { return m_dropped; }

private:
    QString rewrite(const QString &bracketBody, bool *isCitation);

    int m_sourceCount;
    QString m_pending;
    QList<int> m_cited;
    int m_dropped = 0;
};

} // namespace emailrag::chat
