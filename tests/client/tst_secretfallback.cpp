// SecretStore with no reachable keychain (the test runs with a D-Bus address that does not
// exist): it must say so, never write plain text without consent, and with consent keep the
// secret in a file readable by the user alone.
#include "futurewait.h"
#include "secretstore.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

using namespace emailrag::client;

class TestSecretFallback : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void noConsentNoFile()
    {
        SecretStore::Options o;
        o.service = QStringLiteral("emailrag-test");
        o.fallbackFile = m_dir.filePath(QStringLiteral("none/secrets.json"));
        o.allowFileFallback = false;
        SecretStore store(o);
        QSignalSpy unavailable(&store, &SecretStore::keychainUnavailable);
        const SecretResult w = waitForFuture(store.write(QStringLiteral("token ws://h:1"), QStringLiteral("s3cret")));
        QCOMPARE(w.status, SecretResult::Unavailable);
        QVERIFY(w.error.contains(QLatin1String("No system keychain")));
        QVERIFY(w.error.contains(QLatin1String("--secret-file")));
        QCOMPARE(unavailable.count(), 1);
        QVERIFY(!store.keychainAvailable());
        QVERIFY(!QFile::exists(o.fallbackFile));
        // Later calls keep failing the same way, without waiting for the keychain again.
        QCOMPARE(waitForFuture(store.read(QStringLiteral("token ws://h:1"))).status, SecretResult::Unavailable);
        QCOMPARE(unavailable.count(), 1);
    }

    void consentGivesPrivateFile()
    {
        SecretStore::Options o;
        o.service = QStringLiteral("emailrag-test");
        o.fallbackFile = m_dir.filePath(QStringLiteral("data/secrets.json"));
        o.allowFileFallback = true;
        SecretStore store(o);
        const SecretResult w = waitForFuture(store.write(QStringLiteral("token ws://h:1"), QStringLiteral("s3cret")));
        QVERIFY2(w.ok(), qPrintable(w.error));
        QVERIFY(w.fromFile);
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(o.fallbackFile).constData(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0600);
        QCOMPARE(::stat(QFile::encodeName(m_dir.filePath(QStringLiteral("data"))).constData(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0700);
        const SecretResult r = waitForFuture(store.read(QStringLiteral("token ws://h:1")));
        QVERIFY(r.ok());
        QCOMPARE(r.value, QStringLiteral("s3cret"));
        QCOMPARE(waitForFuture(store.read(QStringLiteral("token ws://other:1"))).status, SecretResult::NotFound);
        QVERIFY(waitForFuture(store.remove(QStringLiteral("token ws://h:1"))).ok());
        QCOMPARE(waitForFuture(store.read(QStringLiteral("token ws://h:1"))).status, SecretResult::NotFound);
    }

    void refusesFileReadableByOthers()
    {
        SecretStore::Options o;
        o.fallbackFile = m_dir.filePath(QStringLiteral("open/secrets.json"));
        o.allowFileFallback = true;
        SecretStore store(o);
        QVERIFY(waitForFuture(store.write(QStringLiteral("k"), QStringLiteral("v"))).ok());
        QVERIFY(QFile::setPermissions(o.fallbackFile, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
        const SecretResult r = waitForFuture(store.read(QStringLiteral("k")));
        QCOMPARE(r.status, SecretResult::Failed);
        QVERIFY(r.error.contains(QLatin1String("readable by other users")));
    }
};

QTEST_GUILESS_MAIN(TestSecretFallback)
#include "tst_secretfallback.moc"
