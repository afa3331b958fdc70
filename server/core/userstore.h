#pragma once

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace emailrag::server {

struct User
{
    qint64 id = 0;
    QString name;
    bool isAdmin = false;
    QString createdAt; // ISO 8601 UTC with milliseconds; also the token's "ver" claim
};

// Users in the database (table `users` of 001_core.sql). Plain functions over a connection that
// the caller owns: run them on the DbWorker thread in the server, directly in the CLI commands.
// Failures are logged by storage and returned as nullopt/false.
class UserStore
{
public:
    enum class AddResult { Added, Exists, InvalidName, Failed };

    static bool validName(const QString &name);
    // Hashes the password with Argon2id (slow, ~135 ms).
    static AddResult add(QSqlDatabase &db, const QString &name, const QByteArray &password, bool admin = false);
    static bool remove(QSqlDatabase &db, const QString &name);
    static QList<User> list(QSqlDatabase &db);
    static std::optional<User> byName(QSqlDatabase &db, const QString &name);
    static std::optional<User> byId(QSqlDatabase &db, qint64 id);
    // The user and their encoded password hash (for checking the password off this thread).
    static std::optional<std::pair<User, QString>> withHash(QSqlDatabase &db, const QString &name);
    // Checks name and password; nullopt when either is wrong (same answer for both).
    static std::optional<User> authenticate(QSqlDatabase &db, const QString &name, const QByteArray &password);
};

} // namespace emailrag::server
