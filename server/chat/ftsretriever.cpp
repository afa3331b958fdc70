#include "ftsretriever.h"

#include "dbworker.h"
#include "textutil.h"

#include <QSqlQuery>

namespace emailrag::chat {

QString FtsRetriever::matchExpression(const QString &query)
{
    QStringList parts;
    for (QString t : text::contentTerms(query)) {
        t.replace(QLatin1Char('"'), QString());
        if (!t.isEmpty())
            parts << QLatin1Char('"') + t + QLatin1Char('"');
    }
    return parts.join(QStringLiteral(" OR "));
}

QFuture<QList<RetrievalHit>> FtsRetriever::retrieve(qint64 userId, const QString &query, int limit)
{
    const QString match = matchExpression(query);
    return m_worker.run([userId, match, limit](QSqlDatabase &db) {
        QList<RetrievalHit> hits;
        if (match.isEmpty())
            return hits;
        QSqlQuery q(db);
        q.setForwardOnly(true);
        // bm25 weights: subject, sender, recipients, body, quoted, attachments.
        const QString sql = QStringLiteral(
            "SELECT e.id, bm25(emails_fts, 4.0, 3.0, 1.0, 1.5, 0.2, 0.5) AS r FROM emails_fts "
            "JOIN emails e ON e.id = emails_fts.rowid "
            "WHERE emails_fts MATCH ? AND e.user_id = ? ORDER BY r LIMIT ?");
        if (!storage::Database::exec(q, sql, {match, userId, limit}))
            return hits;
        while (q.next()) {
            // bm25 is negative, more negative is better: map to a positive score.
            hits << RetrievalHit{q.value(0).toLongLong(), -q.value(1).toDouble()};
        }
        const double best = hits.isEmpty() ? 1.0 : std::max(hits.first().score, 1e-9);
        for (RetrievalHit &h : hits)
            h.score = std::clamp(h.score / best, 0.0, 1.0);
        return hits;
    });
}

} // namespace emailrag::chat
