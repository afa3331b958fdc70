#include "vectorstore.h"

#include "database.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QSqlQuery>

namespace emailrag::embed {

using storage::Database;

namespace VectorStore {

std::optional<StoredModel> model(QSqlDatabase &db, qint64 userId, const QString &model)
{
    QSqlQuery q(db);
    if (!Database::exec(q,
                        QStringLiteral("SELECT dim, trained_emails, data, generation, version FROM embed_models "
                                       "WHERE user_id = ? AND model = ?"),
                        {userId, model})
        || !q.next())
        return std::nullopt;
    StoredModel m;
    m.model = model;
    m.dim = q.value(0).toInt();
    m.trainedEmails = q.value(1).toLongLong();
    m.data = q.value(2).toByteArray();
    m.generation = q.value(3).toString();
    m.version = q.value(4).toLongLong();
    return m;
}

std::optional<std::pair<QString, qint64>> modelVersion(QSqlDatabase &db, qint64 userId, const QString &model)
{
    QSqlQuery q(db);
    if (!Database::exec(q, QStringLiteral("SELECT generation, version FROM embed_models WHERE user_id = ? AND model = ?"),
                        {userId, model})
        || !q.next())
        return std::nullopt;
    return std::make_pair(q.value(0).toString(), q.value(1).toLongLong());
}

bool saveModel(QSqlDatabase &db, qint64 userId, const QString &model, int dim, qint64 trainedEmails, const QByteArray &data)
{
    if (!db.transaction())
        return false;
    QSqlQuery q(db);
    const QString generation = QString::number(QRandomGenerator::global()->generate64(), 16);
    const bool ok = Database::exec(q,
                                   QStringLiteral("DELETE FROM email_vectors WHERE user_id = ? AND model = ?"),
                                   {userId, model})
        && Database::exec(q,
                          QStringLiteral("INSERT OR REPLACE INTO embed_models "
                                         "(user_id, model, dim, trained_emails, data, generation, version, created_at) "
                                         "VALUES (?, ?, ?, ?, ?, ?, 0, ?)"),
                          {userId, model, dim, trainedEmails, data.isNull() ? QVariant() : QVariant(data), generation,
                           QDateTime::currentDateTimeUtc().toString(Qt::ISODate)});
    if (!ok) {
        db.rollback();
        return false;
    }
    return db.commit();
}

bool writeVectors(QSqlDatabase &db, qint64 userId, const QString &model, const QList<std::pair<qint64, Vector>> &vectors)
{
    if (vectors.isEmpty())
        return true;
    if (!db.transaction())
        return false;
    QSqlQuery q(db);
    bool ok = Database::exec(q, QStringLiteral("UPDATE embed_models SET version = version + 1 WHERE user_id = ? AND model = ?"),
                             {userId, model})
        && Database::exec(q, QStringLiteral("SELECT version FROM embed_models WHERE user_id = ? AND model = ?"), {userId, model})
        && q.next();
    const qint64 seq = ok ? q.value(0).toLongLong() : 0;
    q.finish();
    QSqlQuery ins(db);
    ok = ok && seq > 0
        && ins.prepare(QStringLiteral("INSERT OR REPLACE INTO email_vectors (email_id, user_id, model, seq, dim, vec) "
                                      "SELECT id, user_id, ?, ?, ?, ? FROM emails WHERE id = ? AND user_id = ?"));
    for (const auto &[id, vec] : vectors) {
        if (!ok)
            break;
        ins.bindValue(0, model);
        ins.bindValue(1, seq);
        ins.bindValue(2, int(vec.size()));
        ins.bindValue(3, vectorToBlob(vec));
        ins.bindValue(4, id);
        ins.bindValue(5, userId);
        ok = Database::exec(ins);
    }
    if (!ok) {
        db.rollback();
        return false;
    }
    return db.commit();
}

std::optional<QList<qint64>> missing(QSqlDatabase &db, qint64 userId, const QString &model)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!Database::exec(q,
                        QStringLiteral("SELECT e.id FROM emails e WHERE e.user_id = ? AND NOT EXISTS "
                                       "(SELECT 1 FROM email_vectors v WHERE v.email_id = e.id AND v.model = ?) "
                                       "ORDER BY e.date_utc DESC, e.id DESC"),
                        {userId, model}))
        return std::nullopt;
    QList<qint64> ids;
    while (q.next())
        ids << q.value(0).toLongLong();
    return ids;
}

qint64 emailCount(QSqlDatabase &db, qint64 userId)
{
    QSqlQuery q(db);
    if (!Database::exec(q, QStringLiteral("SELECT COUNT(*) FROM emails WHERE user_id = ?"), {userId}) || !q.next())
        return 0;
    return q.value(0).toLongLong();
}

qint64 vectorCount(QSqlDatabase &db, qint64 userId, const QString &model)
{
    QSqlQuery q(db);
    if (!Database::exec(q, QStringLiteral("SELECT COUNT(*) FROM email_vectors WHERE user_id = ? AND model = ?"),
                        {userId, model})
        || !q.next())
        return 0;
    return q.value(0).toLongLong();
}

bool forEachVector(QSqlDatabase &db, qint64 userId, const QString &model, qint64 afterSeq,
                   const std::function<void(const StoredVector &)> &fn)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!Database::exec(q,
                        QStringLiteral("SELECT email_id, seq, vec FROM email_vectors WHERE user_id = ? AND model = ? AND seq > ? "
                                       "ORDER BY seq"),
                        {userId, model, afterSeq}))
        return false;
    StoredVector v;
    while (q.next()) {
        v.emailId = q.value(0).toLongLong();
        v.seq = q.value(1).toLongLong();
        v.vec = vectorFromBlob(q.value(2).toByteArray());
        fn(v);
    }
    return true;
}

QHash<qint64, Vector> vectors(QSqlDatabase &db, qint64 userId, const QString &model, const QList<qint64> &emailIds)
{
    QHash<qint64, Vector> out;
    for (qsizetype i = 0; i < emailIds.size(); i += 500) {
        const QList<qint64> chunk = emailIds.mid(i, 500);
        QStringList marks;
        QVariantList values{userId, model};
        for (qint64 id : chunk) {
            marks << QStringLiteral("?");
            values << id;
        }
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!Database::exec(q,
                            QStringLiteral("SELECT email_id, vec FROM email_vectors WHERE +user_id = ? AND +model = ? AND email_id IN (%1)")
                                .arg(marks.join(QLatin1Char(','))),
                            values))
            return out;
        while (q.next())
            out.insert(q.value(0).toLongLong(), vectorFromBlob(q.value(1).toByteArray()));
    }
    return out;
}

} // namespace VectorStore

} // namespace emailrag::embed
