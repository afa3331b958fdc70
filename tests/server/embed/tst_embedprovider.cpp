// The OpenAI-compatible embeddings client against a test server speaking the real wire format:
// batching, order by "index", the key only in the Authorization header, error bodies, timeouts,
// malformed answers, unreachable servers.
#include "embedtestserver.h"
#include "openaiembedder.h"

#include <QJsonArray>
#include <QTcpServer>
#include <QTest>

#include <cmath>

using namespace emailrag;
using namespace emailrag::embed;
using test::EmbedTestServer;

class TestEmbedProvider : public QObject
{
    Q_OBJECT
private:
    static OpenAiEmbedConfig config(const EmbedTestServer &server)
    {
        OpenAiEmbedConfig c;
        c.baseUrl = server.baseUrl();
        c.model = QStringLiteral("nomic-embed-text");
        c.apiKey = QStringLiteral("sk-test-SECRET-1234");
        c.batchSize = 2;
        c.timeoutMs = 2000;
        return c;
    }
    // A vector that encodes the text's length, so the test can check which text got which vector.
    static QList<double> vectorFor(const QString &text) { return {double(text.size()), 1.0, 0.0}; }

private Q_SLOTS:
    void batchesAndOrder()
    {
        EmbedTestServer server;
        server.setHandler([](const EmbedTestServer::Request &r) {
            QList<QList<double>> vecs;
            for (const QJsonValue &v : r.body.value(QStringLiteral("input")).toArray())
                vecs << vectorFor(v.toString());
            // Answer in reverse order: the client must place vectors by "index".
            return EmbedTestServer::Reply{200, EmbedTestServer::embeddingsBody(vecs, QStringLiteral("nomic-embed-text"), true)};
        });
        OpenAiEmbedder e(config(server));
        QCOMPARE(e.model(), QStringLiteral("openai:nomic-embed-text"));
        const QStringList texts{QStringLiteral("a"), QStringLiteral("bbb"), QStringLiteral("cc"), QStringLiteral("dddd"),
                                QStringLiteral("eeeee")};
        const EmbedResult r = e.embed(texts);
        if (auto *e = std::get_if<EmbedError>(&r))
            QFAIL(qPrintable(e->message));
        const QList<Vector> vecs = std::get<QList<Vector>>(r);
        QCOMPARE(vecs.size(), 5);
        QCOMPARE(server.requests().size(), 3); // batches of 2, 2, 1
        for (int i = 0; i < texts.size(); ++i) {
            // Normalised: (len, 1, 0) / sqrt(len² + 1)
            const double n = std::sqrt(double(texts[i].size()) * texts[i].size() + 1);
            QVERIFY(std::abs(vecs[i][0] - texts[i].size() / n) < 1e-5);
            QVERIFY(std::abs(vecs[i][1] - 1 / n) < 1e-5);
        }
        const auto &req = server.requests().first();
        QCOMPARE(req.path, QByteArray("/v1/embeddings"));
        QCOMPARE(req.authorization, QByteArray("Bearer sk-test-SECRET-1234"));
        QCOMPARE(req.body.value(QStringLiteral("model")).toString(), QStringLiteral("nomic-embed-text"));
        QCOMPARE(req.body.value(QStringLiteral("input")).toArray().size(), 2);
    }

    void httpErrorBodyIsReportedWithoutTheKey()
    {
        EmbedTestServer server;
        server.setHandler([](const EmbedTestServer::Request &) {
            // Some servers echo the key back: it must not reach the message.
            return EmbedTestServer::Reply{
                401, EmbedTestServer::errorBody(QStringLiteral("Incorrect API key provided: sk-test-SECRET-1234"),
                                                QStringLiteral("invalid_api_key"))};
        });
        OpenAiEmbedder e(config(server));
        const EmbedResult r = e.embed({QStringLiteral("hello")});
        QVERIFY(std::holds_alternative<EmbedError>(r));
        const EmbedError err = std::get<EmbedError>(r);
        QCOMPARE(err.code, EmbedError::Code::Http);
        QCOMPARE(err.httpStatus, 401);
        QVERIFY2(err.message.contains(QStringLiteral("Incorrect API key")), qPrintable(err.message));
        QVERIFY2(!err.message.contains(QStringLiteral("SECRET")), qPrintable(err.message));
    }

