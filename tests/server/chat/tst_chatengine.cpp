// The chat engine end to end on a real SQLite database: extractive answers streamed with
// citations that point at emails containing the quoted sentences, conversations persisted per
// user, follow-ups resolved from earlier turns, and user isolation.
#include "chatengine.h"
#include "chatfixture.h"
#include "conversationstore.h"
#include "ftsretriever.h"
#include "searchengine.h"
#include "textutil.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

using namespace emailrag::chat;

namespace {

struct Outcome
{
    QStringList chunks;
    QString conversationId;
    QList<Source> sources;
    QString errorCode;
    bool done = false;
};

Outcome runToEnd(ChatRun *run, int timeoutMs = 10000)
{
    Outcome o;
    QObject ctx;
    QObject::connect(run, &ChatRun::chunkReady, &ctx, [&](const QString &c) { o.chunks << c; });
    QObject::connect(run, &ChatRun::completed, &ctx, [&](const QString &id, const QList<Source> &s) {
        o.conversationId = id;
        o.sources = s;
        o.done = true;
    });
    QObject::connect(run, &ChatRun::failed, &ctx, [&](ChatError, const QString &code, const QString &) {
        o.errorCode = code;
        o.done = true;
    });
    (void)QTest::qWaitFor([&] { return o.done; }, timeoutMs);
    return o;
}

QSet<int> citedNumbers(const QString &answer)
{
    QSet<int> out;
    static const QRegularExpression re(QStringLiteral(R"(\[(\d+)\])"));
    auto it = re.globalMatch(answer);
    while (it.hasNext())
        out.insert(it.next().captured(1).toInt());
    return out;
}

} // namespace

class TestChatEngine : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<ChatFixture> m_fx;
    qint64 m_anna = 0, m_other = 0;
    qint64 m_annaMail = 0, m_johnReply = 0, m_annaReply = 0, m_otherMail = 0;

    QString bodyOf(qint64 id)
    {
        QSqlDatabase db = m_fx->db();
        QSqlQuery q(db);
        q.prepare(QStringLiteral("SELECT body_text FROM emails WHERE id = ?"));
        q.addBindValue(id);
        return q.exec() && q.next() ? q.value(0).toString() : QString();
    }

    std::unique_ptr<ChatEngine> makeEngine()
    {
        return std::make_unique<ChatEngine>(m_fx->config(), ProviderConfig{}, std::unique_ptr<Retriever>());
    }

    // Every source's passage is quoted from its email, and the answer cites exactly the sources.
    void checkCitations(const Outcome &o)
    {
        const QString answer = o.chunks.join(QString());
        QVERIFY2(!o.sources.isEmpty(), qPrintable(answer));
        QSet<int> numbers;
        for (int i = 0; i < o.sources.size(); ++i) {
            const Source &s = o.sources.at(i);
            QCOMPARE(s.number, i + 1);
            numbers.insert(s.number);
            QCOMPARE(s.emailId, QStringLiteral("email_%1").arg(s.emailRowId));
            QVERIFY(s.relevance >= 0.0 && s.relevance <= 1.0);
            const QString body = text::normalizeWhitespace(bodyOf(s.emailRowId));
            for (const QString &line : s.passage.split(QLatin1Char('\n'))) {
                QVERIFY2(body.contains(line), qPrintable(line + " not in " + s.emailId));
                QVERIFY2(answer.contains(QStringLiteral("> %1 [%2]").arg(line).arg(s.number)), qPrintable(answer));
            }
        }
        QCOMPARE(citedNumbers(answer), numbers);
    }

