#include "passwords.h"

#include <sodium.h>

namespace emailrag::server {

bool Passwords::init() { return sodium_init() >= 0; }

QString Passwords::hash(const QByteArray &password)
{
    if (!init())
        return {};
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.constData(), static_cast<unsigned long long>(password.size()),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE)
        != 0)
        return {};
    return QString::fromLatin1(out);
}

bool Passwords::verify(const QString &encodedHash, const QByteArray &password)
{
    if (!init())
        return false;
    const QByteArray h = encodedHash.toLatin1();
    if (h.isEmpty() || h.size() >= crypto_pwhash_STRBYTES)
        return false;
    return crypto_pwhash_str_verify(h.constData(), password.constData(),
                                    static_cast<unsigned long long>(password.size()))
        == 0;
}

} // namespace emailrag::server
