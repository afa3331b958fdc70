#pragma once

#include "embedtypes.h"

#include <QSqlDatabase>

#include <atomic>
#include <functional>

// The embedding stage that runs after full-text indexing: for one user, trains the built-in model
// when there is none yet (or when the mail has more than doubled since it was trained — it is then
// retrained and every email re-embedded), then embeds every email without a vector of the current
// model, newest first, in batches committed one transaction each. Resumable: an interrupted run
// leaves committed batches in place and the next run continues with what is missing. Finally the
// user's index is brought up to date and saved next to the database.
// Thread: blocking, on a worker thread that owns `db`. Failures: EmbedError (the provider's, or
// Database); progress and cancellation between batches.
namespace emailrag::embed {

class SemanticIndex;

struct StageResult
{
    qint64 embedded = 0;     // vectors written by this run
    qint64 total = 0;        // emails that needed one when the run started
    bool trained = false;    // the built-in model was (re)trained
    double trainSeconds = 0;
    double embedSeconds = 0; // reading text, embedding and writing vectors
};

class EmbeddingStage
{
public:
    using Progress = std::function<void(qint64 done, qint64 total)>;

    static constexpr int kTrainSample = 20000;   // newest emails the built-in model learns from
    static constexpr int kMinEmails = 5;         // below this nothing is trained

    EmbeddingStage(QSqlDatabase db, SemanticIndex &index);
    void setBatchSize(int n) { m_batch = qMax(1, n); }
    // Stop after this many batches (tests of resumption); -1 = no limit.
    void setMaxBatches(int n) { m_maxBatches = n; }

    std::variant<StageResult, EmbedError> run(qint64 userId, const Progress &progress = {},
                                              const std::atomic_bool *cancel = nullptr);

private:
    std::optional<EmbedError> ensureModel(qint64 userId, StageResult &result, const std::atomic_bool *cancel);

    QSqlDatabase m_db;
    SemanticIndex &m_index;
    int m_batch = 256;
    int m_maxBatches = -1;
};

} // namespace emailrag::embed
