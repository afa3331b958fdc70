// The search engine over a real SQLite database: ranking, every filter, user isolation,
// streaming order, cancellation, get_email and live-search matching.
#include "searchengine.h"
#include "searchfixture.h"
#include "searchjob.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

using namespace emailrag::search;
using emailrag::test::FixtureEmail;
using emailrag::test::SearchFixture;

namespace {

const QDateTime kNow(QDate(2026, 11, 26), QTime(10, 0), Qt::UTC);

QDateTime day(int y, int m, int d) { return QDateTime(QDate(y, m, d), QTime(12, 0), Qt::UTC); }

} // namespace

class TestSearchEngine : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<SearchFixture> m_fx;
    std::unique_ptr<SearchEngine> m_engine;
    qint64 m_alice = 0;
    qint64 m_bob = 0;
    QHash<QString, qint64> m_ids;

    SearchOutcome run(const QString &query, int limit = 50, bool oneHitPerThread = false, qint64 user = -1)
    {
        SearchRequest r;
        r.query = query;
        r.limit = limit;
        r.oneHitPerThread = oneHitPerThread;
        r.now = kNow;
        auto f = m_engine->searchAll(user < 0 ? m_alice : user, r);
        f.waitForFinished();
        return f.result();
    }
    QStringList keys(const SearchOutcome &o)
    {
        QStringList out;
        for (const SearchHit &h : o.hits)
            out << m_ids.key(h.rowId, QStringLiteral("?%1").arg(h.rowId));
        return out;
    }
    QStringList sortedKeys(const QString &query)
    {
        const SearchOutcome o = run(query);
        if (!o.ok())
            return {QStringLiteral("error: ") + o.error->message};
        QStringList k = keys(o);
        k.sort();
        return k;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_fx = std::make_unique<SearchFixture>();
        QVERIFY(m_fx->isValid());
        m_alice = m_fx->addUser(QStringLiteral("alice"));
        m_bob = m_fx->addUser(QStringLiteral("bob"));
        m_fx->addUpload(m_alice, QStringLiteral("upload_a1"));
        auto add = [&](const QString &key, qint64 user, FixtureEmail e) { m_ids[key] = m_fx->addEmail(user, e); };
        add(QStringLiteral("subjectHit"), m_alice,
            {QStringLiteral("Pipeline capacity review"), QStringLiteral("Anna Berg"), QStringLiteral("anna@enron.com"),
             QStringLiteral("Bob Stone <bob@enron.com>"), QString(), QStringLiteral("Numbers attached for Monday."),
             QString(), day(2001, 5, 14), QStringLiteral("t-pipe"), QStringLiteral("upload_a1"),
             {QStringLiteral("capacity.xls")}, QStringLiteral("pipe-1@enron.com")});
        add(QStringLiteral("bodyHit"), m_alice,
            {QStringLiteral("Monday numbers"), QStringLiteral("Carl Ray"), QStringLiteral("carl@enron.com"),
             QStringLiteral("anna@enron.com"), QStringLiteral("Dana Fox <dana@enron.com>"),
             QStringLiteral("The pipeline numbers look fine and the merger is on track."), QString(), day(2001, 5, 15),
             QStringLiteral("t-pipe"), QString(), {}, QString()});
        add(QStringLiteral("quotedHit"), m_alice,
            {QStringLiteral("Re: lunch"), QStringLiteral("Eve Moss"), QStringLiteral("eve@enron.com"),
             QStringLiteral("carl@enron.com"), QString(), QStringLiteral("Sure, noon works."),
             QStringLiteral("> we should talk about the pipeline"), day(2001, 5, 16), QString(), QString(), {}, QString()});
        add(QStringLiteral("urgentRecent"), m_alice,
            {QStringLiteral("URGENT: sign the contract"), QStringLiteral("Anna Berg"), QStringLiteral("anna@enron.com"),
             QStringLiteral("alice@example.com"), QString(), QStringLiteral("Please sign today, it is urgent."), QString(),
             QDateTime(QDate(2026, 11, 18), QTime(9, 0), Qt::UTC), QString(), QString(), {QStringLiteral("contract.pdf")},
             QString()});
        add(QStringLiteral("urgentOld"), m_alice,
            {QStringLiteral("urgent: sign old contract"), QStringLiteral("Frank Low"), QStringLiteral("frank@enron.com"),
             QStringLiteral("alice@example.com"), QString(), QStringLiteral("An urgent thing from long ago."), QString(),
             day(2026, 9, 3), QString(), QString(), {}, QString()});
        add(QStringLiteral("legal"), m_alice,
            {QStringLiteral("Merger documents"), QStringLiteral("Legal Team"), QStringLiteral("legal@enron.com"),
             QStringLiteral("alice@example.com"), QString(),
             QStringLiteral("Attached are the merger documents for review by the board."), QString(), day(2001, 6, 1),
             QString(), QString(), {QStringLiteral("merger-draft.doc")}, QString()});
        add(QStringLiteral("draft"), m_alice,
            {QStringLiteral("Merger draft"), QStringLiteral("Gus Hale"), QStringLiteral("gus@enron.com"),
             QStringLiteral("alice@example.com"), QString(), QStringLiteral("First draft of the merger memo."), QString(),
             day(2001, 6, 2), QString(), QString(), {}, QString()});
        add(QStringLiteral("yesterday"), m_alice,
            {QStringLiteral("Invoice 4411"), QStringLiteral("Billing"), QStringLiteral("billing@vendor.com"),
             QStringLiteral("alice@example.com"), QString(), QStringLiteral("Your invoice is due."), QString(),
             QDateTime(QDate(2026, 11, 25), QTime(15, 0), Qt::UTC), QString(), QString(), {}, QString()});
        // Bob's mail shares every word with Alice's: it must never show up for her.
        add(QStringLiteral("bobPipeline"), m_bob,
            {QStringLiteral("Pipeline capacity review"), QStringLiteral("Anna Berg"), QStringLiteral("anna@enron.com"),
             QStringLiteral("bob@example.com"), QString(), QStringLiteral("pipeline merger urgent invoice"), QString(),
             day(2026, 11, 25), QString(), QString(), {}, QString()});
        m_engine = std::make_unique<SearchEngine>(m_fx->config());
    }

    void rankingPrefersSubjectThenBodyThenQuoted()
    {
        const SearchOutcome o = run(QStringLiteral("pipeline"));
        QVERIFY(o.ok());
        QCOMPARE(keys(o), (QStringList{QStringLiteral("subjectHit"), QStringLiteral("bodyHit"), QStringLiteral("quotedHit")}));
        for (int i = 0; i < o.hits.size(); ++i) {
            QVERIFY(o.hits[i].score > 0 && o.hits[i].score <= 1);
            if (i > 0)
                QVERIFY(o.hits[i].score <= o.hits[i - 1].score);
            QCOMPARE(o.hits[i].rank, i + 1);
        }
    }

    void hitCarriesFields()
    {
        const SearchOutcome o = run(QStringLiteral("merger track"));
        QVERIFY(o.ok());
        QVERIFY(!o.hits.isEmpty());
        const SearchHit &h = o.hits.first();
        QCOMPARE(h.rowId, m_ids[QStringLiteral("bodyHit")]);
        QCOMPARE(h.emailId, QStringLiteral("email_%1").arg(h.rowId));
        QCOMPARE(h.subject, QStringLiteral("Monday numbers"));
        QCOMPARE(h.from, QStringLiteral("Carl Ray <carl@enron.com>"));
        QCOMPARE(h.date, QStringLiteral("2001-05-15T12:00:00Z"));
        QCOMPARE(h.threadId, QStringLiteral("t-pipe"));
        QVERIFY2(h.snippet.contains(QStringLiteral("«merger»")), qPrintable(h.snippet));
        QVERIFY2(h.snippet.contains(QStringLiteral("«track»")), qPrintable(h.snippet));
    }

    void recencyBreaksTies()
    {
        const SearchOutcome o = run(QStringLiteral("subject:urgent"));
        QVERIFY(o.ok());
        QCOMPARE(keys(o), (QStringList{QStringLiteral("urgentRecent"), QStringLiteral("urgentOld")}));
    }

    void filters_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QStringList>("expected"); // sorted keys
        QTest::newRow("from name") << "from:anna" << QStringList{"subjectHit", "urgentRecent"};
        QTest::newRow("from prefix") << "from:ann" << QStringList{"subjectHit", "urgentRecent"};
        QTest::newRow("from address") << "from:legal@enron.com" << QStringList{"legal"};
        QTest::newRow("to") << "to:bob" << QStringList{"subjectHit"};
        QTest::newRow("cc") << "cc:dana" << QStringList{"bodyHit"};
        QTest::newRow("subject") << "subject:merger" << QStringList{"draft", "legal"};
        QTest::newRow("has attachment") << "has:attachment" << QStringList{"legal", "subjectHit", "urgentRecent"};
        QTest::newRow("filename") << "filename:pdf" << QStringList{"urgentRecent"};
        QTest::newRow("filename and word") << "merger filename:doc" << QStringList{"legal"};
        // "legal" has the attachment merger-draft.doc: its name is indexed, so it is excluded too.
        QTest::newRow("exclusion") << "merger -draft" << QStringList{"bodyHit"};
        QTest::newRow("exclude sender") << "merger -from:gus" << QStringList{"bodyHit", "legal"};
        QTest::newRow("only exclusion") << "-merger -pipeline -urgent -invoice" << QStringList{};
        QTest::newRow("no attachment") << "merger -has:attachment" << QStringList{"bodyHit", "draft"};
        QTest::newRow("or") << "invoice OR contract" << QStringList{"urgentOld", "urgentRecent", "yesterday"};
        QTest::newRow("phrase") << "\"merger memo\"" << QStringList{"draft"};
        QTest::newRow("prefix") << "invoi*" << QStringList{"yesterday"};
        QTest::newRow("after") << "merger after:2001-06-01" << QStringList{"draft", "legal"};
        QTest::newRow("before") << "merger before:2001-06-01" << QStringList{"bodyHit"};
        QTest::newRow("date day") << "date:2001-06-02" << QStringList{"draft"};
        QTest::newRow("yesterday") << "date:yesterday" << QStringList{"yesterday"};
        QTest::newRow("7d") << "after:7d" << QStringList{"yesterday"};
        QTest::newRow("last week") << "date:\"last week\"" << QStringList{"urgentRecent"};
        QTest::newRow("thread") << "thread:t-pipe" << QStringList{"bodyHit", "subjectHit"};
        QTest::newRow("upload") << "upload:upload_a1" << QStringList{"subjectHit"};
        QTest::newRow("request") << "Find urgent emails from Anna last week" << QStringList{"urgentRecent"};
        QTest::newRow("legal request") << "what did the legal team send about the merger"
                                       << QStringList{"bodyHit", "draft", "legal"};
        QTest::newRow("unknown sender relaxes") << "emails from Zed about the invoice" << QStringList{"yesterday"};
    }
    void filters()
    {
        QFETCH(QString, query);
        QFETCH(QStringList, expected);
        QCOMPARE(sortedKeys(query), expected);
    }

    void requestRanksBestFirst()
    {
        const SearchOutcome o = run(QStringLiteral("what did the legal team send about the merger"));
        QVERIFY(o.ok());
        QCOMPARE(keys(o).value(0), QStringLiteral("legal"));
    }

    void keywordFallsBackToAnyTerm()
    {
        const SearchOutcome o = run(QStringLiteral("invoice zebra"));
        QVERIFY(o.ok());
        QCOMPARE(keys(o), QStringList{QStringLiteral("yesterday")});
        QVERIFY(o.summary.relaxed);
        const SearchOutcome strict = run(QStringLiteral("invoice due"));
        QVERIFY(!strict.summary.relaxed);
    }

    void neverAnotherUsersMail()
    {
        for (const QString &q : {QStringLiteral("pipeline"), QStringLiteral("from:anna"), QStringLiteral("-zzz"),
                                 QStringLiteral("after:2000-01-01"), QStringLiteral("show me my emails")}) {
            const SearchOutcome o = run(q);
            QVERIFY(o.ok());
            QVERIFY2(!keys(o).contains(QStringLiteral("bobPipeline")), qPrintable(q));
        }
        const SearchOutcome bob = run(QStringLiteral("pipeline"), 50, false, m_bob);
        QCOMPARE(keys(bob), QStringList{QStringLiteral("bobPipeline")});
    }

    void limitsAndThreads()
    {
        QCOMPARE(run(QStringLiteral("pipeline"), 2).hits.size(), 2);
        SearchRequest r;
        r.limit = 100000;
        QCOMPARE(r.effectiveLimit(), SearchRequest::kMaxLimit);
        r.limit = 0;
        QCOMPARE(r.effectiveLimit(), SearchRequest::kDefaultLimit);
        const SearchOutcome perThread = run(QStringLiteral("pipeline"), 50, true);
        QCOMPARE(keys(perThread), (QStringList{QStringLiteral("subjectHit"), QStringLiteral("quotedHit")}));
    }

    void feedbackKeepsLexicalOrderAndScope()
    {
        SearchRequest r;
        r.query = QStringLiteral("pipeline");
        r.now = kNow;
        r.feedback = true;
        auto f = m_engine->searchAll(m_alice, r);
        f.waitForFinished();
        const SearchOutcome o = f.result();
        QVERIFY(o.ok());
        const QStringList k = keys(o);
        QCOMPARE(k.value(0), QStringLiteral("subjectHit"));
        QVERIFY(k.contains(QStringLiteral("bodyHit")));
        QVERIFY(!k.contains(QStringLiteral("bobPipeline")));
        for (int i = 1; i < o.hits.size(); ++i)
            QVERIFY(o.hits[i].score <= o.hits[i - 1].score);
    }

    void hostileInputIsJustText()
    {
        for (const QString &q : {QStringLiteral("'; DROP TABLE emails; --"), QStringLiteral("NEAR(pipeline merger)"),
                                 QStringLiteral("subject:\"a\"\"b\""), QStringLiteral("body:pipeline"),
                                 QStringLiteral("pipeline*) OR (*"), QStringLiteral("^pipeline"),
                                 QStringLiteral("from:\"x\" OR 1=1"), QStringLiteral("\"\u00e9t\u00e9\" caf\u00e9 \u65e5\u672c")}) {
            const SearchOutcome o = run(q);
            QVERIFY2(o.ok() || o.error->code == SearchError::Code::InvalidQuery, qPrintable(q));
        }
        QSqlQuery check(m_fx->db());
        QVERIFY(check.exec(QStringLiteral("SELECT COUNT(*) FROM emails")) && check.next());
        QCOMPARE(check.value(0).toInt(), m_ids.size());
        // FTS syntax typed by the user is searched for as words, not interpreted as a column filter.
        QVERIFY(run(QStringLiteral("body:pipeline")).hits.isEmpty());
        QVERIFY(!run(QStringLiteral("pipeline")).hits.isEmpty());
    }

    void streamsBeforeFinishing()
    {
        SearchRequest r;
        r.query = QStringLiteral("pipeline");
        r.now = kNow;
        SearchJob *job = m_engine->search(m_alice, r, this);
        QStringList order;
        connect(job, &SearchJob::resultReady, this, [&order, job](const SearchHit &h) {
            order << (job->isFinished() ? QStringLiteral("late:") : QString()) + h.emailId;
        });
        connect(job, &SearchJob::finished, this, [&order](int total, qint64) {
            order << QStringLiteral("finished:%1").arg(total);
        });
        QSignalSpy failed(job, &SearchJob::failed);
        QTRY_COMPARE(order.size(), 4);
        QCOMPARE(order.first(), emailIdFor(m_ids[QStringLiteral("subjectHit")]));
        QCOMPARE(order.last(), QStringLiteral("finished:3"));
        QCOMPARE(failed.count(), 0);
        delete job;
    }

    void reportsQueryErrors()
    {
        SearchRequest r;
        r.query = QStringLiteral("budget \"open");
        SearchJob *job = m_engine->search(m_alice, r, this);
        QSignalSpy failed(job, &SearchJob::failed);
        QSignalSpy finished(job, &SearchJob::finished);
        QTRY_COMPARE(failed.count(), 1);
        const auto e = failed.first().first().value<SearchError>();
        QCOMPARE(e.code, SearchError::Code::InvalidQuery);
        QCOMPARE(e.position, 7);
        QCOMPARE(finished.count(), 0);
        QVERIFY(SearchEngine::validate(QStringLiteral("from:")).has_value());
        QVERIFY(!SearchEngine::validate(QStringLiteral("from:anna")).has_value());
        delete job;
    }

    void cancelStopsDelivery()
    {
        SearchRequest r;
        r.query = QStringLiteral("merger OR pipeline OR urgent");
        SearchJob *job = m_engine->search(m_alice, r, this);
        QSignalSpy hits(job, &SearchJob::resultReady);
        QSignalSpy failed(job, &SearchJob::failed);
        QSignalSpy finished(job, &SearchJob::finished);
        job->cancel();
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.first().first().value<SearchError>().code, SearchError::Code::Cancelled);
        QTest::qWait(200);
        QCOMPARE(hits.count(), 0);
        QCOMPARE(finished.count(), 0);
        delete job;
    }

    void getEmailIsScoped()
    {
        const QString id = emailIdFor(m_ids[QStringLiteral("subjectHit")]);
        auto f = m_engine->getEmail(m_alice, id);
        f.waitForFinished();
        const std::optional<EmailDetail> d = f.result();
        QVERIFY(d.has_value());
        QCOMPARE(d->subject, QStringLiteral("Pipeline capacity review"));
        QCOMPARE(d->messageId, QStringLiteral("pipe-1@enron.com"));
        QCOMPARE(d->bodyText, QStringLiteral("Numbers attached for Monday."));
        QCOMPARE(d->attachments.size(), 1);
        QCOMPARE(d->attachments.first().filename, QStringLiteral("capacity.xls"));
        QCOMPARE(d->thread.size(), 2);
        QCOMPARE(d->thread.first().emailId, id); // oldest first
        QCOMPARE(d->thread.last().emailId, emailIdFor(m_ids[QStringLiteral("bodyHit")]));

        auto other = m_engine->getEmail(m_bob, id);
        other.waitForFinished();
        QVERIFY(!other.result().has_value());
        for (const QString &bad : {QStringLiteral("email_999999"), QStringLiteral("email_x"), QStringLiteral("")}) {
            auto g = m_engine->getEmail(m_alice, bad);
            g.waitForFinished();
            QVERIFY(!g.result().has_value());
        }
    }

    void liveSearchMatches()
    {
        const QList<qint64> fresh = {m_ids[QStringLiteral("legal")], m_ids[QStringLiteral("draft")],
                                     m_ids[QStringLiteral("yesterday")], m_ids[QStringLiteral("bobPipeline")]};
        auto f = m_engine->matches(m_alice, QStringLiteral("merger -memo"), fresh, kNow);
        f.waitForFinished();
        QCOMPARE(f.result(), QList<qint64>{m_ids[QStringLiteral("legal")]});
        auto g = m_engine->matches(m_alice, QStringLiteral("date:yesterday"), fresh, kNow);
        g.waitForFinished();
        QCOMPARE(g.result(), QList<qint64>{m_ids[QStringLiteral("yesterday")]});
        auto h = m_engine->matches(m_alice, QStringLiteral("pipeline"), {m_ids[QStringLiteral("bobPipeline")]}, kNow);
        h.waitForFinished();
        QVERIFY(h.result().isEmpty());
        // Ranked hits restricted to given ids (what the server pushes for a recent search).
        SearchRequest r;
        r.query = QStringLiteral("merger");
        r.onlyIds = fresh;
        auto ranked = m_engine->searchAll(m_alice, r);
        ranked.waitForFinished();
        QStringList rankedKeys = keys(ranked.result());
        rankedKeys.sort();
        QCOMPARE(rankedKeys, (QStringList{QStringLiteral("draft"), QStringLiteral("legal")}));
        auto bad = m_engine->matches(m_alice, QStringLiteral("\"open"), fresh, kNow);
        bad.waitForFinished();
        QVERIFY(bad.result().isEmpty());
    }
};

QTEST_MAIN(TestSearchEngine)
#include "tst_searchengine.moc"
