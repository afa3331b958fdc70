#include "searcher.h"

#include "database.h"
#include "queryparser.h"

#include <QElapsedTimer>
#include <QSet>
#include <QSqlQuery>

namespace emailrag::search {

using storage::Database;

namespace {

constexpr double kScoreHalf = 10.0; // the per-term bm25 at which relevance is 0.5 (docs/search.md)

SearchError dbError()
{
    SearchError e;
    e.code = SearchError::Code::Database;
    e.message = QStringLiteral("The search could not read the database");
    return e;
}

QString formatFrom(const QString &name, const QString &addr)
{
    if (name.isEmpty())
        return addr;
    if (addr.isEmpty())
        return name;
    return QStringLiteral("%1 <%2>").arg(name, addr);
}

QString plainSnippet(const QString &body)
{
    QString s = body.simplified();
    if (s.size() > 200) {
        s.truncate(200);
        const int space = s.lastIndexOf(QLatin1Char(' '));
        if (space > 150)
            s.truncate(space);
        s += QStringLiteral("…");
    }
    return s;
}

} // namespace

double scoreFromBm25(double weightedBm25, int positiveAtoms)
{
    const double x = -weightedBm25 / qMax(1, positiveAtoms);
    if (x <= 0)
        return 0.0;
    return x / (x + kScoreHalf);
}

Searcher::Searcher(QSqlDatabase db)
    : m_db(std::move(db))
{
}

qint64 Searcher::newestDate(qint64 userId)
{
    QSqlQuery q(m_db);
    if (!Database::exec(q, QStringLiteral("SELECT MAX(date_utc) FROM emails WHERE user_id = ?"), {userId}))
        return 0;
    return q.next() ? q.value(0).toLongLong() : 0;
}

std::variant<SearchSummary, SearchError> Searcher::run(qint64 userId, const SearchRequest &request,
                                                       const HitSink &onHit, const std::atomic_bool *cancel)
{
    QElapsedTimer timer;
    timer.start();
    auto cancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };

    const QueryParser parser(request.now);
    auto parsed = parser.parse(request.query);
    if (auto *e = std::get_if<SearchError>(&parsed))
        return *e;
    const ParsedQuery &pq = std::get<ParsedQuery>(parsed);

    const int limit = request.effectiveLimit();
    const qint64 newest = newestDate(userId);

    // Stages: the first is the query as read; later ones loosen it only to fill up a short list.
    QList<Matching> stages;
    bool anyFromRequest = false;
    int plainClauses = 0;
    for (const Clause &c : pq.must) {
        for (const Atom &a : c.anyOf)
            anyFromRequest = anyFromRequest || a.fromRequest;
        plainClauses += c.anyOf.constFirst().field == Field::Any ? 1 : 0;
    }
    if (pq.naturalLanguage) {
        stages << Matching::AnyTerm;
        if (anyFromRequest)
            stages << Matching::AnyTermLoose;
    } else {
        stages << Matching::AllTerms;
        if (plainClauses >= 2)
            stages << Matching::AnyTerm;
    }

    SearchSummary summary;
    QSet<qint64> seenIds;
    QSet<QString> seenThreads;
    double lastScore = 1.0;

    QSqlQuery detailFts(m_db);
    QSqlQuery detailPlain(m_db);
    bool detailFtsReady = false;
    bool detailPlainReady = false;

