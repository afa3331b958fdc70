// The essential-terms first stage (essentialterms.h, rankRows): an any-term plan's first stage run
// on the rows holding a rarer word only must give exactly the plan's own answer — the same rows,
// the same bm25 values — whether its proof holds (answer kept) or not (the plan runs as written).
// Each case ranks with the rewrite allowed and with it turned off, and compares.
#include "essentialterms.h"
#include "queryparser.h"
#include "searchfixture.h"
#include "sqlplan.h"

#include <QTest>

using namespace emailrag;
using namespace emailrag::search;

class TestEssentialTerms : public QObject
{
    Q_OBJECT

private:
    test::SearchFixture m_fx;
    qint64 m_user = 0;
    qint64 m_other = 0;
    const QDateTime m_start = QDateTime(QDate(2020, 1, 1), QTime(12, 0), Qt::UTC);

    SqlPlan plan(const QString &query, qint64 user, int limit, bool essential)
    {
        auto parsed = QueryParser(m_start.addDays(2000)).parse(query);
        SqlPlan p = buildPlan(
            std::get<ParsedQuery>(parsed), user, Matching::AnyTerm, m_start.addDays(1000).toSecsSinceEpoch(), limit);
        p.essentialMaxBound = essential ? 100.0 : 0.0;
        p.essentialMinRowsLeftOut = 0;
        return p;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_fx.isValid());
        m_user = m_fx.addUser(QStringLiteral("carol"));
        m_other = m_fx.addUser(QStringLiteral("dave"));
        // Of 4,000 emails: "common" in 1,600 (low IDF); "strong" in 600 subjects (high scores);
        // "weak" once in 450 long bodies (low scores); "middle" in 1,000 bodies; 2,000 hold none.
        for (int i = 0; i < 2000; ++i) {
            test::FixtureEmail e;
            e.subject = QStringLiteral("other %1").arg(i);
            e.body = QStringLiteral("unrelated filler text");
            e.date = m_start.addDays(i % 900);
            m_fx.addEmail(m_other, e);
        }
        for (int i = 0; i < 2000; ++i) {
            test::FixtureEmail e;
            e.subject
                = i % 3 == 0 && i < 1800 ? QStringLiteral("strong news %1").arg(i) : QStringLiteral("note %1").arg(i);
            QString body = QStringLiteral("filler text words here ").repeated(1 + i % 9);
            if (i % 5 != 0)
                body += QStringLiteral(" common");
            if (i % 2 == 0)
                body += QStringLiteral(" middle");
            if (i % 4 == 1 && i < 1800)
                body += QStringLiteral(" weak") + QStringLiteral(" padding").repeated(40);
            e.body = body;
            e.date = m_start.addDays(i % 900);
            m_fx.addEmail(i % 10 == 9 ? m_other : m_user, e);
        }
    }

    void essentialPlanLayout()
    {
        const SqlPlan p = plan(QStringLiteral("find strong common news"), m_user, 20, true);
        QCOMPARE(p.anyTerms.size(), 3);
        QCOMPARE(matchRequiring(p, {}), p.match); // the parts compose the match as written
        const QStringList phrases = phrasesOf(p.match);
        const std::vector<double> idf { 1.0, 0.1, 2.0 };
        const std::vector<qint64> counts { 600, 4000, 600 };
        const auto e = essentialPlan(p, idf, counts, 1.0, 0, 400); // room for "common" only
        QVERIFY(e.has_value());
        QCOMPARE(e->match, QStringLiteral("(\"strong\" OR \"news\") AND (\"strong\" OR \"common\" OR \"news\")"));
        // the required copies score nothing; the plan's own phrases keep their IDFs, in order
        QCOMPARE(e->idf, (std::vector<double> { 0.0, 0.0, 1.0, 0.1, 2.0 }));
        QCOMPARE(e->bound, 2.2 * 0.1);
        QCOMPARE(e->rowsLeftOut, 4000);
        // too few rows left out, a bound too low, or too few essential rows: no rewrite
        // a larger bound leaves out the commonest words first, as many as it allows
        const auto two = essentialPlan(p, idf, counts, 3.0, 0, 400);
        QVERIFY(two.has_value());
        QCOMPARE(two->match, QStringLiteral("\"news\" AND (\"strong\" OR \"common\" OR \"news\")"));
        QCOMPARE(two->rowsLeftOut, 4600);
        // too few rows left out, a bound too low, too few essential rows or too many: no rewrite
        QVERIFY(!essentialPlan(p, idf, counts, 1.0, 5000, 400));
        QVERIFY(!essentialPlan(p, idf, { 600, 1000, 600 }, 1.0, 0, 400));
        QVERIFY(!essentialPlan(p, idf, counts, 0.1, 0, 400));
        QVERIFY(!essentialPlan(p, idf, counts, 1.0, 0, 1300));
        QVERIFY(!essentialPlan(p, { 1.0, 0.1 }, counts, 1.0, 0, 400)); // not this plan's phrases
    }

    void sameAnswer_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("limit");
        QTest::addColumn<bool>("fillUp");
        QTest::addColumn<bool>("taken"); // the proof is expected to hold
        QTest::newRow("proven") << "strong common" << 20 << false << true;
        QTest::newRow("proven, fill-up pass") << "strong common" << 50 << true << true;
        QTest::newRow("not proven: weak rows") << "weak middle" << 20 << false << false;
        QTest::newRow("not proven, fill-up pass") << "weak middle" << 50 << true << false;
        QTest::newRow("excluded word") << "strong common -padding" << 20 << false << true;
        QTest::newRow("date filter") << "strong common after:2020-02-01" << 20 << false << false;
    }

    void sameAnswer()
    {
        QFETCH(QString, query);
        QFETCH(int, limit);
        QFETCH(bool, fillUp);
        QFETCH(bool, taken);
        RankStats with;
        RankStats without;
        const auto a = rankRows(m_fx.db(), plan(query, m_user, limit, true), limit, fillUp, &with);
        const auto b = rankRows(m_fx.db(), plan(query, m_user, limit, false), limit, fillUp, &without);
        QVERIFY(a && b);
        QVERIFY(!without.essentialTried);
        // tried unless a filter leaves too few emails (the date filter here)
        QCOMPARE(with.essentialTried, !query.contains(QStringLiteral("after:")));
        QCOMPARE(with.essentialTaken, taken);
        QCOMPARE(a->size(), b->size());
        QVERIFY(!a->isEmpty());
        for (qsizetype i = 0; i < a->size(); ++i) {
            QCOMPARE(a->at(i).id, b->at(i).id);
            QCOMPARE(a->at(i).bm25, b->at(i).bm25); // bit for bit: the copies add exactly 0
            QCOMPARE(a->at(i).prior, b->at(i).prior);
        }
        if (taken)
            QVERIFY(with.scored + with.pruned < without.scored + without.pruned); // fewer rows walked
    }
};

QTEST_GUILESS_MAIN(TestEssentialTerms)
#include "tst_essentialterms.moc"
