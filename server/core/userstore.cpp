#include "userstore.h"

#include "database.h"
#include "passwords.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QSqlQuery>

namespace emailrag::server {

using storage::Database;

namespace {

User fromRow(const QSqlQuery &q)
{
    User u;
    u.id = q.value(0).toLongLong();
    u.name = q.value(1).toString();
    u.isAdmin = q.value(2).toInt() != 0;
    u.createdAt = q.value(3).toString();
    return u;
}

const char *kColumns = "id, name, is_admin, created_at";

} // namespace

bool UserStore::validName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9._@-]{1,64}$"));
    return re.match(name).hasMatch();
}

UserStore::AddResult UserStore::add(QSqlDatabase &db, const QString &name, const QByteArray &password, bool admin)
{
    if (!validName(name))
        return AddResult::InvalidName;
    if (byName(db, name))
        return AddResult::Exists;
    const QString hash = Passwords::hash(password);
    if (hash.isEmpty())
        return AddResult::Failed;
    QSqlQuery q(db);
    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    if (!Database::exec(q, QStringLiteral("INSERT INTO users(name, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?)"),
                        {name, hash, admin ? 1 : 0, now}))
        return byName(db, name) ? AddResult::Exists : AddResult::Failed;
    return AddResult::Added;
}

bool UserStore::remove(QSqlDatabase &db, const QString &name)
{
    QSqlQuery q(db);
    if (!Database::exec(q, QStringLiteral("DELETE FROM users WHERE name = ?"), {name}))
        return false;
    return q.numRowsAffected() > 0;
}

QList<User> UserStore::list(QSqlDatabase &db)
{
    QList<User> out;
    QSqlQuery q(db);
    if (!Database::exec(q, QStringLiteral("SELECT %1 FROM users ORDER BY name").arg(QLatin1String(kColumns))))
        return out;
    while (q.next())
        out << fromRow(q);
    return out;
}

std::optional<User> UserStore::byName(QSqlDatabase &db, const QString &name)
{
    QSqlQuery q(db);
    if (!Database::exec(q, QStringLiteral("SELECT %1 FROM users WHERE name = ?").arg(QLatin1String(kColumns)), {name}) || !q.next())
        return std::nullopt;
    return fromRow(q);
}

std::optional<User> UserStore::byId(QSqlDatabase &db, qint64 id)
{
    QSqlQuery q(db);
    if (!Database::exec(q, QStringLiteral("SELECT %1 FROM users WHERE id = ?").arg(QLatin1String(kColumns)), {id}) || !q.next())
        return std::nullopt;
    return fromRow(q);
}

std::optional<std::pair<User, QString>> UserStore::withHash(QSqlDatabase &db, const QString &name)
{
    QSqlQuery q(db);
    if (!Database::exec(q, QStringLiteral("SELECT %1, password_hash FROM users WHERE name = ?").arg(QLatin1String(kColumns)), {name})
        || !q.next())
        return std::nullopt;
    return std::make_pair(fromRow(q), q.value(4).toString());
}

std::optional<User> UserStore::authenticate(QSqlDatabase &db, const QString &name, const QByteArray &password)
{
    QSqlQuery q(db);
    if (!Database::exec(q, QStringLiteral("SELECT %1, password_hash FROM users WHERE name = ?").arg(QLatin1String(kColumns)),
                        {name})
        || !q.next()) {
        // Spend the same time as a real check so that response times do not reveal user names.
        static const QString dummy = Passwords::hash("dummy-password");
        Passwords::verify(dummy, password);
        return std::nullopt;
    }
    User u = fromRow(q);
    if (!Passwords::verify(q.value(4).toString(), password))
        return std::nullopt;
    return u;
}

} // namespace emailrag::server
