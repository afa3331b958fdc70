#pragma once

#include "ftstokenizer.h"
#include "searchtypes.h"
#include "snippet.h"
#include "sqlitestatement.h"

#include <QSqlDatabase>

#include <array>

// Reads what a ranked hit shows — subject, sender, date — and makes its snippet (snippet.h):
// one lookup of the email's row by id, and a second (the other columns of the indexed text,
// attachments included) only when its new text holds none of the query's words. The snippet is
// the new text's, else the best column's, else the start of the new text.
// Thread: the connection's. Owner: Searcher::run, one per search. Failure: read() returns false
// on a database error or when the email is not the user's (logged by storage).
namespace emailrag::search {

struct ParsedQuery;

class HitReader
{
public:
    HitReader(const QSqlDatabase &db, qint64 userId, const ParsedQuery &query);

    // Fills the hit's subject, from, date and snippet from email `rowId`.
    bool read(qint64 rowId, SearchHit &hit);

private:
    QString otherColumnsSnippet(qint64 rowId, bool *marked);

    sqlite3 *m_db = nullptr;
    qint64 m_userId = 0;
    FtsTokenizer m_tokenizer;
    SnippetTerms m_terms;
    storage::SqliteStatement m_row;
    storage::SqliteStatement m_others;
    bool m_rowReady = false;
    bool m_othersReady = false;
    // The index's columns: subject, sender, recipients, body, quoted, attachments (their buffers
    // are reused from hit to hit).
    std::array<SnippetColumn, 6> m_columns;
};

} // namespace emailrag::search
