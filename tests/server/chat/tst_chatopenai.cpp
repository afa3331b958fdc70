// The OpenAI-compatible provider through the chat engine, against a real HTTP server on loopback
// speaking the /v1/chat/completions streaming wire format: SSE data lines, [DONE], error bodies,
// slow, stalled and cut streams, unreachable servers, cancel, and citation filtering.
#include "chatengine.h"
#include "chatfixture.h"
#include "retriever.h"
#include "openaitestserver.h"
#include "textutil.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace emailrag::chat;
using Script = OpenAiTestServer::Script;
using Piece = OpenAiTestServer::Piece;
using Ending = OpenAiTestServer::Ending;

Q_DECLARE_METATYPE(OpenAiTestServer::Script)

namespace {

struct Outcome
{
    QStringList chunks;
    QString conversationId;
    QList<Source> sources;
    QString errorCode;
    QString message;
    bool done = false;
    QString text() const { return chunks.join(QString()); }
};

Outcome runToEnd(ChatRun *run, int timeoutMs = 15000)
{
    Outcome o;
    QObject ctx;
    QObject::connect(run, &ChatRun::chunkReady, &ctx, [&](const QString &c) { o.chunks << c; });
    QObject::connect(run, &ChatRun::completed, &ctx, [&](const QString &id, const QList<Source> &s) {
        o.conversationId = id;
        o.sources = s;
        o.done = true;
    });
    QObject::connect(run, &ChatRun::failed, &ctx, [&](ChatError, const QString &code, const QString &msg) {
        o.errorCode = code;
        o.message = msg;
        o.done = true;
    });
    (void)QTest::qWaitFor([&] { return o.done; }, timeoutMs);
    return o;
}

// Subject of source [n] as the prompt listed it.
QString promptSubject(const QJsonObject &request, int n)
{
    const QJsonArray messages = request.value("messages").toArray();
    const QString user = messages.last().toObject().value("content").toString();
    const QRegularExpression re(QStringLiteral(R"(\[%1\] From: [^\n]*\nTo: [^\n]*\nDate: [^\n]*\nSubject: ([^\n]*)\n)").arg(n));
    return re.match(user).captured(1);
}

Script events(const QList<QByteArray> &bytes, Ending ending = Ending::Complete, int delayMs = 0, bool chunked = false)
{
    Script s;
    for (const QByteArray &b : bytes)
        s.pieces << Piece{b, delayMs};
    s.ending = ending;
    s.chunked = chunked;
    return s;
}

Script errorScript(int status, const QByteArray &body)
{
    Script s;
    s.status = status;
    s.contentType = "application/json";
    s.pieces << Piece{body, 0};
    return s;
}

} // namespace

class TestChatOpenAi : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<ChatFixture> m_fx;
    std::unique_ptr<OpenAiTestServer> m_server;
    qint64 m_user = 0;

    ProviderConfig config() const
    {
        ProviderConfig c;
        c.kind = ProviderConfig::Kind::OpenAiCompatible;
        c.baseUrl = m_server->baseUrl();
        c.model = "test-model";
        c.apiKey = "sk-test-key";
        c.connectTimeoutMs = 2000;
        c.idleTimeoutMs = 2000;
        return c;
    }
    std::unique_ptr<ChatEngine> makeEngine(const ProviderConfig &c)
    {
        return std::make_unique<ChatEngine>(m_fx->config(), c, std::unique_ptr<Retriever>());
    }

