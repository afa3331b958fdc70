#pragma once

#include "embedtypes.h"

#include <QHash>
#include <QSqlDatabase>

#include <optional>

// Embedding models and email vectors in the database (migration 031). Plain functions over a
// connection the calling thread owns; failures are logged by storage and reported as false/nullopt.
namespace emailrag::embed {

struct StoredModel
{
    QString model;
    int dim = 0;
    qint64 trainedEmails = 0;
    QByteArray data;
    QString generation;
    qint64 version = 0;
};

struct StoredVector
{
    qint64 emailId = 0;
    qint64 seq = 0;
    Vector vec;
};

namespace VectorStore {

std::optional<StoredModel> model(QSqlDatabase &db, qint64 userId, const QString &model);
// The model's (generation, version) only: one row read, cheap enough for every query.
std::optional<std::pair<QString, qint64>> modelVersion(QSqlDatabase &db, qint64 userId, const QString &model);
// Creates or replaces the user's model; a replaced model's vectors are deleted (new generation).
bool saveModel(QSqlDatabase &db, qint64 userId, const QString &model, int dim, qint64 trainedEmails,
               const QByteArray &data);
// Writes one batch in one transaction and bumps the model's version.
bool writeVectors(QSqlDatabase &db, qint64 userId, const QString &model, const QList<std::pair<qint64, Vector>> &vectors);
// The user's emails without a vector of `model`, newest first (by date, then id).
std::optional<QList<qint64>> missing(QSqlDatabase &db, qint64 userId, const QString &model);
qint64 emailCount(QSqlDatabase &db, qint64 userId);
qint64 vectorCount(QSqlDatabase &db, qint64 userId, const QString &model);
// Vectors with seq > `afterSeq`, in seq order (the whole set with afterSeq = 0).
bool forEachVector(QSqlDatabase &db, qint64 userId, const QString &model, qint64 afterSeq,
                   const std::function<void(const StoredVector &)> &fn);
// Vectors of these emails (of this user and model).
QHash<qint64, Vector> vectors(QSqlDatabase &db, qint64 userId, const QString &model, const QList<qint64> &emailIds);

} // namespace VectorStore

} // namespace emailrag::embed
