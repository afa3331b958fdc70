#pragma once

#include <QString>

namespace emailrag::client {

// What the keychain keeps for one server (under SecretStore::tokenKey(url)): the user name and
// the access token, as one compact JSON value {"user": ..., "token": ...}. `emailrag login`, the
// command-line client session and the desktop window all read and write it through here, so a
// login in one serves the others. A bare token (no JSON) is read as a token without a user.
struct StoredLogin
{
    QString user;
    QString token;

    QString encode() const;
    static StoredLogin decode(const QString &value);
};

} // namespace emailrag::client
