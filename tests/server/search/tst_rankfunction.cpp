// emailrag_bm25 (rankfunction.h) must give exactly FTS5's bm25 top K — same rows, same order, same
// scores — whether it prunes, reads lengths from memory (doclengths.h) or ranks within a set of
// allowed ids; and the in-memory lengths must follow the index as emails are added and deleted.
// Each case compares against bm25() on the same data: a skewed vocabulary, so that some words are
// in most emails (the case the pruning is for) and others in a few.
#include "doclengths.h"
#include "phraseidf.h"
#include "rankfunction.h"
#include "searchfixture.h"
#include "sqlitestatement.h"
#include "sqlplan.h"

#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTest>

using namespace emailrag;
using namespace emailrag::search;

namespace {

const char *const kWeights = "6, 4, 1.5, 1, 0.15, 0.6";

struct Ranked
{
    qint64 id = 0;
    double score = 0;
    bool operator==(const Ranked &o) const { return id == o.id && score == o.score; }
};

char *toString(const Ranked &r) // for QCOMPARE's messages
{
    return qstrdup(QByteArray::number(r.id) + ':' + QByteArray::number(r.score, 'g', 17));
}

} // namespace

class TestRankFunction : public QObject
{
    Q_OBJECT

private:
    test::SearchFixture m_fx;
    qint64 m_user = 0;
    QList<qint64> m_ids;

    QString word(QRandomGenerator &rng)
    {
        // Cubed uniform: w0..w9 are in most emails, w150 and above in a handful.
        const double r = rng.generateDouble();
        return QStringLiteral("w%1").arg(int(200 * r * r * r));
    }

    QString words(QRandomGenerator &rng, int n)
    {
        QStringList out;
        for (int i = 0; i < n; ++i)
            out << word(rng);
        return out.join(QLatin1Char(' '));
    }

    qint64 addRandomEmail(QRandomGenerator &rng, int i)
    {
        test::FixtureEmail e;
        e.subject = words(rng, 2 + rng.bounded(5));
        e.fromName = QStringLiteral("Sender %1").arg(i % 37);
        e.fromAddr = QStringLiteral("s%1@example.org").arg(i % 37);
        e.body = words(rng, 5 + rng.bounded(400));
        e.quoted = i % 3 == 0 ? words(rng, 50) : QString();
        e.date = QDateTime(QDate(2020, 1, 1), QTime(12, 0), Qt::UTC).addDays(i % 500);
        return m_fx.addEmail(m_user, e);
    }

    // bm25's K best, ties by rowid.
    QList<Ranked> reference(const QString &match, int k, const QString &extraWhere = QString())
    {
        QSqlQuery q(m_fx.db());
        const QString sql = QStringLiteral("SELECT rowid, bm25(emails_fts, %1) AS s FROM emails_fts WHERE emails_fts MATCH ? %2 "
                                           "ORDER BY s, rowid LIMIT ?")
                                .arg(QLatin1String(kWeights), extraWhere);
        if (!storage::Database::exec(q, sql, {match, k}))
            return {};
        QList<Ranked> out;
        while (q.next())
            out << Ranked{q.value(0).toLongLong(), q.value(1).toDouble()};
        return out;
    }

