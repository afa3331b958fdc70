#include "searchengine.h"

#include "emailreader.h"
#include "queryparser.h"
#include "searcher.h"
#include "searchjob.h"
#include "searchrelay.h"

#include "embeddingstage.h"
#include "openaiembedder.h"
#include "semanticindex.h"

#include <QFileInfo>

#include <QSqlError>
#include <QSqlQuery>
#include <QPromise>
#include <QThreadPool>

#include <type_traits>

Q_LOGGING_CATEGORY(lcSearch, "emailrag.search", QtInfoMsg) // debug (per-statement timings) off unless enabled

namespace emailrag::search {

using storage::Database;

namespace {

// The named connection of the current pool thread; removed when the thread ends, on that thread,
// as QSqlDatabase requires.
struct ThreadConnection
{
    QString name;
    ~ThreadConnection()
    {
        if (!name.isEmpty())
            QSqlDatabase::removeDatabase(name);
    }
};

QSqlDatabase poolConnection(const storage::DatabaseConfig &config, const void *engine)
{
    thread_local ThreadConnection tc;
    const bool first = tc.name.isEmpty();
    if (first)
        tc.name = Database::threadConnectionName(QStringLiteral("search-%1").arg(reinterpret_cast<quintptr>(engine), 0, 16));
    QSqlDatabase db = Database::connection(config, tc.name);
    if (first && db.isOpen())
        SearchEngine::tuneConnection(db);
    return db;
}

// A QPromise-backed future for work on `pool`. Not QtConcurrent::run: a thread that waits on a
// QtConcurrent future whose task has not started yet may run ("steal") the task itself, and the
// search would then open a pool connection on the waiting thread — the main thread, whose
// connection outlives the engine and was torn down at exit, after QtSql's own state
// (tst_searchengine aborted with "free(): invalid pointer" about 1 run in 30 under load).
template <typename F>
auto runOnPool(QThreadPool &pool, F work) -> QFuture<std::invoke_result_t<F>>
{
    using R = std::invoke_result_t<F>;
    auto promise = std::make_shared<QPromise<R>>();
    QFuture<R> future = promise->future();
    promise->start();
    pool.start([promise, work = std::move(work)]() mutable {
        if constexpr (std::is_void_v<R>)
            work();
        else
            promise->addResult(work());
        promise->finish();
    });
    return future;
}

// Index files go next to the database ("<db>.vectors/"); memory only for in-memory databases.
std::shared_ptr<embed::SemanticIndex> makeSemanticIndex(const storage::DatabaseConfig &db)
{
    QString dir;
    if (!db.path.isEmpty() && db.path != QLatin1String(":memory:") && !db.path.startsWith(QLatin1String("file::memory:")))
        dir = db.path + QStringLiteral(".vectors");
    std::shared_ptr<embed::EmbeddingProvider> remote;
    if (auto config = embed::OpenAiEmbedConfig::fromEnvironment())
        remote = std::make_shared<embed::OpenAiEmbedder>(*config);
    return std::make_shared<embed::SemanticIndex>(dir, remote);
}

SearchError openError()
{
    SearchError e;
    e.code = SearchError::Code::Database;
    e.message = QStringLiteral("The search could not open the database");
    return e;
}

} // namespace

SearchEngine::SearchEngine(storage::DatabaseConfig db, QObject *parent)
    : QObject(parent)
    , m_db(std::move(db))
    , m_semantic(makeSemanticIndex(m_db))
{
    qRegisterMetaType<SearchHit>();
    qRegisterMetaType<SearchError>();
    qRegisterMetaType<SearchSummary>();
    m_pool.setMaxThreadCount(2);
    m_pool.setExpiryTimeout(-1); // keep threads (and their connections and page caches) alive
    m_embedPool.setMaxThreadCount(1);
    m_embedPool.setExpiryTimeout(-1);
}

SearchEngine::~SearchEngine()
{
    for (const auto &weak : std::as_const(m_running)) {
        if (auto flag = weak.lock())
            flag->store(true);
    }
    m_embedCancel->store(true);
    m_pool.waitForDone();
    m_embedPool.waitForDone();
}

void SearchEngine::embed(qint64 userId, QObject *context, EmbedProgress progress, bool resumeOnly)
{
    const quint64 ticket = ++m_nextTicket;
    if (context && progress) {
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = connect(this, &SearchEngine::embeddingProgress, context,
                              [ticket, progress, connection](quint64 t, qint64 done, qint64 total, bool finished) {
                                  if (t != ticket)
                                      return;
                                  if (finished)
                                      QObject::disconnect(*connection);
                                  progress(done, total, finished);
                              });
    }
    const storage::DatabaseConfig config = m_db;
    auto semantic = m_semantic;
    auto cancel = m_embedCancel;
    (void)runOnPool(m_embedPool, [this, config, userId, semantic, cancel, ticket, resumeOnly] {
        QSqlDatabase db = poolConnection(config, this);
        qint64 lastDone = 0;
        qint64 lastTotal = 0;
        const bool started = !resumeOnly || (db.isOpen() && semantic->hasModel(db, userId));
        if (db.isOpen() && !cancel->load() && started) {
            embed::EmbeddingStage stage(db, *semantic);
            auto result = stage.run(userId, [&](qint64 done, qint64 total) {
                lastDone = done;
                lastTotal = total;
                Q_EMIT embeddingProgress(ticket, done, total, false);
            }, cancel.get());
            if (auto *e = std::get_if<embed::EmbedError>(&result)) {
                if (e->code != embed::EmbedError::Code::Cancelled)
                    qCWarning(lcSearch) << "embedding stopped:" << e->message;
            } else {
                const auto &r = std::get<embed::StageResult>(result);
                if (r.embedded > 0)
                    qCInfo(lcSearch) << "embedded" << r.embedded << "emails of user" << userId << "in" << r.embedSeconds << "s";
            }
        }
        Q_EMIT embeddingProgress(ticket, lastDone, lastTotal, true);
    });
}

SearchJob *SearchEngine::search(qint64 userId, const SearchRequest &request, QObject *parent)
{
    if (!m_embedStarted.contains(userId)) {
        m_embedStarted.insert(userId);
        embed(userId, nullptr, {}, true);
    }
    auto *job = new SearchJob(userId, request, parent);
    auto relay = std::make_shared<SearchRelay>();
    connect(relay.get(), &SearchRelay::hitFound, job, &SearchJob::onHit, Qt::QueuedConnection);
    connect(relay.get(), &SearchRelay::done, job, &SearchJob::onDone, Qt::QueuedConnection);
    connect(relay.get(), &SearchRelay::failed, job, &SearchJob::onError, Qt::QueuedConnection);
    auto cancel = job->m_cancel;
    m_running.removeIf([](const std::weak_ptr<std::atomic_bool> &w) { return w.expired(); });
    m_running << cancel;
    const storage::DatabaseConfig config = m_db;
    (void)runOnPool(m_pool, [config, userId, request, relay, cancel, semantic = m_semantic,
                                      engine = static_cast<const void *>(this)] {
        if (cancel->load())
            return;
        QSqlDatabase db = poolConnection(config, engine);
        if (!db.isOpen()) {
            Q_EMIT relay->failed(openError());
            return;
        }
        Searcher searcher(db);
        searcher.setSemanticIndex(semantic.get());
        auto result = searcher.run(
            userId, request, [&relay](const SearchHit &hit) { Q_EMIT relay->hitFound(hit); }, cancel.get());
        if (auto *e = std::get_if<SearchError>(&result))
            Q_EMIT relay->failed(*e);
        else
            Q_EMIT relay->done(std::get<SearchSummary>(result));
    });
    return job;
}

QFuture<SearchOutcome> SearchEngine::searchAll(qint64 userId, const SearchRequest &request)
{
    const storage::DatabaseConfig config = m_db;
    return runOnPool(m_pool, [config, userId, request, semantic = m_semantic,
                                       engine = static_cast<const void *>(this)] {
        SearchOutcome out;
        QSqlDatabase db = poolConnection(config, engine);
        if (!db.isOpen()) {
            out.error = openError();
            return out;
        }
        Searcher searcher(db);
        searcher.setSemanticIndex(semantic.get());
        auto result = searcher.run(userId, request, [&out](const SearchHit &hit) { out.hits << hit; });
        if (auto *e = std::get_if<SearchError>(&result))
            out.error = *e;
        else
            out.summary = std::get<SearchSummary>(result);
        return out;
    });
}

QFuture<std::optional<EmailDetail>> SearchEngine::getEmail(qint64 userId, const QString &emailId)
{
    const storage::DatabaseConfig config = m_db;
    const std::optional<qint64> rowId = rowIdFromEmailId(emailId);
    return runOnPool(m_pool, [config, userId, rowId, engine = static_cast<const void *>(this)]()
                                          -> std::optional<EmailDetail> {
        if (!rowId)
            return std::nullopt;
        QSqlDatabase db = poolConnection(config, engine);
        if (!db.isOpen())
            return std::nullopt;
        return EmailReader(db).read(userId, *rowId);
    });
}

QFuture<QList<qint64>> SearchEngine::matches(qint64 userId, const QString &query, const QList<qint64> &emailRowIds,
                                             const QDateTime &now)
{
    const storage::DatabaseConfig config = m_db;
    return runOnPool(m_pool, [config, userId, query, emailRowIds, now, engine = static_cast<const void *>(this)] {
        QSqlDatabase db = poolConnection(config, engine);
        if (!db.isOpen())
            return QList<qint64>();
        return Searcher(db).matching(userId, query, emailRowIds, now);
    });
}

void SearchEngine::tuneConnection(const QSqlDatabase &db)
{
    if (db.driverName() != QLatin1String("QSQLITE"))
        return;
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA mmap_size=2147483648")))
        qCWarning(lcSearch) << "mmap_size:" << q.lastError().text();
}

std::optional<SearchError> SearchEngine::validate(const QString &query)
{
    auto parsed = QueryParser().parse(query);
    if (auto *e = std::get_if<SearchError>(&parsed))
        return *e;
    return std::nullopt;
}

} // namespace emailrag::search
