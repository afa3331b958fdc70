// The two-stage ranking plan (sqlplan.h rankRows): FTS5 keeps its best rows by bm25, only those
// are joined to emails. Its answer must always equal the full query's — with another user's mail
// taking the top rows, with a selective date filter, with few matches — so each case compares
// rankRows() with the one-stage SQL on the same data.
#include "queryparser.h"
#include "searchfixture.h"
#include "sqlplan.h"

#include <QSqlQuery>
#include <QTest>

using namespace emailrag;
using namespace emailrag::search;

class TestSqlPlan : public QObject
{
    Q_OBJECT

private:
    test::SearchFixture m_fx;
    qint64 m_anna = 0;
    qint64 m_bob = 0;
    const QDateTime m_start = QDateTime(QDate(2020, 1, 1), QTime(12, 0), Qt::UTC);

    QList<qint64> fullQuery(const SqlPlan &plan)
    {
        const auto rows = runPlan(m_fx.db(), plan);
        if (!rows)
            return {-1};
        QList<qint64> ids;
        for (const RankRow &r : *rows)
            ids << r.id;
        return ids;
    }

    SqlPlan plan(const QString &query, qint64 user, int limit)
    {
        auto parsed = QueryParser(m_start.addDays(2000)).parse(query);
        const ParsedQuery pq = std::get<ParsedQuery>(parsed);
        return buildPlan(pq, user, Matching::AllTerms, m_start.addDays(1000).toSecsSinceEpoch(), limit);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_fx.isValid());
        m_anna = m_fx.addUser(QStringLiteral("anna"));
        m_bob = m_fx.addUser(QStringLiteral("bob"));
        // Bob's 600 emails say "alpha" often (they hold every top bm25 row); Anna's 700 say it
        // once to seven times, over 700 days; "zeta" is in 30 of Anna's.
        for (int i = 0; i < 600; ++i) {
            test::FixtureEmail e;
            e.subject = QStringLiteral("alpha alpha report %1").arg(i);
            e.body = QStringLiteral("alpha alpha alpha alpha alpha alpha alpha alpha beta");
            e.date = m_start.addDays(i);
            m_fx.addEmail(m_bob, e);
        }
        for (int i = 0; i < 700; ++i) {
            test::FixtureEmail e;
            e.subject = QStringLiteral("note %1").arg(i);
            e.body = QStringLiteral("alpha ").repeated(1 + i % 7) + QStringLiteral("gamma delta epsilon ").repeated(1 + i % 5)
                + (i % 23 == 0 ? QStringLiteral("zeta") : QString());
            e.date = m_start.addDays(i);
            m_fx.addEmail(m_anna, e);
        }
    }

    void sameAsFullQuery_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<bool>("anna");
        QTest::addColumn<int>("limit");
        QTest::addColumn<int>("expected"); // rows the full query returns
        QTest::newRow("few matches, no filter") << "zeta" << true << 40 << 31;
        QTest::newRow("another user holds the top rows") << "alpha" << true << 50 << 50;
        QTest::newRow("selective date filter") << "alpha before:2020-01-20" << true << 50 << 19;
        QTest::newRow("date filter, many rows") << "alpha after:2020-06-01" << true << 100 << 100;
        QTest::newRow("few matches") << "zeta" << true << 50 << 31;
        QTest::newRow("nothing") << "alpha zeta" << false << 50 << 0;
    }

    void sameAsFullQuery()
    {
        QFETCH(QString, query);
        QFETCH(bool, anna);
        QFETCH(int, limit);
        QFETCH(int, expected);
        const SqlPlan p = plan(query, anna ? m_anna : m_bob, limit);
        // the two-stage form exists for every ranked query with a limit and no filter but dates
        QVERIFY(p.topK >= limit);
        QCOMPARE(p.allowedSql.isEmpty(), !query.contains(QLatin1Char(':')));
        const QList<qint64> full = fullQuery(p);
        QCOMPARE(full.size(), expected);
        const auto rows = rankRows(m_fx.db(), p, limit);
        QVERIFY(rows.has_value());
        QList<qint64> got;
        for (const RankRow &r : *rows) {
            QVERIFY(r.bm25.has_value());
            got << r.id;
        }
        QCOMPARE(got, full.mid(0, got.size() < limit ? full.size() : limit));
    }

    // Enough of the user's rows in the first stage: the best by bm25 × prior among the topK best
    // by bm25 (the prior may not pull up an email from beyond them).
    void ownMailRanksAmongTopByBm25()
    {
        const int limit = 50;
        const SqlPlan p = plan(QStringLiteral("alpha"), m_bob, limit);
        QVERIFY(p.topK >= limit);
        QSqlQuery q(m_fx.db());
        QVERIFY(storage::Database::exec(q, QStringLiteral(
            "SELECT rowid FROM emails_fts WHERE emails_fts MATCH '\"alpha\"' "
            "ORDER BY bm25(emails_fts, 6, 4, 1.5, 1, 0.15, 0.6) LIMIT ?"), {p.topK}));
        QSet<qint64> top;
        while (q.next())
            top.insert(q.value(0).toLongLong());
        const auto rows = rankRows(m_fx.db(), p, limit);
        QVERIFY(rows.has_value());
        QCOMPARE(rows->size(), limit);
        double last = -1e9;
        for (const RankRow &r : *rows) {
            QVERIFY(top.contains(r.id));
            const double score = *r.bm25 * r.prior;
            QVERIFY(score >= last); // best (most negative) first
            last = score;
        }
    }

    // A word in half the emails changes no bm25 score (its IDF is floored): it is left out of an
    // any-term match that has other words, and kept when it is all there is.
    void negligibleWordsLeftOut()
    {
        auto parsed = QueryParser(m_start.addDays(2000)).parse(QStringLiteral("alpha zeta"));
        const ParsedQuery pq = std::get<ParsedQuery>(parsed);
        const qint64 newest = m_start.addDays(1000).toSecsSinceEpoch();
        const SqlPlan with = buildPlan(pq, m_anna, Matching::AnyTerm, newest, 20, {}, {}, {}, {QStringLiteral("alpha")});
        QCOMPARE(with.match, QStringLiteral("\"zeta\""));
        const SqlPlan without = buildPlan(pq, m_anna, Matching::AnyTerm, newest, 20);
        QCOMPARE(without.match, QStringLiteral("(\"alpha\" OR \"zeta\")"));
        QCOMPARE(with.positiveAtoms, without.positiveAtoms); // scores stay comparable

        auto alone = QueryParser(m_start.addDays(2000)).parse(QStringLiteral("alpha"));
        const SqlPlan kept = buildPlan(std::get<ParsedQuery>(alone), m_anna, Matching::AnyTerm, newest, 20, {}, {}, {},
                                       {QStringLiteral("alpha")});
        QCOMPARE(kept.match, QStringLiteral("\"alpha\""));
        // Keyword queries (every word must match) keep every word.
        const SqlPlan all = buildPlan(pq, m_anna, Matching::AllTerms, newest, 20, {}, {}, {}, {QStringLiteral("alpha")});
        QVERIFY(all.match.contains(QStringLiteral("alpha")));
    }

    void filterOnlyPlanHasNoFirstStage()
    {
        const SqlPlan p = plan(QStringLiteral("after:2020-03-01"), m_anna, 20);
        QCOMPARE(p.topK, 0);
        const auto rows = rankRows(m_fx.db(), p, 20);
        QVERIFY(rows.has_value());
        QCOMPARE(rows->size(), 20);
        QVERIFY(!rows->constFirst().bm25.has_value());
    }
};

QTEST_GUILESS_MAIN(TestSqlPlan)
#include "tst_sqlplan.moc"