private Q_SLOTS:
    void init()
    {
        m_fx = std::make_unique<ChatFixture>();
        QVERIFY(m_fx->ok());
        m_user = m_fx->addUser("anna");
        const auto d = [](int day) { return QDateTime(QDate(2001, 3, day), QTime(10, 0), Qt::UTC); };
        m_fx->addEmail(m_user, {"Q2 budget", "Anna Smith", "anna@corp.com", "john@corp.com", d(12),
            "We need to cut the marketing budget by 10 percent before the board meeting.", "", "a1@x", "", "t1"});
        m_fx->addEmail(m_user, {"Re: Q2 budget", "John Doe", "john@corp.com", "anna@corp.com", d(13),
            "I agree with the marketing budget cut, but travel needs review.", "", "j1@x", "a1@x", "t1"});
        m_fx->addEmail(m_user, {"Budget offsite", "Kim Lee", "kim@corp.com", "anna@corp.com", d(14),
            "The marketing offsite about the budget is moved to April.", "", "k1@x", "", "t2"});
        m_server = std::make_unique<OpenAiTestServer>();
        QVERIFY(m_server->listen());
    }
    void cleanup()
    {
        m_server.reset();
        m_fx.reset();
    }

    void streamsAndKeepsOnlyRealCitations()
    {
        m_server->setScript(OpenAiTestServer::streamText(
            {"Anna wants to cut ", "marketing by 10 percent [", "3]. John agreed [1][42]", " and nobody cited [0]."}));
        auto engine = makeEngine(config());
        ChatRun *run = engine->ask(m_user, "What did Anna say about the marketing budget?", {}, {"chat_1"});
        const QString conv = run->conversationId();
        const Outcome o = runToEnd(run);
        QVERIFY2(o.errorCode.isEmpty(), qPrintable(o.message));
        QCOMPARE(o.conversationId, conv);
        QCOMPARE(o.text(), QStringLiteral("Anna wants to cut marketing by 10 percent [1]. John agreed [2] and nobody cited."));
        QVERIFY(o.chunks.size() >= 3); // streamed, not buffered

        // The request: the real wire format, numbered sources, the key only in the header.
        QCOMPARE(m_server->requests().size(), 1);
        const auto &req = m_server->requests().first();
        QCOMPARE(req.method, QByteArray("POST"));
        QCOMPARE(req.path, QByteArray("/v1/chat/completions"));
        QCOMPARE(req.headers.value("authorization"), QByteArray("Bearer sk-test-key"));
        const QJsonObject json = req.json();
        QCOMPARE(json.value("model").toString(), QStringLiteral("test-model"));
        QCOMPARE(json.value("stream").toBool(), true);
        const QJsonArray messages = json.value("messages").toArray();
        QCOMPARE(messages.first().toObject().value("role").toString(), QStringLiteral("system"));
        QVERIFY(messages.first().toObject().value("content").toString().contains("square brackets"));
        const QString user = messages.last().toObject().value("content").toString();
        QVERIFY(user.contains("[1] From: "));
        QVERIFY(user.endsWith("Question: What did Anna say about the marketing budget?"));
        QVERIFY(!QString::fromUtf8(req.body).contains("sk-test-key"));

        // sources: only what the answer cites, in answer order, each the doc the prompt numbered.
        QCOMPARE(o.sources.size(), 2);
        QCOMPARE(o.sources.at(0).number, 1);
        QCOMPARE(o.sources.at(0).subject, promptSubject(json, 3));
        QCOMPARE(o.sources.at(1).subject, promptSubject(json, 1));
        for (const Source &s : o.sources) {
            QVERIFY(s.relevance > 0 && s.relevance <= 1);
            QVERIFY(!s.passage.isEmpty());
        }
        QVERIFY(o.sources.at(0).passage.contains("cut the marketing budget") || o.sources.at(0).passage.contains("marketing"));

        auto stored = engine->getConversation(m_user, conv).result();
        QVERIFY(stored);
        QCOMPARE(stored->turns.first().answer, o.text());
        QCOMPARE(stored->turns.first().provider, QStringLiteral("openai"));
        QCOMPARE(stored->turns.first().requestId, QStringLiteral("chat_1"));
        QCOMPARE(stored->turns.first().sources, o.sources);
    }

    void wireFormat_data()
    {
        QTest::addColumn<Script>("script");
        QTest::addColumn<QString>("errorCode"); // empty: success
        QTest::addColumn<QString>("text");      // expected answer (success) or partial answer streamed before failing

        const QByteArray a = OpenAiTestServer::deltaEvent("Hello ");
        const QByteArray b = OpenAiTestServer::deltaEvent("world [1].");
        const QByteArray stop = OpenAiTestServer::deltaEvent(QString(), "stop");
        const QByteArray done = OpenAiTestServer::doneEvent();

        QTest::newRow("lf events") << events({a, b, stop, done}) << "" << "Hello world [1].";
        QTest::newRow("crlf events") << events({OpenAiTestServer::deltaEvent("Hello ", {}, true),
                                                OpenAiTestServer::deltaEvent("world [1].", {}, true), "data: [DONE]\r\n\r\n"})
                                     << "" << "Hello world [1].";
        QTest::newRow("chunked encoding") << events({a, b, stop, done}, Ending::Complete, 0, true) << "" << "Hello world [1].";
        QTest::newRow("event split mid-line") << events({a + b.left(10), b.mid(10) + stop + done.left(8), done.mid(8)})
                                              << "" << "Hello world [1].";
        QTest::newRow("finish_reason without DONE") << events({a, b, stop}) << "" << "Hello world [1].";
        QTest::newRow("comments and keep-alives") << events({": ping\n\n", a, "data: {\"choices\":[]}\n\n", b, stop, done})
                                                  << "" << "Hello world [1].";
        QTest::newRow("slow stream") << events({a, b, stop, done}, Ending::Complete, 150) << "" << "Hello world [1].";
        Script nonStream;
        nonStream.contentType = "application/json";
        nonStream.pieces << Piece{R"({"choices":[{"index":0,"message":{"role":"assistant","content":"Whole [1]."},"finish_reason":"stop"}]})", 0};
        QTest::newRow("non-streamed answer") << nonStream << "" << "Whole [1].";

        QTest::newRow("http 500") << errorScript(500, OpenAiTestServer::errorBody("model crashed", "server_error"))
                                  << "LLM_ERROR" << "";
        QTest::newRow("http 401") << errorScript(401, OpenAiTestServer::errorBody("Incorrect API key provided", "invalid_api_key"))
                                  << "LLM_ERROR" << "";
        QTest::newRow("http 401 echoing the key") << errorScript(401, OpenAiTestServer::errorBody("Incorrect API key provided: sk-test-key", "invalid_api_key"))
                                                  << "LLM_ERROR" << "";
        QTest::newRow("http 404 ollama") << errorScript(404, R"({"error":"model 'x' not found, try pulling it first"})")
                                         << "LLM_ERROR" << "";
        QTest::newRow("http 503") << errorScript(503, R"({"error":{"message":"Loading model","code":503}})")
                                  << "LLM_UNAVAILABLE" << "";
        QTest::newRow("context too long") << errorScript(400, OpenAiTestServer::errorBody(
                                                 "This model's maximum context length is 4096 tokens. However, your messages resulted in 5000 tokens.",
                                                 "context_length_exceeded"))
                                          << "CONTEXT_TOO_LONG" << "";
        QTest::newRow("error event mid-stream") << events({a, "data: {\"error\":{\"message\":\"out of memory\"}}\n\n"})
                                                << "LLM_ERROR" << "Hello ";
        QTest::newRow("malformed json") << events({a, "data: {\"choices\": [ {\"delta\": \n\n"}) << "LLM_ERROR" << "Hello ";
        QTest::newRow("cut mid-way") << events({a, b}, Ending::Cut) << "LLM_ERROR" << "Hello world [1].";
        QTest::newRow("cut mid-event") << events({a, b.left(15)}, Ending::Cut) << "LLM_ERROR" << "Hello ";
        QTest::newRow("cut chunked") << events({a}, Ending::Cut, 0, true) << "LLM_ERROR" << "Hello ";
        QTest::newRow("stalls") << events({a}, Ending::Stall) << "LLM_TIMEOUT" << "Hello ";
        Script silent;
        silent.ending = Ending::NoResponse;
        QTest::newRow("no response") << silent << "LLM_TIMEOUT" << "";
    }
    void wireFormat()
    {
        QFETCH(Script, script);
        QFETCH(QString, errorCode);
        QFETCH(QString, text);
        m_server->setScript(script);
        ProviderConfig c = config();
        c.connectTimeoutMs = 400;
        c.idleTimeoutMs = 400;
        auto engine = makeEngine(c);
        QElapsedTimer t;
        t.start();
        const Outcome o = runToEnd(engine->ask(m_user, "marketing budget"));
        QVERIFY(o.done);
        QCOMPARE(o.errorCode, errorCode);
        QCOMPARE(o.text(), text);
        if (errorCode.isEmpty())
            QCOMPARE(o.sources.size(), 1);
        else
            QVERIFY(!o.message.isEmpty());
        QVERIFY(t.elapsed() < 5000);
        if (errorCode == "LLM_ERROR" && script.status >= 400)
            QVERIFY2(o.message.contains(QString::number(script.status)), qPrintable(o.message));
        QVERIFY(!o.message.contains("sk-test-key"));
    }

    void unreachableServer()
    {
        ProviderConfig c = config();
        m_server.reset(); // nothing listens on that port any more
        auto engine = makeEngine(c);
        const Outcome o = runToEnd(engine->ask(m_user, "marketing budget"));
        QCOMPARE(o.errorCode, QStringLiteral("LLM_UNAVAILABLE"));
        c.baseUrl = QUrl("http://no-such-host.invalid/v1");
        engine->setProviderConfig(c);
        QCOMPARE(runToEnd(engine->ask(m_user, "marketing budget")).errorCode, QStringLiteral("LLM_UNAVAILABLE"));
        m_server = std::make_unique<OpenAiTestServer>(); // for cleanup()
    }

    void questionTooLongForContext()
    {
        ProviderConfig c = config();
        c.contextTokens = 1200;
        c.maxAnswerTokens = 1000;
        auto engine = makeEngine(c);
        const Outcome o = runToEnd(engine->ask(m_user, QStringLiteral("budget ") + QString(2000, QLatin1Char('x'))));
        QCOMPARE(o.errorCode, QStringLiteral("CONTEXT_TOO_LONG"));
        QVERIFY(m_server->requests().isEmpty()); // never sent
    }

    void conversationStaysUsableAfterErrors()
    {
        auto engine = makeEngine(config());
        m_server->setScript(OpenAiTestServer::streamText({"Anna wants a 10 percent cut [1]."}));
        const Outcome first = runToEnd(engine->ask(m_user, "What does Anna want for the marketing budget?"));
        QVERIFY(first.errorCode.isEmpty());
        const QString conv = first.conversationId;

        m_server->setScript(errorScript(500, OpenAiTestServer::errorBody("boom")));
        QCOMPARE(runToEnd(engine->ask(m_user, "and John?", conv)).errorCode, QStringLiteral("LLM_ERROR"));
        m_server->setScript(events({OpenAiTestServer::deltaEvent("partial")}, Ending::Cut));
        QCOMPARE(runToEnd(engine->ask(m_user, "and John?", conv)).errorCode, QStringLiteral("LLM_ERROR"));

        m_server->setScript(OpenAiTestServer::streamText({"John agreed [2]."}));
        const Outcome ok = runToEnd(engine->ask(m_user, "and what did John reply?", conv));
        QVERIFY2(ok.errorCode.isEmpty(), qPrintable(ok.message));
        QCOMPARE(ok.conversationId, conv);
        // The failed turns are not replayed to the model; the complete one is.
        const QJsonArray messages = m_server->requests().last().json().value("messages").toArray();
        QCOMPARE(messages.size(), 4); // system, earlier question, earlier answer, this question
        QCOMPARE(messages.at(1).toObject().value("content").toString(), QStringLiteral("What does Anna want for the marketing budget?"));
        QCOMPARE(messages.at(2).toObject().value("content").toString(), QStringLiteral("Anna wants a 10 percent cut [1]."));

        const auto stored = engine->getConversation(m_user, conv).result();
        QVERIFY(stored);
        QStringList statuses;
        for (const Turn &t : stored->turns)
            statuses << t.status + (t.errorCode.isEmpty() ? QString() : ":" + t.errorCode);
        QCOMPARE(statuses, QStringList({"complete", "failed:LLM_ERROR", "failed:LLM_ERROR", "complete"}));
        QCOMPARE(stored->turns.at(2).answer, QStringLiteral("partial"));
    }

    void cancelStopsUpstreamAtOnce()
    {
        QStringList words;
        for (int i = 0; i < 50; ++i)
            words << QStringLiteral("word%1 ").arg(i);
        m_server->setScript(OpenAiTestServer::streamText(words, 100));
        auto engine = makeEngine(config());
        ChatRun *run = engine->ask(m_user, "marketing budget");
        const QString conv = run->conversationId();
        QPointer<ChatRun> guard(run);
        QSignalSpy chunks(run, &ChatRun::chunkReady);
        QSignalSpy completed(run, &ChatRun::completed);
        QSignalSpy failed(run, &ChatRun::failed);
        QTRY_VERIFY_WITH_TIMEOUT(chunks.size() >= 2, 5000);
        QCOMPARE(m_server->openConnections(), 1);
        QElapsedTimer t;
        t.start();
        run->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(m_server->disconnects() >= 1, 1000); // upstream request aborted
        QVERIFY(t.elapsed() < 500);
        const qsizetype seen = chunks.size();
        QTest::qWait(400);
        QVERIFY(guard.isNull()); // the run cleaned itself up
        QCOMPARE(chunks.size(), seen);
        QCOMPARE(completed.size(), 0);
        QCOMPARE(failed.size(), 0);
        QTRY_VERIFY(engine->getConversation(m_user, conv).result().has_value()
                    && engine->getConversation(m_user, conv).result()->turns.value(0).status == QStringLiteral("cancelled"));
    }

    void extractiveProviderIsTheDefault()
    {
        auto engine = std::make_unique<ChatEngine>(m_fx->config(), ProviderConfig{}, std::unique_ptr<Retriever>());
        const Outcome o = runToEnd(engine->ask(m_user, "marketing budget"));
        QVERIFY(o.errorCode.isEmpty());
        QVERIFY(o.text().startsWith("Extractive answer"));
        QVERIFY(m_server->requests().isEmpty()); // no network
    }
};

QTEST_GUILESS_MAIN(TestChatOpenAi)
#include "tst_chatopenai.moc"