    for (int s = 0; s < stages.size(); ++s) {
        if (summary.totalResults >= limit)
            break;
        if (s > 0 && pq.naturalLanguage && summary.totalResults > 0)
            break; // the loose reading of a request only runs when the request found nothing
        const SqlPlan plan = buildPlan(pq, userId, stages[s], newest,
                                       request.oneHitPerThread ? -1 : limit + seenIds.size(), m_weights);
        if (s > 0 && stages[s] != Matching::AllTerms) {
            const SqlPlan previous = buildPlan(pq, userId, stages[s - 1], newest, 1, m_weights);
            if (previous.match == plan.match)
                continue; // loosening changed nothing
        }
        QSqlQuery rank(m_db);
        rank.setForwardOnly(true);
        if (!Database::exec(rank, plan.sql, plan.values))
            return dbError();
        while (rank.next()) {
            if (cancelled()) {
                SearchError e;
                e.code = SearchError::Code::Cancelled;
                e.message = QStringLiteral("Search cancelled");
                return e;
            }
            const qint64 id = rank.value(0).toLongLong();
            const QString thread = rank.value(1).toString();
            if (seenIds.contains(id))
                continue;
            if (request.oneHitPerThread && seenThreads.contains(thread))
                continue;
            seenIds.insert(id);
            seenThreads.insert(thread);

            SearchHit hit;
            hit.rowId = id;
            hit.emailId = emailIdFor(id);
            hit.threadId = thread;
            const double prior = rank.value(3).toDouble();
            double score = rank.value(2).isNull() ? 0.5 * prior
                                                  : scoreFromBm25(rank.value(2).toDouble() * prior, plan.positiveAtoms);
            if (s > 0)
                summary.relaxed = true;
            score = qMin(score, lastScore);
            lastScore = score;
            hit.score = score;

            QSqlQuery *detail = nullptr;
            if (!plan.highlight.isEmpty()) {
                if (!detailFtsReady) {
                    detailFtsReady = detailFts.prepare(QStringLiteral(
                        "SELECT e.subject, e.from_name, e.from_addr, e.date_utc, "
                        "snippet(emails_fts, 3, '«', '»', '…', 24), snippet(emails_fts, -1, '«', '»', '…', 24), "
                        "substr(e.body_text, 1, 400) "
                        "FROM emails_fts JOIN emails e ON e.id = emails_fts.rowid "
                        "WHERE emails_fts MATCH ? AND emails_fts.rowid = ? AND e.user_id = ?"));
                }
                detailFts.bindValue(0, plan.highlight);
                detailFts.bindValue(1, id);
                detailFts.bindValue(2, userId);
                if (detailFtsReady && Database::exec(detailFts) && detailFts.next())
                    detail = &detailFts;
            }
            if (!detail) {
                if (!detailPlainReady) {
                    detailPlainReady = detailPlain.prepare(QStringLiteral(
                        "SELECT e.subject, e.from_name, e.from_addr, e.date_utc, NULL, NULL, "
                        "substr(e.body_text, 1, 400) FROM emails e WHERE e.id = ? AND e.user_id = ?"));
                }
                detailPlain.bindValue(0, id);
                detailPlain.bindValue(1, userId);
                if (!detailPlainReady || !Database::exec(detailPlain) || !detailPlain.next())
                    return dbError();
                detail = &detailPlain;
            }
            hit.subject = detail->value(0).toString();
            hit.from = formatFrom(detail->value(1).toString(), detail->value(2).toString());
            if (!detail->value(3).isNull())
                hit.date = isoUtc(detail->value(3).toLongLong());
            const QString bodySnippet = detail->value(4).toString();
            const QString anySnippet = detail->value(5).toString();
            if (bodySnippet.contains(QStringLiteral("«")))
                hit.snippet = bodySnippet;
            else if (anySnippet.contains(QStringLiteral("«")))
                hit.snippet = anySnippet;
            else
                hit.snippet = plainSnippet(detail->value(6).toString());
            detail->finish();

            hit.rank = ++summary.totalResults;
            if (summary.firstResultMs < 0)
                summary.firstResultMs = timer.elapsed();
            if (onHit)
                onHit(hit);
            if (summary.totalResults >= limit)
                break;
        }
    }
    summary.processingTimeMs = timer.elapsed();
    return summary;
}

QList<qint64> Searcher::matching(qint64 userId, const QString &query, const QList<qint64> &ids, const QDateTime &now)
{
    QList<qint64> out;
    if (ids.isEmpty())
        return out;
    const QueryParser parser(now);
    auto parsed = parser.parse(query);
    if (std::holds_alternative<SearchError>(parsed))
        return out;
    const ParsedQuery &pq = std::get<ParsedQuery>(parsed);
    const Matching m = pq.naturalLanguage ? Matching::AnyTerm : Matching::AllTerms;
    // Chunks keep the IN list well under SQLite's bound-parameter limit.
    for (qsizetype i = 0; i < ids.size(); i += 500) {
        const SqlPlan plan = buildPlan(pq, userId, m, 0, -1, m_weights, ids.mid(i, 500));
        QSqlQuery q(m_db);
        q.setForwardOnly(true);
        if (!Database::exec(q, plan.sql, plan.values))
            return {};
        while (q.next())
            out << q.value(0).toLongLong();
    }
    return out;
}

} // namespace emailrag::search