    // emailrag_bm25's K best through the C API (its ?1 is a pointer parameter). Rows it pruned or
    // filtered out (score 0) are not part of the answer.
    QList<Ranked> ranked(const QString &match, int k, const RankContext *context)
    {
        sqlite3 *db = storage::sqliteHandle(m_fx.db());
        const QByteArray sql = QStringLiteral("SELECT rowid, emailrag_bm25(emails_fts, %1, ?1, %2) AS s FROM emails_fts "
                                              "WHERE emails_fts MATCH ?2 ORDER BY s, rowid LIMIT %1")
                                   .arg(k)
                                   .arg(QLatin1String(kWeights))
                                   .toUtf8();
        sqlite3_stmt *stmt = nullptr;
        if (sqlite3_prepare_v2(db, sql.constData(), -1, &stmt, nullptr) != SQLITE_OK) {
            qWarning() << sqlite3_errmsg(db);
            return {};
        }
        sqlite3_bind_pointer(stmt, 1, const_cast<RankContext *>(context), RankContext::kPointerType, nullptr);
        const QByteArray m = match.toUtf8();
        sqlite3_bind_text(stmt, 2, m.constData(), int(m.size()), SQLITE_TRANSIENT);
        QList<Ranked> out;
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            if (sqlite3_column_double(stmt, 1) < 0)
                out << Ranked{sqlite3_column_int64(stmt, 0), sqlite3_column_double(stmt, 1)};
        }
        sqlite3_finalize(stmt);
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_fx.isValid());
        m_user = m_fx.addUser(QStringLiteral("anna"));
        QRandomGenerator rng(20261126);
        for (int i = 0; i < 1500; ++i)
            m_ids << addRandomEmail(rng, i);
        QVERIFY(ensureRankFunction(m_fx.db()));
        QVERIFY(ensureRankFunction(m_fx.db())); // a second call finds it and registers nothing
    }

    void sameTopKAsBm25_data()
    {
        QTest::addColumn<QString>("match");
        QTest::addColumn<int>("k");
        // Written as buildPlan writes expressions: FTS5 string literals (phrasesOf reads them).
        QTest::newRow("one common word, K=10") << "\"w0\"" << 10;
        QTest::newRow("one common word, K=400") << "\"w1\"" << 400;
        QTest::newRow("common OR rare") << "\"w2\" OR \"w3\" OR \"w120\"" << 25;
        QTest::newRow("rare words") << "\"w150\" OR \"w170\" OR \"w199\"" << 50;
        QTest::newRow("phrase") << "\"w0 w1\"" << 30;
        QTest::newRow("column filter") << "subject : \"w4\" OR \"w0\"" << 20;
        QTest::newRow("prefix in a column") << "sender : \"Sender 1\"* AND (\"w7\" OR \"w30\")" << 20;
        QTest::newRow("narrowed form") << "(\"w60\" OR \"w80\") AND (\"w0\" OR \"w1\" OR \"w60\" OR \"w80\")" << 40;
        QTest::newRow("with NOT") << "(\"w5\" OR \"w6\") NOT \"w9\"" << 30;
        QTest::newRow("no match") << "\"nosuchword\"" << 10;
    }

    void sameTopKAsBm25()
    {
        QFETCH(QString, match);
        QFETCH(int, k);
        const QList<Ranked> expected = reference(match, k);

        RankContext none;
        QCOMPARE(ranked(match, k, nullptr), expected);
        QCOMPARE(ranked(match, k, &none), expected);

        const auto lengths = currentDocLengths(m_fx.db());
        QVERIFY(lengths);
        QCOMPARE(lengths->rows, qint64(m_ids.size()));
        RankContext withLengths;
        withLengths.lengths = lengths.get();
        QCOMPARE(ranked(match, k, &withLengths), expected);
        QCOMPARE(withLengths.scored + withLengths.pruned, none.scored + none.pruned);

        // IDFs from the per-store counts: the same values bm25 computes, phrase for phrase.
        const auto idf = phraseIdf(m_fx.db(), phrasesOf(match), *lengths);
        QVERIFY(idf);
        RankContext withIdf;
        withIdf.lengths = lengths.get();
        withIdf.idf = &*idf;
        QCOMPARE(ranked(match, k, &withIdf), expected);
        QCOMPARE(ranked(match, k, &withIdf), expected); // counts from the cache this time
    }

    void phrasesInFtsOrder()
    {
        QCOMPARE(phrasesOf(QStringLiteral("(\"a\" OR \"b c\") AND sender : \"Terry\"* NOT subject : \"x\"\"y\"")),
                 (QStringList{QStringLiteral("\"a\""), QStringLiteral("\"b c\""), QStringLiteral("sender : \"Terry\"*"),
                              QStringLiteral("subject : \"x\"\"y\"")}));
        QVERIFY(phrasesOf(QString()).isEmpty());
    }

    // The point of it: with a small K and a word in most emails, most rows are bounded out.
    void prunesCommonWords()
    {
        // (At 1M emails of real mail about 80 % of the rows are bounded out; these random bodies of
        // 5-400 words vary in length far more, which loosens the bound.)
        for (const char *w : {"w0", "w10", "w20", "w40"}) {
            RankContext context;
            QCOMPARE(ranked(QStringLiteral("\"%1\"").arg(QLatin1String(w)), 10, &context).size(), 10);
            QVERIFY2(context.pruned > 0, w);
            QVERIFY(context.scored >= 10);
        }
        RankContext exact; // K = 0 would score all; K = rows scores all as well
        ranked(QStringLiteral("\"w0\""), 100000, &exact);
        QCOMPARE(exact.pruned, 0);
    }

    void allowedIdsActBeforeTheLimit()
    {
        std::vector<qint64> every3rd;
        QStringList inList;
        for (int i = 0; i < m_ids.size(); i += 3) {
            every3rd.push_back(m_ids[i]);
            inList << QString::number(m_ids[i]);
        }
        const IdSet allowed(every3rd);
        QCOMPARE(allowed.size(), qint64(every3rd.size()));
        RankContext context;
        context.allowed = &allowed;
        const QString match = QStringLiteral("\"w0\" OR \"w5\"");
        const QList<Ranked> expected = reference(match, 30, QStringLiteral("AND rowid IN (%1)").arg(inList.join(QLatin1Char(','))));
        QCOMPARE(expected.size(), 30);
        QCOMPARE(ranked(match, 30, &context), expected);
        QVERIFY(allowed.matched > 30); // counted the allowed matches it saw
        QVERIFY(allowed.matched < qint64(every3rd.size()) + 1);
    }

    void idSetFarApartIds()
    {
        const IdSet set({5, qint64(1) << 40, 7, 5});
        QCOMPARE(set.size(), 3);
        QVERIFY(set.contains(5));
        QVERIFY(set.contains(7));
        QVERIFY(set.contains(qint64(1) << 40));
        QVERIFY(!set.contains(6));
        QVERIFY(!IdSet({}).contains(0));
    }

    // Runs last: it changes the data.
    void lengthsFollowTheIndex()
    {
        const auto before = currentDocLengths(m_fx.db());
        QVERIFY(before);
        QCOMPARE(currentDocLengths(m_fx.db()), before); // unchanged index: the same snapshot

        QRandomGenerator rng(7);
        for (int i = 0; i < 20; ++i)
            m_ids << addRandomEmail(rng, 5000 + i);
        const auto added = currentDocLengths(m_fx.db());
        QVERIFY(added && added != before);
        QCOMPARE(added->rows, before->rows + 20);
        QCOMPARE(added->maxId, m_ids.last());
        QCOMPARE(before->lengthOf(m_ids.last()), -1); // the old snapshot does not know it

        // Each length as FTS5 has it: the sum of the docsize row's columns.
        QSqlQuery q(m_fx.db());
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM emails_fts_docsize")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toLongLong(), added->rows);

        // Deleting an email (its trigger takes it out of the index) makes the next call reload.
        QVERIFY(q.exec(QStringLiteral("DELETE FROM emails WHERE id = %1").arg(m_ids.first())));
        const auto reloaded = currentDocLengths(m_fx.db());
        QVERIFY(reloaded && reloaded != added);
        QCOMPARE(reloaded->rows, added->rows - 1);
        QCOMPARE(reloaded->lengthOf(m_ids.first()), 0);

        RankContext context;
        context.lengths = reloaded.get();
        const QString match = QStringLiteral("\"w1\" OR \"w9\"");
        const auto idf = phraseIdf(m_fx.db(), phrasesOf(match), *reloaded);
        QVERIFY(idf);
        context.idf = &*idf;
        QCOMPARE(ranked(match, 60, &context), reference(match, 60));
    }
};

QTEST_GUILESS_MAIN(TestRankFunction)
#include "tst_rankfunction.moc"
