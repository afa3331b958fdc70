#pragma once

#include "searchtypes.h"

#include "database.h"

#include <QFuture>
#include <QObject>
#include <QThreadPool>

#include <QSet>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcSearch)

namespace emailrag::embed { class SemanticIndex; }

namespace emailrag::search {

class SearchJob;

// The search engine the server and the chat engine call: parses the query language
// (docs/search.md), ranks with FTS5 bm25 plus a recency prior, and streams hits.
//
// Thread: create it on the thread that calls it (the server's session/handler thread). Every
// query runs on the engine's own thread pool (two threads), each with its own named database
// connection, so nothing blocks the caller's event loop. Owner: the server (QObject parent or
// unique_ptr); destruction cancels running searches and waits for them.
// Failures: parse errors and database errors come back as SearchError values (with the
// character position for query errors); nothing throws.
//
// Isolation: every call takes the user id; only that user's emails are ever searched or
// returned; another user's email id behaves exactly like an unknown one.
class SearchEngine : public QObject
{
    Q_OBJECT
public:
    explicit SearchEngine(storage::DatabaseConfig db, QObject *parent = nullptr);
    ~SearchEngine() override;

    // Starts a streamed search. Never returns null. Connect to the job's signals right after the
    // call: everything is delivered through the event loop of the calling thread.
    SearchJob *search(qint64 userId, const SearchRequest &request, QObject *parent = nullptr);

    // The same search, collected: for callers that want the whole ranked list (chat retrieval).
    QFuture<SearchOutcome> searchAll(qint64 userId, const SearchRequest &request);

    // The whole email, or std::nullopt when the id is unknown, malformed or another user's.
    QFuture<std::optional<EmailDetail>> getEmail(qint64 userId, const QString &emailId);

    // Live search: which of `emailRowIds` (e.g. those just imported) match `query` for `userId`.
    // Relative dates use `now` (invalid = current time). Invalid queries match nothing.
    QFuture<QList<qint64>> matches(qint64 userId, const QString &query, const QList<qint64> &emailRowIds,
                                   const QDateTime &now = {});

    // Checks a query without running it (for clients that validate as the user types).
    static std::optional<SearchError> validate(const QString &query);

    // Read tuning for a connection that runs searches (the engine applies it to its own; tools
    // such as bench_search call it on theirs): memory-mapped reads of up to 2 GiB of the store,
    // so FTS5 doclists and emails rows are read from the page cache without a pread copy.
    static void tuneConnection(const QSqlDatabase &db);

    const storage::DatabaseConfig &databaseConfig() const { return m_db; }

    // Embedding stage (server/embed): embeds the user's emails that have no vector yet, newest
    // first, on the engine's own embedding thread (one run at a time), after training the built-in
    // model when needed. `progress(done, total, finished)` is called on `context`'s thread (not at
    // all once `context` is gone). Searches use what is embedded so far (lexical until then).
    // The first search of a user whose embedding has started before (a model exists) starts a
    // run too, so an interrupted stage resumes after a restart (`resumeOnly`).
    using EmbedProgress = std::function<void(qint64 done, qint64 total, bool finished)>;
    void embed(qint64 userId, QObject *context = nullptr, EmbedProgress progress = {}, bool resumeOnly = false);
    std::shared_ptr<embed::SemanticIndex> semanticIndex() const { return m_semantic; }

Q_SIGNALS:
    void embeddingProgress(quint64 ticket, qint64 done, qint64 total, bool finished);

private:
    storage::DatabaseConfig m_db;
    std::shared_ptr<embed::SemanticIndex> m_semantic;
    QThreadPool m_embedPool;
    std::shared_ptr<std::atomic_bool> m_embedCancel = std::make_shared<std::atomic_bool>(false);
    QSet<qint64> m_embedStarted; // users whose catch-up run was started by a search
    quint64 m_nextTicket = 0;
    QList<std::weak_ptr<std::atomic_bool>> m_running; // cancel flags of started searches
    QThreadPool m_pool;
};

} // namespace emailrag::search
