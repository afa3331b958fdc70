#pragma once

#include <QByteArray>
#include <QString>

namespace emailrag::server {

// Argon2id password hashing through libsodium (crypto_pwhash_str, interactive limits: about
// 135 ms per hash or check on this machine). Stateless and thread-safe; call it off the event
// loop (DbWorker or a pool) because it is deliberately slow. Never logs the password.
class Passwords
{
public:
    // The encoded hash ("$argon2id$v=19$m=...") or an empty string when libsodium fails
    // (out of memory).
    static QString hash(const QByteArray &password);
    // True when `password` matches `encodedHash`; false for any malformed hash.
    static bool verify(const QString &encodedHash, const QByteArray &password);
    // Ensures sodium_init() ran; false if libsodium cannot be used at all.
    static bool init();
};

} // namespace emailrag::server
