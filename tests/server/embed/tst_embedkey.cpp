// The embedding provider's API key from the system keychain (a real gnome-keyring in the private
// D-Bus session of tests/client/with-keyring.sh) or the environment, the environment winning;
// the key reaches the wire as "Authorization: Bearer" and never a log line.
#include "embedkey.h"
#include "embedtestserver.h"
#include "openaiembedder.h"

#include <QEventLoop>
#include <QLoggingCategory>
#include <QMutex>
#include <QtTest>

#include <qt6keychain/keychain.h>

using namespace emailrag::embed;

namespace {

QStringList g_messages;
QMutex g_messagesLock;
QtMessageHandler g_previous = nullptr;

void capture(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_messagesLock);
        g_messages << message;
    }
    if (g_previous)
        g_previous(type, context, message);
}

// Writes (or with an empty secret, deletes) a keychain entry with QtKeychain itself.
bool setEntry(const QString &service, const QString &key, const QString &secret)
{
    QKeychain::Job *job = nullptr;
    if (secret.isEmpty()) {
        job = new QKeychain::DeletePasswordJob(service);
    } else {
        auto *w = new QKeychain::WritePasswordJob(service);
        w->setTextData(secret);
        job = w;
    }
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    QEventLoop loop;
    bool ok = false;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&](QKeychain::Job *j) {
        ok = j->error() == QKeychain::NoError || (secret.isEmpty() && j->error() == QKeychain::EntryNotFound);
        if (!ok)
            qWarning() << "keychain:" << j->errorString();
        loop.quit();
    });
    job->start();
    loop.exec();
    return ok;
}

} // namespace

class TestEmbedKey : public QObject
{
    Q_OBJECT

    const QString m_service = QStringLiteral("emailrag-embed-test");
    const QString m_url = QStringLiteral("http://127.0.0.1:11434/v1");
    const QString m_secret = QStringLiteral("sk-keychain-SECRET-7f3a");

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"), "run through with-keyring.sh");
        qunsetenv("EMAILRAG_EMBED_API_KEY");
        QLoggingCategory::setFilterRules(QStringLiteral("emailrag.*=true"));
        g_previous = qInstallMessageHandler(capture);
    }

    void cleanupTestCase()
    {
        qInstallMessageHandler(g_previous);
        QMutexLocker lock(&g_messagesLock);
        for (const QString &m : std::as_const(g_messages))
            QVERIFY2(!m.contains(QStringLiteral("SECRET")), qPrintable(m)); // never logged
    }

    void keyNameMatchesTheClientsScheme()
    {
        // client::SecretStore::apiKeyKey(url) = "apikey " + url.trimmed().toLower()
        QCOMPARE(embedKeyName(QStringLiteral("  HTTP://Host:8080/V1 ")), QStringLiteral("apikey http://host:8080/v1"));
    }

    void readsTheKeychainEntryOfTheUrl()
    {
        EmbedKeySource source;
        source.service = m_service;
        QVERIFY(!readEmbedKeyFromKeychain(m_url, source)); // nothing stored yet
        QVERIFY(setEntry(m_service, embedKeyName(m_url), m_secret));
        QCOMPARE(readEmbedKeyFromKeychain(m_url, source).value_or(QString()), m_secret);
        // The lookup is per provider URL and per service.
        QVERIFY(!readEmbedKeyFromKeychain(QStringLiteral("http://other:1/v1"), source));
        EmbedKeySource otherService;
        otherService.service = QStringLiteral("emailrag-embed-test-other");
        QVERIFY(!readEmbedKeyFromKeychain(m_url, otherService));
        // Upper-case spelling of the same URL finds the same entry.
        QCOMPARE(readEmbedKeyFromKeychain(m_url.toUpper(), source).value_or(QString()), m_secret);
    }

    void environmentWins()
    {
        EmbedKeySource source;
        source.service = m_service;
        QVERIFY(setEntry(m_service, embedKeyName(m_url), m_secret));
        qunsetenv("EMAILRAG_EMBED_API_KEY");
        QCOMPARE(resolveEmbedApiKey(m_url, source), m_secret);
        qputenv("EMAILRAG_EMBED_API_KEY", "env-key-1");
        QCOMPARE(resolveEmbedApiKey(m_url, source), QStringLiteral("env-key-1"));
        qputenv("EMAILRAG_EMBED_API_KEY", ""); // set but empty: the keychain's
        QCOMPARE(resolveEmbedApiKey(m_url, source), m_secret);
        qunsetenv("EMAILRAG_EMBED_API_KEY");
        QVERIFY(setEntry(m_service, embedKeyName(m_url), QString())); // deleted
        QCOMPARE(resolveEmbedApiKey(m_url, source), QString());
    }

    void keychainKeyReachesTheWire()
    {
        // The server's own configuration path (service "emailrag"; HOME is a throw-away one).
        emailrag::test::EmbedTestServer server;
        server.setHandler([](const emailrag::test::EmbedTestServer::Request &) {
            return emailrag::test::EmbedTestServer::Reply{
                200, emailrag::test::EmbedTestServer::embeddingsBody({{1.0, 0.0}}, QStringLiteral("m"))};
        });
        const QString url = server.baseUrl().toString();
        QVERIFY(setEntry(QStringLiteral("emailrag"), embedKeyName(url), m_secret));
        qputenv("EMAILRAG_EMBED_URL", url.toUtf8());
        qputenv("EMAILRAG_EMBED_MODEL", "m");
        qunsetenv("EMAILRAG_EMBED_API_KEY");
        const auto config = OpenAiEmbedConfig::fromEnvironment();
        QVERIFY(config);
        QCOMPARE(config->apiKey, m_secret);
        OpenAiEmbedder embedder(*config);
        const EmbedResult r = embedder.embed({QStringLiteral("hello")});
        QVERIFY(std::holds_alternative<QList<Vector>>(r));
        QCOMPARE(server.requests().size(), 1);
        QCOMPARE(server.requests().constFirst().authorization, QByteArray("Bearer ") + m_secret.toUtf8());
        // With the variable set, the environment's key is sent instead.
        qputenv("EMAILRAG_EMBED_API_KEY", "env-key-2");
        const auto fromEnv = OpenAiEmbedConfig::fromEnvironment();
        QVERIFY(fromEnv);
        OpenAiEmbedder envEmbedder(*fromEnv);
        QVERIFY(std::holds_alternative<QList<Vector>>(envEmbedder.embed({QStringLiteral("hello")})));
        QCOMPARE(server.requests().size(), 2);
        QCOMPARE(server.requests().at(1).authorization, QByteArray("Bearer env-key-2"));
        qunsetenv("EMAILRAG_EMBED_URL");
        qunsetenv("EMAILRAG_EMBED_MODEL");
        qunsetenv("EMAILRAG_EMBED_API_KEY");
        QVERIFY(setEntry(QStringLiteral("emailrag"), embedKeyName(url), QString()));
    }
};

QTEST_GUILESS_MAIN(TestEmbedKey)
#include "tst_embedkey.moc"
