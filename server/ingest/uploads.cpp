#include "uploads.h"

#include "database.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QSqlQuery>

namespace emailrag::ingest {

using storage::Database;

namespace {
QString now() { return QDateTime::currentDateTimeUtc().toString(Qt::ISODate); }
} // namespace

std::optional<qint64> ensureUser(QSqlDatabase &db, const QString &name)
{
    QSqlQuery q(db);
    if (!Database::exec(q, QStringLiteral("SELECT id FROM users WHERE name = ?"), {name}))
        return std::nullopt;
    if (q.next())
        return q.value(0).toLongLong();
    if (!Database::exec(q,
                        QStringLiteral("INSERT INTO users (name, password_hash, is_admin, created_at) VALUES (?, '!', 0, ?)"),
                        {name, now()}))
        return std::nullopt;
    return q.lastInsertId().toLongLong();
}

std::optional<QString> createUpload(QSqlDatabase &db, qint64 userId, const QString &filename,
                                    const QStringList &sourcePaths, qint64 sizeBytes)
{
    const QString id = QStringLiteral("upload_%1").arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'));
    QSqlQuery q(db);
    const QString t = now();
    if (!Database::exec(q,
                        QStringLiteral("INSERT INTO uploads (id, user_id, filename, source_path, size_bytes, status,"
                                       " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'queued', ?, ?)"),
                        {id, userId, filename, sourcePaths.join(QLatin1Char('\n')), sizeBytes, t, t}))
        return std::nullopt;
    return id;
}

QList<InterruptedUpload> interruptedUploads(QSqlDatabase &db, qint64 userId)
{
    QList<InterruptedUpload> result;
    QSqlQuery q(db);
    const QString sql = QStringLiteral(
        "SELECT u.id, u.user_id, COALESCE(c.sources, u.source_path, '') FROM uploads u"
        " LEFT JOIN import_checkpoints c ON c.upload_id = u.id"
        " WHERE (u.status = 'processing' OR (u.status = 'queued' AND COALESCE(c.sources, u.source_path, '') <> ''))%1"
        " ORDER BY u.created_at");
    const bool ok = userId < 0 ? Database::exec(q, sql.arg(QString()))
                               : Database::exec(q, sql.arg(QStringLiteral(" AND u.user_id = ?")), {userId});
    if (!ok)
        return result;
    while (q.next()) {
        result.append({q.value(0).toString(), q.value(1).toLongLong(),
                       q.value(2).toString().split(QLatin1Char('\n'), Qt::SkipEmptyParts)});
    }
    return result;
}

} // namespace emailrag::ingest