private Q_SLOTS:
    void init()
    {
        m_fx = std::make_unique<ChatFixture>();
        QVERIFY(m_fx->ok());
        m_anna = m_fx->addUser("anna");
        m_other = m_fx->addUser("other");
        const auto d = [](int day) { return QDateTime(QDate(2001, 3, day), QTime(10, 0), Qt::UTC); };
        m_annaMail = m_fx->addEmail(m_anna, {"Q2 budget", "Anna Smith", "anna@corp.com", "John Doe <john@corp.com>", d(12),
            "Hi John,\nWe need to cut the marketing budget by 10 percent before the board meeting.\nThe travel budget "
            "stays as it is for now.\n\nLet me know what you think.", "", "anna1@corp", "", "t-budget"});
        m_johnReply = m_fx->addEmail(m_anna, {"Re: Q2 budget", "John Doe", "john@corp.com", "Anna Smith <anna@corp.com>", d(13),
            "I agree with the marketing cut. However the travel budget needs another review because of the Houston "
            "trips.", "> We need to cut the marketing budget", "john1@corp", "anna1@corp", "t-budget"});
        m_annaReply = m_fx->addEmail(m_anna, {"Re: Q2 budget", "Anna Smith", "anna@corp.com", "John Doe <john@corp.com>", d(14),
            "Fine, I will schedule the travel review for next Tuesday with the finance team.", "> the travel budget needs",
            "anna2@corp", "john1@corp", "t-budget"});
        m_fx->addEmail(m_anna, {"Lunch on Friday", "Bob Lee", "bob@corp.com", "team@corp.com", d(15),
            "Lunch is at noon on Friday in the cafeteria, everyone is welcome to join.", "", "", "", ""});
        m_fx->addEmail(m_anna, {"Pipeline maintenance", "Ops", "ops@corp.com", "all@corp.com", d(16),
            "The pipeline maintenance window starts Saturday at 6am and lasts four hours.", "", "", "", ""});
        m_otherMail = m_fx->addEmail(m_other, {"Private budget", "Eve", "eve@else.com", "other@else.com", d(12),
            "The secret marketing budget figure is 999 million dollars, keep it quiet.", "", "eve1@else", "", ""});
        QVERIFY(m_annaMail > 0 && m_otherMail > 0);
    }
    void cleanup() { m_fx.reset(); }

    void extractiveAnswerStreamsCitedSentences()
    {
        auto engine = makeEngine();
        ChatRun *run = engine->ask(m_anna, "What did Anna say about the marketing budget?", {}, {"req_7"});
        QVERIFY(run->conversationId().startsWith("conv_"));
        QCOMPARE(run->conversationId().size(), 5 + 16);
        QCOMPARE(run->requestId(), QStringLiteral("req_7"));
        const QString conv = run->conversationId();
        const Outcome o = runToEnd(run);
        QVERIFY2(o.errorCode.isEmpty(), qPrintable(o.errorCode));
        QCOMPARE(o.conversationId, conv);
        QVERIFY(o.chunks.size() >= 3);
        QVERIFY(o.chunks.first().startsWith("Extractive answer"));
        checkCitations(o);
        const QString answer = o.chunks.join(QString());
        QVERIFY(answer.contains("cut the marketing budget by 10 percent"));
        QVERIFY(!answer.contains("999 million")); // never another user's mail
        QCOMPARE(o.sources.first().emailRowId, m_annaMail);
        QCOMPARE(o.sources.first().subject, QStringLiteral("Q2 budget"));
        QCOMPARE(o.sources.first().from, QStringLiteral("Anna Smith <anna@corp.com>"));
        QCOMPARE(o.sources.first().date, QDateTime(QDate(2001, 3, 12), QTime(10, 0), Qt::UTC));
        for (const Source &s : o.sources)
            QVERIFY(s.emailRowId != m_otherMail);
    }

    void conversationsPersistPerUser()
    {
        auto engine = makeEngine();
        const Outcome o = runToEnd(engine->ask(m_anna, "marketing budget cut"));
        QVERIFY(o.done && o.errorCode.isEmpty());

        auto list = engine->listConversations(m_anna).result();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.first().id, o.conversationId);
        QCOMPARE(list.first().turnCount, 1);
        QCOMPARE(list.first().title, QStringLiteral("marketing budget cut"));

        auto conv = engine->getConversation(m_anna, o.conversationId).result();
        QVERIFY(conv.has_value());
        QCOMPARE(conv->turns.size(), 1);
        const Turn &t = conv->turns.first();
        QCOMPARE(t.question, QStringLiteral("marketing budget cut"));
        QCOMPARE(t.answer, o.chunks.join(QString()));
        QCOMPARE(t.status, QStringLiteral("complete"));
        QCOMPARE(t.provider, QStringLiteral("extractive"));
        QCOMPARE(t.sources, o.sources);

        // The other user sees nothing, can neither read nor delete it, and the same id is theirs to use.
        QVERIFY(engine->listConversations(m_other).result().isEmpty());
        QVERIFY(!engine->getConversation(m_other, o.conversationId).result().has_value());
        QVERIFY(!engine->deleteConversation(m_other, o.conversationId).result());
        const Outcome theirs = runToEnd(engine->ask(m_other, "marketing budget", o.conversationId));
        QCOMPARE(theirs.conversationId, o.conversationId);
        QVERIFY(theirs.chunks.join(QString()).contains("999 million"));
        for (const Source &s : theirs.sources)
            QCOMPARE(s.emailRowId, m_otherMail);
        QCOMPARE(engine->getConversation(m_anna, o.conversationId).result()->turns.size(), 1);

        QVERIFY(engine->deleteConversation(m_anna, o.conversationId).result());
        QVERIFY(!engine->getConversation(m_anna, o.conversationId).result().has_value());
        QVERIFY(engine->getConversation(m_other, o.conversationId).result().has_value());
        QVERIFY(!engine->deleteConversation(m_anna, o.conversationId).result());
    }

    void clientChosenIdAndInvalidInput()
    {
        auto engine = makeEngine();
        const Outcome seeded = runToEnd(engine->ask(m_anna, "travel budget", "conv_123"));
        QCOMPARE(seeded.conversationId, QStringLiteral("conv_123"));
        QVERIFY(engine->getConversation(m_anna, "conv_123").result().has_value());

        QCOMPARE(runToEnd(engine->ask(m_anna, "   ")).errorCode, QStringLiteral("INVALID_REQUEST"));
        QCOMPARE(runToEnd(engine->ask(m_anna, "budget", "bad id; drop table")).errorCode, QStringLiteral("INVALID_REQUEST"));
        QCOMPARE(engine->listConversations(m_anna).result().size(), 1);
    }

    void followUpUsesEarlierTurn()
    {
        auto engine = makeEngine();
        const Outcome first = runToEnd(engine->ask(m_anna, "What did John say about the Houston trips?"));
        QVERIFY(first.errorCode.isEmpty());
        bool citesJohn = false;
        for (const Source &s : first.sources)
            citesJohn |= s.emailRowId == m_johnReply;
        QVERIFY2(citesJohn, qPrintable(first.chunks.join(QString())));

        // Alone, this question has nothing to search for; with the earlier turn it finds the reply.
        const Outcome alone = runToEnd(engine->ask(m_anna, "and what did she reply?"));
        bool aloneFindsReply = false;
        for (const Source &s : alone.sources)
            aloneFindsReply |= s.emailRowId == m_annaReply;
        QVERIFY(!aloneFindsReply);

        const Outcome follow = runToEnd(engine->ask(m_anna, "and what did she reply?", first.conversationId));
        QVERIFY(follow.errorCode.isEmpty());
        bool citesReply = false;
        for (const Source &s : follow.sources)
            citesReply |= s.emailRowId == m_annaReply && s.relevance == 1.0; // a direct reply ranks first
        QVERIFY2(citesReply, qPrintable(follow.chunks.join(QString())));
        QVERIFY(follow.chunks.join(QString()).contains("schedule the travel review for next Tuesday"));
        checkCitations(follow);
        QCOMPARE(engine->getConversation(m_anna, first.conversationId).result()->turns.size(), 2);
    }

    void quotedHistoryIsNotCited()
    {
        // Quoted text lives in quoted_text; a body that still carries quotes is stripped too.
        const qint64 id = m_fx->addEmail(m_anna, {"Re: roof repair", "Kim", "kim@corp.com", "anna@corp.com", QDateTime(),
            "The roof repair is booked for Monday morning.\n\n-----Original Message-----\nFrom: Anna\n"
            "Can we get the roof repair estimate from the contractor?", "", "", "", ""});
        auto engine = makeEngine();
        const Outcome o = runToEnd(engine->ask(m_anna, "roof repair estimate contractor"));
        QVERIFY(o.errorCode.isEmpty());
        const QString answer = o.chunks.join(QString());
        QVERIFY2(answer.contains("The roof repair is booked for Monday morning."), qPrintable(answer));
        QVERIFY(!answer.contains("Can we get the roof repair estimate"));
        QCOMPARE(o.sources.first().emailRowId, id);
    }

    void cancelAndShutdownMidRun()
    {
        auto engine = makeEngine();
        // Cancelled before retrieval finished: nothing is emitted, the run goes away.
        ChatRun *run = engine->ask(m_anna, "marketing budget");
        QPointer<ChatRun> guard(run);
        QSignalSpy chunks(run, &ChatRun::chunkReady);
        QSignalSpy completed(run, &ChatRun::completed);
        QSignalSpy failed(run, &ChatRun::failed);
        run->cancel();
        run->cancel(); // twice is harmless
        QTRY_VERIFY(guard.isNull());
        QCOMPARE(chunks.size() + completed.size() + failed.size(), 0);

        // Destroying the engine with runs in flight neither crashes nor emits afterwards.
        QPointer<ChatRun> a = engine->ask(m_anna, "travel budget");
        QPointer<ChatRun> b = engine->ask(m_anna, "pipeline maintenance");
        QTest::qWait(1);
        engine.reset();
        QVERIFY(a.isNull() && b.isNull());
        QTest::qWait(50);

        // A fresh engine on the same store still answers.
        auto again = makeEngine();
        QVERIFY(runToEnd(again->ask(m_anna, "pipeline maintenance window")).errorCode.isEmpty());
    }

    void throughTheSearchEngine()
    {
        // The production path: retrieval by the search engine, whose operators are honoured.
        emailrag::search::SearchEngine search(m_fx->config());
        ChatEngine engine(m_fx->config(), ProviderConfig{}, &search);
        const Outcome o = runToEnd(engine.ask(m_anna, "from:john travel budget"));
        QVERIFY2(o.errorCode.isEmpty(), qPrintable(o.errorCode));
        QVERIFY(!o.sources.isEmpty());
        // from:john leaves John's reply the only hit; Anna's mails of the thread come in only by
        // thread expansion, at half the relevance.
        double john = -1;
        for (const Source &s : o.sources)
            if (s.emailRowId == m_johnReply)
                john = s.relevance;
        QVERIFY(john > 0);
        for (const Source &s : o.sources) {
            QVERIFY(s.emailRowId != m_otherMail);
            if (s.emailRowId != m_johnReply)
                QVERIFY2(s.relevance <= 0.5 * john + 1e-9, qPrintable(s.emailId));
        }
        checkCitations(o);

        const Outcome nl = runToEnd(engine.ask(m_anna, "What did Anna say about the marketing budget?"));
        QVERIFY(nl.errorCode.isEmpty());
        checkCitations(nl);
        QVERIFY(!nl.chunks.join(QString()).contains("999 million"));

        // Natural-language filters: sender and month become filters, the rest terms.
        const Outcome march = runToEnd(engine.ask(m_anna, "What did Anna say about the budget in March 2001?"));
        QVERIFY(march.errorCode.isEmpty());
        checkCitations(march);
        QCOMPARE(march.sources.first().emailRowId, m_annaMail);
        const Outcome april = runToEnd(engine.ask(m_anna, "What did Anna say about the budget in April 2001?"));
        QVERIFY(april.errorCode.isEmpty());
        QVERIFY2(april.sources.isEmpty(), qPrintable(april.chunks.join(QString())));
    }
};

QTEST_GUILESS_MAIN(TestChatEngine)
#include "tst_chatengine.moc"
