#pragma once

#include <QList>
#include <QSet>
#include <QSqlDatabase>
#include <QStringList>

namespace emailrag::search {

// Pseudo-relevance feedback, the built-in "semantic" step that needs no model: the words that
// best characterise the top lexical hits (frequent in them, rare in the whole index, by the
// emails_fts_vocab document counts of migration 030) are added to the query as optional terms.
// Runs on the calling thread over a connection it owns; an empty list on error (logged).
QStringList expansionTerms(QSqlDatabase &db, qint64 userId, const QList<qint64> &topIds,
                           const QSet<QString> &queryWords, int count);

} // namespace emailrag::search
