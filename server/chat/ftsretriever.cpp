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

namespace {

constexpr int kMaxTerms = 6;

// The question's words that are rare enough to rank by: document frequency from
// emails_fts_vocab (migration 030, shared with search; all users together, which only affects which words are kept), words found in
// more than 10% of the emails dropped unless nothing else is left, at most kMaxTerms, rarest first.
QStringList selectiveTerms(QSqlDatabase &db, const QStringList &terms)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    qint64 total = 0;
    if (storage::Database::exec(q, QStringLiteral("SELECT MAX(rowid) FROM emails_fts")) && q.next())
        total = q.value(0).toLongLong();
    QList<std::pair<qint64, QString>> withDf;
    for (const QString &t : terms) {
        qint64 df = 0;
        // The index folds case and diacritics; the vocabulary holds the folded form.
        if (storage::Database::exec(q, QStringLiteral("SELECT doc FROM emails_fts_vocab WHERE term = ?"), {t}) && q.next())
            df = q.value(0).toLongLong();
        if (df > 0)
            withDf.append({df, t});
    }
    std::stable_sort(withDf.begin(), withDf.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    QStringList out;
    for (const auto &[df, t] : withDf) {
        if (out.size() >= kMaxTerms || (df * 10 > total && !out.isEmpty()))
            break;
        out << t;
    }
    return out;
}

} // namespace

QFuture<QList<RetrievalHit>> FtsRetriever::retrieve(qint64 userId, const QString &query, int limit, qint64 candidateBudget)
{
    Q_UNUSED(candidateBudget);
    const QString full = matchExpression(query);
    return m_worker.run([userId, full, query, limit](QSqlDatabase &db) {
        QList<RetrievalHit> hits;
        if (full.isEmpty())
            return hits;
        QString match = full;
        const QStringList rare = selectiveTerms(db, text::contentTerms(query));
        if (!rare.isEmpty())
            match = matchExpression(rare.join(QLatin1Char(' ')));
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
