#pragma once

#include <QByteArray>
#include <QString>

#include <chrono>
#include <optional>

namespace emailrag::server {

// What a valid token says. The caller still checks that the user exists and that `version`
// equals the user's created_at (so a token for a removed user — or for an older user of the
// same name — is refused).
struct TokenClaims
{
    qint64 userId = 0;
    QString userName;
    QString version;
    qint64 expiresAt = 0; // seconds since the epoch
};

enum class TokenError { None, Malformed, BadSignature, WrongAlgorithm, Expired, NotYetValid, MissingClaim };
QString tokenErrorText(TokenError e);

// JWT HS256 through cpp-jwt, the algorithm pinned to HS256 (alg "none" and every other algorithm
// are refused by the library before the signature is looked at). exp, nbf, iat and sub are
// required and checked. The HMAC key is 32 random bytes kept in DATA_DIR/jwt-signing.key with
// mode 0600, created on first use. A value type after construction: verify/issue are const and
// thread-safe. Fails at load() only (unreadable or uncreatable key file).
class TokenService
{
public:
    static constexpr const char *kKeyFile = "jwt-signing.key";

    // Loads the key from `dataDir`, creating it (0600) when missing. nullopt + `error` on failure.
    static std::optional<TokenService> load(const QString &dataDir, QString *error = nullptr);
    explicit TokenService(QByteArray key) : m_key(std::move(key)) { }

    QString issue(qint64 userId, const QString &userName, const QString &version, std::chrono::seconds ttl) const;
    std::optional<TokenClaims> verify(const QString &token, TokenError *error = nullptr) const;

private:
    QByteArray m_key;
};

// "12h", "30m", "7d", "90s" or plain seconds; nullopt when unparsable or not positive.
std::optional<std::chrono::seconds> parseDuration(const QString &text);

} // namespace emailrag::server