    void plainStringErrorOfLocalServers()
    {
        EmbedTestServer server;
        server.setHandler([](const EmbedTestServer::Request &) {
            return EmbedTestServer::Reply{404, QByteArray("{\"error\":\"model 'nomic-embed-text' not found, try pulling it first\"}")};
        });
        OpenAiEmbedder e(config(server));
        const EmbedResult r = e.embed({QStringLiteral("hello")});
        QVERIFY(std::holds_alternative<EmbedError>(r));
        QCOMPARE(std::get<EmbedError>(r).httpStatus, 404);
        QVERIFY(std::get<EmbedError>(r).message.contains(QStringLiteral("not found, try pulling it")));
    }

    void wrongVectorCountIsABadResponse()
    {
        EmbedTestServer server;
        server.setHandler([](const EmbedTestServer::Request &) {
            return EmbedTestServer::Reply{200, EmbedTestServer::embeddingsBody({{1, 0, 0}}, QStringLiteral("m"))};
        });
        OpenAiEmbedConfig c = config(server);
        OpenAiEmbedder e(c);
        const EmbedResult r = e.embed({QStringLiteral("one"), QStringLiteral("two")});
        QVERIFY(std::holds_alternative<EmbedError>(r));
        QCOMPARE(std::get<EmbedError>(r).code, EmbedError::Code::BadResponse);
    }

    void mixedDimensionsAreABadResponse()
    {
        EmbedTestServer server;
        server.setHandler([](const EmbedTestServer::Request &) {
            return EmbedTestServer::Reply{200, EmbedTestServer::embeddingsBody({{1, 0, 0}, {1, 0}}, QStringLiteral("m"))};
        });
        OpenAiEmbedder e(config(server));
        const EmbedResult r = e.embed({QStringLiteral("one"), QStringLiteral("two")});
        QVERIFY(std::holds_alternative<EmbedError>(r));
        QCOMPARE(std::get<EmbedError>(r).code, EmbedError::Code::BadResponse);
    }

    void silentServerTimesOut()
    {
        EmbedTestServer server;
        server.setHandler([](const EmbedTestServer::Request &) { return EmbedTestServer::Reply{200, {}, true}; });
        OpenAiEmbedConfig c = config(server);
        c.timeoutMs = 300;
        OpenAiEmbedder e(c);
        QElapsedTimer t;
        t.start();
        const EmbedResult r = e.embed({QStringLiteral("hello")});
        QVERIFY(std::holds_alternative<EmbedError>(r));
        QCOMPARE(std::get<EmbedError>(r).code, EmbedError::Code::Timeout);
        QVERIFY2(t.elapsed() < 5000, "the timeout must stop the call");
    }

    void unreachableServer()
    {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        } // closed: nothing listens there now
        OpenAiEmbedConfig c;
        c.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(port));
        c.model = QStringLiteral("m");
        c.apiKey = QStringLiteral("sk-test-SECRET-1234");
        OpenAiEmbedder e(c);
        const EmbedResult r = e.embed({QStringLiteral("hello")});
        QVERIFY(std::holds_alternative<EmbedError>(r));
        QCOMPARE(std::get<EmbedError>(r).code, EmbedError::Code::Network);
        QVERIFY(!std::get<EmbedError>(r).message.contains(QStringLiteral("SECRET")));
    }

    void configFromEnvironment()
    {
        qunsetenv("EMAILRAG_EMBED_URL");
        QVERIFY(!OpenAiEmbedConfig::fromEnvironment());
        qputenv("EMAILRAG_EMBED_URL", "http://127.0.0.1:11434/v1");
        qputenv("EMAILRAG_EMBED_MODEL", "mxbai-embed-large");
        qputenv("EMAILRAG_EMBED_API_KEY", "k-123");
        const auto c = OpenAiEmbedConfig::fromEnvironment();
        QVERIFY(c);
        QCOMPARE(c->baseUrl, QUrl(QStringLiteral("http://127.0.0.1:11434/v1")));
        QCOMPARE(c->model, QStringLiteral("mxbai-embed-large"));
        QCOMPARE(c->apiKey, QStringLiteral("k-123"));
        qunsetenv("EMAILRAG_EMBED_URL");
        qunsetenv("EMAILRAG_EMBED_MODEL");
        qunsetenv("EMAILRAG_EMBED_API_KEY");
    }
};

QTEST_GUILESS_MAIN(TestEmbedProvider)
#include "tst_embedprovider.moc"
