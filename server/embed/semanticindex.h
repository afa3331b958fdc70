#pragma once

#include "embedtypes.h"
#include "vectorindex.h"

#include <QHash>
#include <QMutex>
#include <QReadWriteLock>
#include <QThreadPool>
#include <QSqlDatabase>

#include <map>
#include <memory>
#include <optional>

// The semantic side of search, shared by every search thread and the embedding stage:
// the provider in use (a remote OpenAI-compatible one when configured, else each user's built-in
// word vectors, loaded from embed_models and cached), and each user's approximate index.
// An index is kept in memory and in a file `<directory>/u<user>-<model>.hnsw` (+ `.meta`): it is
// loaded from the file when that matches the model's generation, topped up with the vectors
// committed since (seq > its version), and rebuilt from the database when missing or stale.
// Thread: any; internal locking (searches share a read lock, updates take the write lock); big
// index files are read on the object's own loader thread (setBackgroundLoadBytes).
// Owner: the SearchEngine (shared_ptr). Failures: nullopt/empty results, logged under emailrag.embed.
namespace emailrag::embed {

struct IndexLoadInfo
{
    enum class Source { None, File, Rebuilt, Incremental } source = Source::None;
    double ms = 0;
    qint64 vectors = 0;
};

class SemanticIndex
{
public:
    // `directory` empty: memory only (no files). `remote`: the configured remote provider, or null
    // for the built-in one.
    explicit SemanticIndex(QString directory, std::shared_ptr<EmbeddingProvider> remote = nullptr);
    ~SemanticIndex(); // waits for a background load
    SemanticIndex(const SemanticIndex &) = delete;
    SemanticIndex &operator=(const SemanticIndex &) = delete;

    // An index file bigger than this is loaded on a background thread when a query needs it
    // (nearest()): queries until it is in memory get no approximate neighbours (lexical only)
    // instead of waiting (~0.35 s for 1,000,000 vectors, docs/performance.md). -1: always load in
    // the query. Explicit refresh() calls always load at once. Set before use.
    void setBackgroundLoadBytes(qint64 bytes) { m_backgroundLoadBytes = bytes; }

    QString modelName() const;
    // The user has a model row (the embedding stage has run for them at least once).
    bool hasModel(QSqlDatabase &db, qint64 userId) const;
    bool usesBuiltin() const { return !m_remote; }

    // The provider for this user: the remote one, or the user's built-in model (null before the
    // embedding stage has trained it).
    std::shared_ptr<EmbeddingProvider> provider(QSqlDatabase &db, qint64 userId);

    // The query's unit vector; nullopt when there is no model yet, no known word, or the remote
    // provider failed (logged).
    std::optional<Vector> embedQuery(QSqlDatabase &db, qint64 userId, const QString &text);

    // Brings the user's index up to date (see the class comment); false when the user has no
    // vectors. `save`: write the file after incremental additions too (rebuilds are always saved).
    // `mayDefer` (queries): a big file is loaded in the background (setBackgroundLoadBytes) and
    // false is returned until it is in memory.
    bool refresh(QSqlDatabase &db, qint64 userId, bool save = false, bool mayDefer = false);
    // Approximate k nearest emails with a vector, best first (refreshes first).
    QList<Neighbour> nearest(QSqlDatabase &db, qint64 userId, const Vector &query, int k);
    // Exact similarity of `query` to each of `ids` that has a vector (read from the database), best first.
    QList<Neighbour> rank(QSqlDatabase &db, qint64 userId, const Vector &query, const QList<qint64> &ids);

    // Drops cached state of a user (after the stage retrained the model).
    void forget(qint64 userId);
    IndexLoadInfo lastLoad(qint64 userId) const;
    QString indexPath(qint64 userId) const;

private:
    struct Entry
    {
        QString generation;
        qint64 version = 0;
        std::unique_ptr<VectorIndex> index;
        IndexLoadInfo load;
    };
    struct BuiltinEntry
    {
        QString generation;
        std::shared_ptr<EmbeddingProvider> provider;
    };

    bool saveLocked(qint64 userId, const Entry &e) const;

    QString m_directory;
    std::shared_ptr<EmbeddingProvider> m_remote;
    mutable QReadWriteLock m_lock;
    QHash<qint64, std::shared_ptr<Entry>> m_entries;
    QHash<qint64, BuiltinEntry> m_builtin;
    struct Pending
    {
        std::unique_ptr<VectorIndex> index;
        bool done = false;
    };
    qint64 m_backgroundLoadBytes = 64ll << 20;
    QMutex m_pendingLock;
    std::map<qint64, Pending> m_pending; // background loads, by user
    QThreadPool m_loader;
};

} // namespace emailrag::embed
