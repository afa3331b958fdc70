#include "tokenservice.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>

#include <jwt/jwt.hpp>
#include <sodium.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "logging.h"

namespace emailrag::server {

QString tokenErrorText(TokenError e)
{
    switch (e) {
    case TokenError::None: return QStringLiteral("valid");
    case TokenError::Malformed: return QStringLiteral("malformed token");
    case TokenError::BadSignature: return QStringLiteral("invalid signature");
    case TokenError::WrongAlgorithm: return QStringLiteral("algorithm not allowed");
    case TokenError::Expired: return QStringLiteral("token expired");
    case TokenError::NotYetValid: return QStringLiteral("token not yet valid");
    case TokenError::MissingClaim: return QStringLiteral("token lacks a required claim");
    }
    return {};
}

std::optional<TokenService> TokenService::load(const QString &dataDir, QString *error)
{
    if (sodium_init() < 0) {
        if (error)
            *error = QStringLiteral("libsodium cannot be initialised");
        return std::nullopt;
    }
    QDir().mkpath(dataDir);
    const QString path = QDir(dataDir).filePath(QLatin1String(kKeyFile));
    const QByteArray nativePath = QFile::encodeName(path);

    // O_EXCL with mode 0600: the file never exists with wider permissions, not even briefly.
    int fd = ::open(nativePath.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        unsigned char raw[32];
        randombytes_buf(raw, sizeof raw);
        const QByteArray hex = QByteArray(reinterpret_cast<const char *>(raw), sizeof raw).toHex();
        sodium_memzero(raw, sizeof raw);
        const bool ok = ::write(fd, hex.constData(), size_t(hex.size())) == hex.size() && ::fsync(fd) == 0;
        ::close(fd);
        if (!ok) {
            QFile::remove(path);
            if (error)
                *error = QStringLiteral("cannot write %1").arg(path);
            return std::nullopt;
        }
        qCInfo(lcCore) << "created token signing key" << path;
    }
    struct stat st {};
    if (::stat(nativePath.constData(), &st) == 0 && (st.st_mode & 077) != 0) {
        qCWarning(lcCore) << "token signing key had group/other permissions; setting 0600:" << path;
        ::chmod(nativePath.constData(), 0600);
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    const QByteArray key = f.readAll().trimmed();
    if (key.size() < 32) {
        if (error)
            *error = QStringLiteral("signing key %1 is too short").arg(path);
        return std::nullopt;
    }
    return TokenService(key);
}

QString TokenService::issue(qint64 userId, const QString &userName, const QString &version, std::chrono::seconds ttl) const
{
    const auto now = std::chrono::system_clock::now();
    unsigned char jti[12];
    randombytes_buf(jti, sizeof jti);
    jwt::jwt_object obj{jwt::params::algorithm("HS256"),
                        jwt::params::secret(std::string(m_key.constData(), size_t(m_key.size())))};
    obj.add_claim("sub", std::to_string(userId))
        .add_claim("name", userName.toStdString())
        .add_claim("ver", version.toStdString())
        .add_claim("jti", QByteArray(reinterpret_cast<const char *>(jti), sizeof jti).toHex().toStdString())
        .add_claim("iat", now)
        .add_claim("nbf", now)
        .add_claim("exp", now + ttl);
    std::error_code ec;
    const std::string token = obj.signature(ec);
    if (ec) {
        qCWarning(lcCore) << "token signing failed:" << ec.message().c_str();
        return {};
    }
    return QString::fromStdString(token);
}

std::optional<TokenClaims> TokenService::verify(const QString &token, TokenError *error) const
{
    auto fail = [error](TokenError e) -> std::optional<TokenClaims> {
        if (error)
            *error = e;
        return std::nullopt;
    };
    const QByteArray raw = token.toLatin1();
    if (raw.isEmpty() || raw.size() > 8192 || raw.count('.') != 2)
        return fail(TokenError::Malformed);
    try {
        std::error_code ec;
        // Pinned: only HS256 is accepted; "none" and RS/ES tokens fail with InvalidAlgorithm.
        auto dec = jwt::decode(jwt::string_view(raw.constData(), size_t(raw.size())), jwt::params::algorithms({"HS256"}), ec,
                               jwt::params::secret(std::string(m_key.constData(), size_t(m_key.size()))),
                               jwt::params::verify(true), jwt::params::validate_iat(true), jwt::params::leeway(0));
        if (ec) {
            if (ec == jwt::VerificationErrc::TokenExpired)
                return fail(TokenError::Expired);
            if (ec == jwt::VerificationErrc::ImmatureSignature)
                return fail(TokenError::NotYetValid);
            if (ec == jwt::VerificationErrc::InvalidAlgorithm || ec == jwt::AlgorithmErrc::NoneAlgorithmUsed
                || ec == jwt::AlgorithmErrc::InvalidKeyErr)
                return fail(TokenError::WrongAlgorithm);
            if (ec == jwt::AlgorithmErrc::VerificationErr || ec == jwt::VerificationErrc::InvalidSignature)
                return fail(TokenError::BadSignature);
            if (ec == jwt::VerificationErrc::InvalidIAT)
                return fail(TokenError::MissingClaim);
            return fail(TokenError::Malformed);
        }
        if (dec.header().algo() != jwt::algorithm::HS256)
            return fail(TokenError::WrongAlgorithm);
        const auto &p = dec.payload();
        for (const char *claim : {"sub", "exp", "nbf", "iat", "name", "ver"}) {
            if (!p.has_claim(claim))
                return fail(TokenError::MissingClaim);
        }
        const auto &json = p.create_json_obj();
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
        const auto exp = json["exp"].get<int64_t>();
        const auto nbf = json["nbf"].get<int64_t>();
        if (exp < now)
            return fail(TokenError::Expired);
        if (nbf > now)
            return fail(TokenError::NotYetValid);
        TokenClaims c;
        bool ok = false;
        c.userId = QString::fromStdString(json["sub"].get<std::string>()).toLongLong(&ok);
        if (!ok || c.userId <= 0)
            return fail(TokenError::MissingClaim);
        c.userName = QString::fromStdString(json["name"].get<std::string>());
        c.version = QString::fromStdString(json["ver"].get<std::string>());
        c.expiresAt = exp;
        if (error)
            *error = TokenError::None;
        return c;
    } catch (const std::exception &) {
        // cpp-jwt and nlohmann::json throw on some malformed input (bad base64/JSON, wrong claim
        // types) even in the error_code overload; a token from the network is never trusted.
        return fail(TokenError::Malformed);
    }
}

std::optional<std::chrono::seconds> parseDuration(const QString &text)
{
    QString t = text.trimmed().toLower();
    if (t.isEmpty())
        return std::nullopt;
    qint64 mult = 1;
    const QChar unit = t.back();
    if (unit.isLetter()) {
        switch (unit.toLatin1()) {
        case 's': mult = 1; break;
        case 'm': mult = 60; break;
        case 'h': mult = 3600; break;
        case 'd': mult = 86400; break;
        default: return std::nullopt;
        }
        t.chop(1);
    }
    bool ok = false;
    const qint64 n = t.toLongLong(&ok);
    if (!ok || n <= 0 || n > 10LL * 365 * 86400 / mult)
        return std::nullopt;
    return std::chrono::seconds(n * mult);
}

} // namespace emailrag::server
