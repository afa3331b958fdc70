#include "hitreader.h"

#include "queryparser.h"

namespace emailrag::search {

namespace {

enum Column { Subject, Sender, Recipients, Body, Quoted, Attachments };

QString formatFrom(const QString &name, const QString &addr)
{
    if (name.isEmpty())
        return addr;
    if (addr.isEmpty())
        return name;
    return name + QStringLiteral(" <") + addr + QLatin1Char('>');
}

// The first `chars` characters (code points, as SQLite's substr counts) of UTF-8 text.
QByteArrayView leadingChars(QByteArrayView utf8, int chars)
{
    qsizetype i = 0;
    for (int n = 0; i < utf8.size(); ++i) {
        if ((uchar(utf8[i]) & 0xC0) != 0x80 && n++ == chars)
            break;
    }
    return utf8.first(i);
}

QString plainSnippet(QByteArrayView body)
{
    QString s = QString::fromUtf8(leadingChars(body, 400)).simplified();
    if (s.size() > 200) {
        s.truncate(200);
        const qsizetype space = s.lastIndexOf(QLatin1Char(' '));
        if (space > 150)
            s.truncate(space);
        s += QStringLiteral("…");
    }
    return s;
}

} // namespace

HitReader::HitReader(const QSqlDatabase &db, qint64 userId, const ParsedQuery &query)
    : m_db(storage::sqliteHandle(db))
    , m_userId(userId)
    , m_tokenizer(m_db)
{
    m_terms = snippetTerms(query, m_tokenizer);
}

bool HitReader::read(qint64 rowId, SearchHit &hit)
{
    if (!m_rowReady) {
        // The body as the index holds it (CJK spaced: emails_fts_cjk) for the snippet; the stored
        // one for the start of the text.
        m_rowReady = m_row.prepare(m_db, "SELECT e.subject, e.from_name, e.from_addr, e.date_utc, e.body_text, c.body "
                                         "FROM emails e LEFT JOIN emails_fts_cjk c ON c.email_id = e.id "
                                         "WHERE e.id = ?1 AND e.user_id = ?2");
        if (!m_rowReady)
            return false;
    }
    m_row.bindInt(1, rowId);
    m_row.bindInt(2, m_userId);
    bool found = false;
    if (!m_row.step(&found) || !found)
        return false;
    hit.subject = QString::fromUtf8(m_row.columnView(0));
    hit.from = formatFrom(QString::fromUtf8(m_row.columnView(1)), QString::fromUtf8(m_row.columnView(2)));
    hit.date = m_row.columnIsNull(3) ? QString() : isoUtc(m_row.columnInt(3));
    const QByteArrayView body = m_row.columnView(4);

    bool marked = false;
    if (!m_terms.empty()) {
        SnippetColumn &indexed = m_columns[Body];
        matchColumn(indexed, m_row.columnIsNull(5) ? body : m_row.columnView(5), m_terms, m_tokenizer);
        if (indexed.hasMatch())
            hit.snippet = snippet(indexed, &marked);
        // The other columns (quoted history, attachments: the larger part of many emails) are
        // read and tokenized only when the new text marks nothing.
        if (!marked)
            hit.snippet = otherColumnsSnippet(rowId, &marked);
    }
    if (!marked)
        hit.snippet = plainSnippet(body);
    m_row.reset();
    return true;
}

QString HitReader::otherColumnsSnippet(qint64 rowId, bool *marked)
{
    *marked = false;
    if (!m_othersReady) {
        // The view gives each column's text exactly as it was indexed (migration 011).
        m_othersReady = m_others.prepare(m_db, "SELECT subject, sender, recipients, quoted, attachments "
                                               "FROM emails_fts_source WHERE id = ?1");
        if (!m_othersReady)
            return QString();
    }
    m_others.bindInt(1, rowId);
    bool found = false;
    if (!m_others.step(&found) || !found)
        return QString();
    const Column read[] = {Subject, Sender, Recipients, Quoted, Attachments};
    bool any = m_columns[Body].hasMatch();
    for (int i = 0; i < 5; ++i) {
        matchColumn(m_columns[read[i]], m_others.columnView(i), m_terms, m_tokenizer);
        any = any || m_columns[read[i]].hasMatch();
    }
    QString out;
    if (any)
        out = bestSnippet({&m_columns[Subject], &m_columns[Sender], &m_columns[Recipients], &m_columns[Body],
                           &m_columns[Quoted], &m_columns[Attachments]},
                          marked);
    m_others.reset();
    return out;
}

} // namespace emailrag::search
