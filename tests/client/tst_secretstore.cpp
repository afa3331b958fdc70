// SecretStore against a real gnome-keyring (private D-Bus session started by with-keyring.sh).
#include "futurewait.h"
#include "secretstore.h"
#include "serverurl.h"
#include "storedlogin.h"

#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace emailrag::client;

class TestSecretStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    SecretStore::Options options() const
    {
        SecretStore::Options o;
        o.service = QStringLiteral("emailrag-test");
        o.fallbackFile = m_dir.filePath(QStringLiteral("secrets.json"));
        o.allowFileFallback = true; // even with consent, a working keychain must be preferred
        return o;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"), "run through with-keyring.sh");
        QVERIFY(m_dir.isValid());
    }

    void keyNames_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::newRow("http vs ws") << "http://Mail.Example.org:8000" << "ws://mail.example.org:8000/api/v1/ws";
        QTest::newRow("bare host:port") << "localhost:9000" << "ws://localhost:9000/api/v1/ws";
        QTest::newRow("default port") << "ws://host" << "http://host:8000/";
        QTest::newRow("tls") << "https://host:443" << "wss://host:443/api/v1/ws";
    }
    void keyNames()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        const QString ka = SecretStore::tokenKey(serverurl::webSocketUrl(a));
        QCOMPARE(ka, SecretStore::tokenKey(serverurl::webSocketUrl(b)));
        QVERIFY(ka.startsWith(QLatin1String("token ws")));
        QVERIFY(SecretStore::tokenKey(serverurl::webSocketUrl(QStringLiteral("ws://other:8000")))
                != SecretStore::tokenKey(serverurl::webSocketUrl(QStringLiteral("ws://host:8000"))));
    }

    void roundTripInKeyring()
    {
        SecretStore store(options());
        QSignalSpy unavailable(&store, &SecretStore::keychainUnavailable);
        const QString key = SecretStore::tokenKey(serverurl::webSocketUrl(QStringLiteral("localhost:8123")));
        const QString token = QStringLiteral("eyJ.secret-token.%1").arg(QDateTime::currentMSecsSinceEpoch());

        SecretResult w = waitForFuture(store.write(key, token));
        QVERIFY2(w.ok(), qPrintable(w.error));
        QVERIFY(!w.fromFile);
        SecretResult r = waitForFuture(store.read(key));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.value, token);
        QVERIFY(!r.fromFile);
        QCOMPARE(unavailable.count(), 0);
        QVERIFY(store.keychainAvailable());
        // The keychain, not a file: nothing was written to the fallback file.
        QVERIFY(!QFile::exists(options().fallbackFile));

        // A second store (a new process would do the same) sees the secret.
        SecretStore other(options());
        QCOMPARE(waitForFuture(other.read(key)).value, token);

        // Overwrite, then remove.
        QVERIFY(waitForFuture(store.write(key, QStringLiteral("second"))).ok());
        QCOMPARE(waitForFuture(store.read(key)).value, QStringLiteral("second"));
        QVERIFY(waitForFuture(store.remove(key)).ok());
        const SecretResult gone = waitForFuture(store.read(key));
        QCOMPARE(gone.status, SecretResult::NotFound);
        QVERIFY(gone.value.isEmpty());
        // Removing what is not there is fine.
        QVERIFY(waitForFuture(store.remove(key)).ok());
    }

    void tokensPerServerAreSeparate()
    {
        SecretStore store(options());
        const QString a = SecretStore::tokenKey(serverurl::webSocketUrl(QStringLiteral("ws://a:1")));
        const QString b = SecretStore::tokenKey(serverurl::webSocketUrl(QStringLiteral("ws://b:1")));
        QVERIFY(waitForFuture(store.write(a, QStringLiteral("token-a"))).ok());
        QVERIFY(waitForFuture(store.write(b, QStringLiteral("token-b"))).ok());
        QCOMPARE(waitForFuture(store.read(a)).value, QStringLiteral("token-a"));
        QCOMPARE(waitForFuture(store.read(b)).value, QStringLiteral("token-b"));
        QVERIFY(waitForFuture(store.remove(a)).ok());
        QCOMPARE(waitForFuture(store.read(a)).status, SecretResult::NotFound);
        QCOMPARE(waitForFuture(store.read(b)).value, QStringLiteral("token-b"));
    }

    // The login entry the CLI and the window share survives the keychain, names and all.
    void storedLoginRoundTrip()
    {
        SecretStore store(options());
        const QString key = SecretStore::tokenKey(serverurl::webSocketUrl(QStringLiteral("ws://login:1")));
        const StoredLogin login{QStringLiteral("anna \"ö\""), QStringLiteral("eyJ.a.b")};
        QVERIFY(waitForFuture(store.write(key, login.encode())).ok());
        const StoredLogin back = StoredLogin::decode(waitForFuture(store.read(key)).value);
        QCOMPARE(back.user, login.user);
        QCOMPARE(back.token, login.token);
        // A bare token (an entry written by hand) is a token without a user.
        const StoredLogin bare = StoredLogin::decode(QStringLiteral("eyJ.bare.token\n"));
        QCOMPARE(bare.token, QStringLiteral("eyJ.bare.token"));
        QVERIFY(bare.user.isEmpty());
        QVERIFY(waitForFuture(store.remove(key)).ok());
    }

    void apiKeys()
    {
        SecretStore store(options());
        const QString key = SecretStore::apiKeyKey(QStringLiteral(" OpenAI "));
        QCOMPARE(key, SecretStore::apiKeyKey(QStringLiteral("openai")));
        QVERIFY(waitForFuture(store.write(key, QStringLiteral("sk-test-123 ünïcode"))).ok());
        QCOMPARE(waitForFuture(store.read(key)).value, QStringLiteral("sk-test-123 ünïcode"));
    }

    void secretIsInTheKeyringDaemonNotInPlainFiles()
    {
        // Cross-check with the Secret Service itself (secret-tool, when installed) and make sure
        // no file under HOME carries the secret in clear text.
        SecretStore store(options());
        const QString marker = QStringLiteral("plain-text-marker-%1").arg(QRandomGenerator::global()->generate());
        const QString key = SecretStore::apiKeyKey(QStringLiteral("marker"));
        QVERIFY(waitForFuture(store.write(key, marker)).ok());
        QDirIterator it(QDir::homePath(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        int files = 0;
        while (it.hasNext()) {
            QFile f(it.next());
            if (f.size() > 10 * 1024 * 1024 || !f.open(QIODevice::ReadOnly))
                continue;
            ++files;
            QVERIFY2(!f.readAll().contains(marker.toUtf8()), qPrintable(f.fileName()));
        }
        QVERIFY(files > 0); // the keyring file itself lives under HOME, encrypted
        QVERIFY(waitForFuture(store.remove(key)).ok());
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
