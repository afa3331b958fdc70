#include "embeddingstage.h"

#include "builtinprovider.h"
#include "database.h"
#include "semanticindex.h"
#include "vectorstore.h"
#include "wordvectors.h"

#include <QElapsedTimer>
#include <QSqlQuery>

namespace emailrag::embed {

using storage::Database;

namespace {

EmbedError dbError()
{
    EmbedError e;
    e.code = EmbedError::Code::Database;
    e.message = QStringLiteral("The embedding stage could not read or write the database");
    return e;
}

} // namespace

EmbeddingStage::EmbeddingStage(QSqlDatabase db, SemanticIndex &index)
    : m_db(std::move(db))
    , m_index(index)
{
}

std::optional<EmbedError> EmbeddingStage::ensureModel(qint64 userId, StageResult &result, const std::atomic_bool *cancel)
{
    const QString model = m_index.modelName();
    const auto stored = VectorStore::model(m_db, userId, model);
    if (!m_index.usesBuiltin()) {
        if (!stored && !VectorStore::saveModel(m_db, userId, model, 0, 0, {}))
            return dbError();
        return std::nullopt;
    }
    const qint64 emails = VectorStore::emailCount(m_db, userId);
    const bool grown = stored && stored->trainedEmails < kTrainSample && emails >= 2 * stored->trainedEmails
        && emails - stored->trainedEmails >= 50;
    if ((stored && !grown) || emails < kMinEmails)
        return std::nullopt;
    QElapsedTimer timer;
    timer.start();
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!Database::exec(q,
                        QStringLiteral("SELECT subject, from_name, from_addr, date_utc, substr(body_text, 1, 3000) FROM emails "
                                       "WHERE user_id = ? ORDER BY date_utc DESC, id DESC LIMIT ?"),
                        {userId, kTrainSample}))
        return dbError();
    QStringList docs;
    while (q.next())
        docs << emailChunk(q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toLongLong(),
                           q.value(4).toString());
    TrainOptions options;
    options.cancel = cancel;
    const WordVectors wv = WordVectors::train(docs, options);
    if (cancel && cancel->load()) {
        EmbedError e;
        e.code = EmbedError::Code::Cancelled;
        e.message = QStringLiteral("Embedding cancelled");
        return e;
    }
    if (wv.isEmpty())
        return std::nullopt; // too few distinct words yet; retried at the next run
    if (!VectorStore::saveModel(m_db, userId, model, wv.dimension(), emails, wv.serialize()))
        return dbError();
    m_index.forget(userId);
    result.trained = true;
    result.trainSeconds = timer.nsecsElapsed() / 1e9;
    qCInfo(lcEmbed) << "built-in model for user" << userId << "trained on" << docs.size() << "emails:" << wv.vocabularySize()
                    << "words," << wv.dimension() << "dimensions," << result.trainSeconds << "s";
    return std::nullopt;
}

std::variant<StageResult, EmbedError> EmbeddingStage::run(qint64 userId, const Progress &progress,
                                                          const std::atomic_bool *cancel)
{
    StageResult result;
    if (auto e = ensureModel(userId, result, cancel))
        return *e;
    auto provider = m_index.provider(m_db, userId);
    if (!provider)
        return result; // nothing to embed with yet (too little mail)
    const QString model = provider->model();
    const auto missing = VectorStore::missing(m_db, userId, model);
    if (!missing)
        return dbError();
    result.total = missing->size();
    QElapsedTimer timer;
    timer.start();
    int batches = 0;
    for (qsizetype i = 0; i < missing->size(); i += m_batch) {
        if (cancel && cancel->load()) {
            EmbedError e;
            e.code = EmbedError::Code::Cancelled;
            e.message = QStringLiteral("Embedding cancelled");
            return e;
        }
        if (m_maxBatches >= 0 && batches >= m_maxBatches)
            break;
        const QList<qint64> ids = missing->mid(i, m_batch);
        QStringList marks;
        QVariantList values{userId};
        for (qint64 id : ids) {
            marks << QStringLiteral("?");
            values << id;
        }
        QSqlQuery q(m_db);
        q.setForwardOnly(true);
        if (!Database::exec(q,
                            QStringLiteral("SELECT id, subject, from_name, from_addr, date_utc, substr(body_text, 1, 3000) "
                                           "FROM emails WHERE +user_id = ? AND id IN (%1)")
                                .arg(marks.join(QLatin1Char(','))),
                            values))
            return dbError();
        QList<qint64> rowIds;
        QStringList texts;
        while (q.next()) {
            rowIds << q.value(0).toLongLong();
            texts << emailChunk(q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
                                q.value(4).toLongLong(), q.value(5).toString());
        }
        q.finish();
        EmbedResult r = provider->embed(texts);
        if (auto *e = std::get_if<EmbedError>(&r))
            return *e;
        const QList<Vector> &vecs = std::get<QList<Vector>>(r);
        QList<std::pair<qint64, Vector>> rows;
        rows.reserve(rowIds.size());
        for (qsizetype k = 0; k < rowIds.size() && k < vecs.size(); ++k)
            rows.append({rowIds[k], vecs[k]});
        if (!VectorStore::writeVectors(m_db, userId, model, rows))
            return dbError();
        result.embedded += rows.size();
        ++batches;
        if (progress)
            progress(qMin<qint64>(i + ids.size(), result.total), result.total);
    }
    result.embedSeconds = timer.nsecsElapsed() / 1e9;
    m_index.refresh(m_db, userId, true);
    return result;
}

} // namespace emailrag::embed
