// Auth building blocks: Argon2id passwords, JWT issue/verify with every refusal the issue lists,
// the signing key file, users in the database, duration parsing.

#include "database.h"
#include "passwords.h"
#include "tokenservice.h"
#include "userstore.h"

#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <jwt/jwt.hpp>
#include <sys/stat.h>

using namespace emailrag::server;
using namespace std::chrono_literals;

namespace {

QByteArray b64url(const QByteArray &in)
{
    return in.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray keyOf(const QString &dir)
{
    QFile f(dir + QStringLiteral("/jwt-signing.key"));
    f.open(QIODevice::ReadOnly);
    return f.readAll().trimmed();
}

std::string signWith(const char *alg, const std::string &key, std::chrono::system_clock::time_point iat,
                     std::chrono::system_clock::time_point nbf, std::chrono::system_clock::time_point exp, bool withSub = true)
{
    jwt::jwt_object obj{jwt::params::algorithm(alg), jwt::params::secret(key)};
    if (withSub)
        obj.add_claim("sub", "7");
    obj.add_claim("name", "anna").add_claim("ver", "v1").add_claim("iat", iat).add_claim("nbf", nbf).add_claim("exp", exp);
    return obj.signature();
}

} // namespace

class TestAuth : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void argon2idHashAndVerify()
    {
        const QString h = Passwords::hash("correct horse");
        QVERIFY(h.startsWith(QStringLiteral("$argon2id$")));
        QVERIFY(Passwords::verify(h, "correct horse"));
        QVERIFY(!Passwords::verify(h, "correct horsE"));
        QVERIFY(!Passwords::verify(QStringLiteral("garbage"), "correct horse"));
        QVERIFY(!Passwords::verify(QStringLiteral("!"), "")); // password-less user
        QVERIFY(Passwords::hash("correct horse") != h);       // salted
    }

    void keyFileCreatedWith0600AndReused()
    {
        QTemporaryDir dir;
        QString err;
        auto a = TokenService::load(dir.path(), &err);
        QVERIFY2(a, qPrintable(err));
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(dir.filePath(QStringLiteral("jwt-signing.key"))).constData(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0600);
        const QByteArray key = keyOf(dir.path());
        QCOMPARE(key.size(), 64);
        auto b = TokenService::load(dir.path(), &err);
        QVERIFY(b);
        QCOMPARE(keyOf(dir.path()), key); // not regenerated
        // A token from one load verifies with the other.
        const QString t = a->issue(7, QStringLiteral("anna"), QStringLiteral("v1"), 60s);
        QVERIFY(b->verify(t));
        // A different data dir has a different key.
        QTemporaryDir other;
        auto c = TokenService::load(other.path(), &err);
        TokenError e = TokenError::None;
        QVERIFY(!c->verify(t, &e));
        QCOMPARE(e, TokenError::BadSignature);
    }

    void issuedTokenVerifies()
    {
        QTemporaryDir dir;
        auto ts = TokenService::load(dir.path());
        const QString t = ts->issue(42, QStringLiteral("bob"), QStringLiteral("2026-01-01T00:00:00.000Z"), 3600s);
        TokenError e = TokenError::Malformed;
        const auto c = ts->verify(t, &e);
        QVERIFY(c);
        QCOMPARE(e, TokenError::None);
        QCOMPARE(c->userId, 42);
        QCOMPARE(c->userName, QStringLiteral("bob"));
        QCOMPARE(c->version, QStringLiteral("2026-01-01T00:00:00.000Z"));
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QVERIFY(qAbs(c->expiresAt - (now + 3600)) <= 2);
        // Header says HS256.
        const QByteArray header = QByteArray::fromBase64(t.split(QLatin1Char('.')).first().toLatin1(), QByteArray::Base64UrlEncoding);
        QVERIFY(header.contains("\"HS256\""));
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("expected");
        QTest::newRow("tampered payload") << "tampered" << int(TokenError::BadSignature);
        QTest::newRow("tampered signature") << "badsig" << int(TokenError::BadSignature);
        QTest::newRow("alg none") << "none" << int(TokenError::WrongAlgorithm);
        QTest::newRow("HS512 with the right key") << "hs512" << int(TokenError::WrongAlgorithm);
        QTest::newRow("expired") << "expired" << int(TokenError::Expired);
        QTest::newRow("not yet valid") << "nbf" << int(TokenError::NotYetValid);
        QTest::newRow("no sub") << "nosub" << int(TokenError::MissingClaim);
        QTest::newRow("garbage") << "garbage" << int(TokenError::Malformed);
        QTest::newRow("empty") << "empty" << int(TokenError::Malformed);
        QTest::newRow("bad base64 json") << "badjson" << int(TokenError::Malformed);
    }

