// SearchRequest::candidateBudget: a request's rarer words are taken from the rarest up while the
// emails holding them add up to the budget; the others only score. With a budget, an email that
// holds none of the rarer words drops out of a list the rarer words fill; without one, it ranks
// by its score as before. (The narrowing needs a store of 2,000 emails or more.)
#include "searchfixture.h"
#include "searcher.h"

#include <QTest>

using namespace emailrag;
using namespace emailrag::search;

class TestCandidateBudget : public QObject
{
    Q_OBJECT

private:
    test::SearchFixture m_fx;
    qint64 m_user = 0;
    QSet<qint64> m_alpha; // the 12 emails holding the rarest word
    QSet<qint64> m_beijing; // the same in Chinese: the 12 emails holding 北京

    QList<qint64> search(qint64 budget, const QString &query = QStringLiteral("messages about alpha beta gamma"))
    {
        Searcher searcher(m_fx.db());
        SearchRequest request;
        request.query = query;
        request.limit = 10;
        request.candidateBudget = budget;
        QList<qint64> ids;
        const auto result = searcher.run(m_user, request, [&ids](const SearchHit &h) { ids << h.rowId; });
        if (std::holds_alternative<SearchError>(result))
            return {-1};
        return ids;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_fx.isValid());
        m_user = m_fx.addUser(QStringLiteral("anna"));
        const QDateTime start(QDate(2021, 1, 1), QTime(9, 0), Qt::UTC);
        // 2,100 emails: "alpha" once in the body of 12; "beta" and "gamma" in the subject
        // (several times) of 60 and 80 others — each under 5 % of the store, so none is common.
        for (int i = 0; i < 2100; ++i) {
            test::FixtureEmail e;
            e.date = start.addSecs(3600 * i);
            e.subject = QStringLiteral("note %1").arg(i);
            e.body = QStringLiteral("plain words about the weather and lunch %1").arg(i % 17);
            if (i < 12)
                e.body += QStringLiteral(" alpha");
            else if (i < 72)
                e.subject = QStringLiteral("beta beta beta report");
            else if (i < 152)
                e.subject = QStringLiteral("gamma gamma gamma review");
            const qint64 id = m_fx.addEmail(m_user, e);
            if (i < 12)
                m_alpha.insert(id);
        }
        // The same shape in Chinese, written as the importer indexes it (one character a token):
        // 北京 in the body of 12, 上海 and 广州 in the subject of 60 and 80 others.
        for (int i = 0; i < 152; ++i) {
            test::FixtureEmail e;
            e.date = start.addSecs(3600 * (2100 + i));
            e.subject = QStringLiteral("通 知 %1").arg(i);
            e.body = QStringLiteral("天 气 和 午 饭 %1").arg(i % 17);
            if (i < 12)
                e.body += QStringLiteral(" 北 京");
            else if (i < 72)
                e.subject = QStringLiteral("上 海 上 海 上 海 报 告");
            else
                e.subject = QStringLiteral("广 州 广 州 广 州 评 审");
            const qint64 id = m_fx.addEmail(m_user, e);
            if (i < 12)
                m_beijing.insert(id);
        }
    }

    void withoutBudgetTheBestScoresWin()
    {
        const QList<qint64> ids = search(0);
        QCOMPARE(ids.size(), 10);
        int alpha = 0;
        for (qint64 id : ids)
            alpha += m_alpha.contains(id) ? 1 : 0;
        QVERIFY2(alpha < 10, "subject hits of beta/gamma should outrank a body hit of alpha");
    }

    void budgetKeepsTheRarestWordsCandidates()
    {
        // alpha (12) + beta (60) > 50: only alpha selects candidates, beta and gamma only score.
        const QList<qint64> ids = search(50);
        QCOMPARE(ids.size(), 10);
        for (qint64 id : ids)
            QVERIFY(m_alpha.contains(id));
    }

    void cjkWordsCountAsThePhraseOfTheirCharacters()
    {
        // 北京 is counted by its rarest character (12 emails): with 上海 (60) the budget of 50 is
        // passed, so only 北京 selects candidates, as alpha does above.
        const QString query = QStringLiteral("messages about 北京 上海 广州");
        const QList<qint64> unbounded = search(0, query);
        QCOMPARE(unbounded.size(), 10);
        int beijing = 0;
        for (qint64 id : unbounded)
            beijing += m_beijing.contains(id) ? 1 : 0;
        QVERIFY2(beijing < 10, "subject hits of 上海/广州 should outrank a body hit of 北京");
        const QList<qint64> ids = search(50, query);
        QCOMPARE(ids.size(), 10);
        for (qint64 id : ids)
            QVERIFY(m_beijing.contains(id));
    }

    void largeBudgetChangesNothing()
    {
        QCOMPARE(search(1000000), search(0));
    }
};

QTEST_GUILESS_MAIN(TestCandidateBudget)
#include "tst_candidatebudget.moc"