    void refusals()
    {
        QFETCH(QString, kind);
        QFETCH(int, expected);
        QTemporaryDir dir;
        auto ts = TokenService::load(dir.path());
        const std::string key = keyOf(dir.path()).toStdString();
        const auto now = std::chrono::system_clock::now();
        QString token;
        const QString good = ts->issue(7, QStringLiteral("anna"), QStringLiteral("v1"), 3600s);
        const QStringList parts = good.split(QLatin1Char('.'));
        if (kind == QLatin1String("tampered")) {
            QByteArray payload = QByteArray::fromBase64(parts[1].toLatin1(), QByteArray::Base64UrlEncoding);
            payload.replace("\"sub\":\"7\"", "\"sub\":\"8\"");
            QVERIFY(payload.contains("\"sub\":\"8\""));
            token = parts[0] + QLatin1Char('.') + QString::fromLatin1(b64url(payload)) + QLatin1Char('.') + parts[2];
        } else if (kind == QLatin1String("badsig")) {
            QString sig = parts[2];
            sig[3] = sig[3] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
            token = parts[0] + QLatin1Char('.') + parts[1] + QLatin1Char('.') + sig;
        } else if (kind == QLatin1String("none")) {
            token = QString::fromLatin1(b64url(R"({"alg":"none","typ":"JWT"})")) + QLatin1Char('.') + parts[1] + QLatin1Char('.');
        } else if (kind == QLatin1String("hs512")) {
            token = QString::fromStdString(signWith("HS512", key, now, now, now + 1h));
        } else if (kind == QLatin1String("expired")) {
            token = QString::fromStdString(signWith("HS256", key, now - 2h, now - 2h, now - 1h));
        } else if (kind == QLatin1String("nbf")) {
            token = QString::fromStdString(signWith("HS256", key, now, now + 1h, now + 2h));
        } else if (kind == QLatin1String("nosub")) {
            token = QString::fromStdString(signWith("HS256", key, now, now, now + 1h, false));
        } else if (kind == QLatin1String("garbage")) {
            token = QStringLiteral("not.a.token");
        } else if (kind == QLatin1String("badjson")) {
            token = QString::fromLatin1(b64url("{\"alg\":")) + QStringLiteral(".e30.abc");
        }
        TokenError e = TokenError::None;
        QVERIFY(!ts->verify(token, &e));
        QCOMPARE(int(e), expected);
        // The untouched token is fine, so each refusal above is caused by its change alone.
        QVERIFY(ts->verify(good));
    }

    void usersInDatabase()
    {
        QTemporaryDir dir;
        const auto cfg = emailrag::storage::DatabaseConfig::sqliteFile(dir.filePath(QStringLiteral("emailrag.db")));
        QVERIFY(!emailrag::storage::Database::migrate(cfg, QStringLiteral("t")));
        QSqlDatabase db = emailrag::storage::Database::connection(cfg, QStringLiteral("t"));
        QCOMPARE(UserStore::add(db, QStringLiteral("anna"), "secret-pass", true), UserStore::AddResult::Added);
        QCOMPARE(UserStore::add(db, QStringLiteral("anna"), "other-pass"), UserStore::AddResult::Exists);
        QCOMPARE(UserStore::add(db, QStringLiteral("bad name"), "x"), UserStore::AddResult::InvalidName);
        QCOMPARE(UserStore::add(db, QStringLiteral("bob"), "bob-password"), UserStore::AddResult::Added);
        const auto list = UserStore::list(db);
        QCOMPARE(list.size(), 2);
        QCOMPARE(list[0].name, QStringLiteral("anna"));
        QVERIFY(list[0].isAdmin);
        QVERIFY(!list[1].isAdmin);
        QVERIFY(UserStore::authenticate(db, QStringLiteral("anna"), "secret-pass"));
        QVERIFY(!UserStore::authenticate(db, QStringLiteral("anna"), "other-pass"));
        QVERIFY(!UserStore::authenticate(db, QStringLiteral("nobody"), "secret-pass"));
        // The stored hash is Argon2id, never the password.
        QSqlQuery q(db);
        q.exec(QStringLiteral("SELECT password_hash FROM users WHERE name = 'anna'"));
        QVERIFY(q.next());
        QVERIFY(q.value(0).toString().startsWith(QStringLiteral("$argon2id$")));
        QVERIFY(!q.value(0).toString().contains(QStringLiteral("secret-pass")));
        QVERIFY(UserStore::remove(db, QStringLiteral("bob")));
        QVERIFY(!UserStore::remove(db, QStringLiteral("bob")));
        QVERIFY(!UserStore::byName(db, QStringLiteral("bob")));
    }

    void durations()
    {
        QCOMPARE(parseDuration(QStringLiteral("12h"))->count(), 43200);
        QCOMPARE(parseDuration(QStringLiteral("30m"))->count(), 1800);
        QCOMPARE(parseDuration(QStringLiteral("7d"))->count(), 7 * 86400);
        QCOMPARE(parseDuration(QStringLiteral("90"))->count(), 90);
        QVERIFY(!parseDuration(QStringLiteral("0h")));
        QVERIFY(!parseDuration(QStringLiteral("-5m")));
        QVERIFY(!parseDuration(QStringLiteral("12x")));
        QVERIFY(!parseDuration(QString()));
    }
};

QTEST_GUILESS_MAIN(TestAuth)
#include "tst_auth.moc"
