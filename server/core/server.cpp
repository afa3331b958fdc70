#include "server.h"

#include "httpapi.h"
#include "httpfront.h"
#include "hub.h"
#include "logging.h"
#include "metrics.h"
#include "ratelimiter.h"
#include "servercontext.h"
#include "session.h"
#include "uploadmanager.h"

#include "closecode.h"
#include "dbworker.h"

#if defined(HAVE_EMAILRAG_SEARCH)
#include "searchengine.h"
#endif
#if defined(HAVE_EMAILRAG_CHAT)
#include "chatengine.h"
#endif

#include <QAbstractEventDispatcher>
#include <QSqlDatabase>
#include <QTimer>

#include <QWebSocket>

#include <atomic>
#include <limits>

#include <sys/resource.h>

namespace emailrag::server {

namespace {

// Every connection holds a descriptor, and distributions start processes with a soft limit of
// 1,024 open files: raise the soft limit to the hard limit (no privilege needed) so that
// max-connections can be reached. Returns the soft limit now in force (0 if unknown).
quint64 raiseOpenFileLimit()
{
    rlimit rl {};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 0;
    if (rl.rlim_cur < rl.rlim_max) {
        rlimit raised = rl;
        raised.rlim_cur = rl.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0)
            rl = raised;
    }
    return rl.rlim_cur == RLIM_INFINITY ? std::numeric_limits<quint64>::max() : quint64(rl.rlim_cur);
}

} // namespace

class ServerPrivate
{
public:
    ServerContext ctx;
    std::unique_ptr<storage::DbWorker> db;
    std::unique_ptr<RateLimiter> rateLimiter;
    Metrics metrics;
    Hub *hub = nullptr;
    UploadManager *uploads = nullptr;
    HttpFront *front = nullptr;
    HttpApi *api = nullptr;
#if defined(HAVE_EMAILRAG_SEARCH)
    search::SearchEngine *search = nullptr;
#endif
#if defined(HAVE_EMAILRAG_CHAT)
    chat::ChatEngine *chat = nullptr;
#endif
    QSet<Session *> sessions; // every connection, authenticated or not
    bool running = false;
    bool stopping = false;
};

Server::Server(QObject *parent) : QObject(parent), d(std::make_unique<ServerPrivate>()) { }

Server::~Server()
{
    // Sessions are children; make sure none of them calls back into services being destroyed.
    d->ctx.shuttingDown = true;
    const auto sessions = d->sessions;
    for (Session *s : sessions) {
        disconnect(s, nullptr, this, nullptr);
        delete s;
    }
    delete d->front;
    if (d->uploads)
        d->uploads->checkpointAll();
}

bool Server::start(const ServerConfig &config, QString *error)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        qCWarning(lcCore).noquote() << message;
        return false;
    };
    if (d->running)
        return fail(QStringLiteral("server already started"));
    ServerContext &ctx = d->ctx;
    ctx.config = config;
    if (const quint64 files = raiseOpenFileLimit(); files > 0 && files < quint64(config.maxConnections))
        qCWarning(lcCore) << "the open-file limit" << files << "is below max-connections" << config.maxConnections
                          << ": raise the hard limit (ulimit -Hn, systemd LimitNOFILE=)";
    ctx.clock.start();
    ctx.database = storage::DatabaseConfig::sqliteFile(config.databasePath());
    // Connection names are process-wide: unique per server so that several servers (tests,
    // benchmarks) can run in one process.
    static std::atomic_int instances{0};
    const QString tag = QStringLiteral("server%1").arg(instances.fetch_add(1));
    {
        const QString migrateName = tag + QStringLiteral("-migrate");
        const auto err = storage::Database::migrate(ctx.database, migrateName);
        QSqlDatabase::database(migrateName, false).close();
        QSqlDatabase::removeDatabase(migrateName);
        if (err)
            return fail(QStringLiteral("database %1: %2").arg(config.databasePath(), *err));
    }
    QString keyError;
    auto tokens = TokenService::load(config.dataDir, &keyError);
    if (!tokens)
        return fail(keyError);
    ctx.tokens = *tokens;

    d->db = std::make_unique<storage::DbWorker>(ctx.database, tag);
    ctx.db = d->db.get();
    d->rateLimiter = std::make_unique<RateLimiter>(config.rateLimitPerMinute, config.userRateMultiplier, config.floodDisconnectAfter);
    ctx.rateLimiter = d->rateLimiter.get();
    ctx.metrics = &d->metrics;
    d->hub = new Hub(ctx, this);
    ctx.hub = d->hub;
    d->uploads = new UploadManager(ctx, this);
    ctx.uploads = d->uploads;
#if defined(HAVE_EMAILRAG_SEARCH)
    d->search = new search::SearchEngine(ctx.database, this);
    ctx.search = d->search;
#endif
#if defined(HAVE_EMAILRAG_CHAT)
#if defined(HAVE_EMAILRAG_SEARCH)
    d->chat = new chat::ChatEngine(ctx.database, chat::ProviderConfig::fromEnvironment(), d->search, this);
#else
    d->chat = new chat::ChatEngine(ctx.database, chat::ProviderConfig::fromEnvironment(), nullptr, this);
#endif
    ctx.chat = d->chat;
#endif

    d->api = new HttpApi(ctx, this);
    d->front = new HttpFront(this);
    if (!config.tlsCert.isEmpty() || !config.tlsKey.isEmpty()) {
        QString tlsError;
        if (!d->front->setTls(config.tlsCert, config.tlsKey, &tlsError))
            return fail(tlsError);
    }
    d->front->setRequestHandler([this](const HttpRequest &r, std::shared_ptr<HttpReply> reply) { d->api->handle(r, reply); });
    d->front->setStreamedPaths({QStringLiteral("/api/v1/uploads")},
                               [this](const HttpRequest &r) { return d->api->checkStreamed(r); }, config.uploadsDir(),
                               config.maxHttpUploadBytes);
    connect(d->front, &HttpFront::webSocketConnected, this, [this](QWebSocket *socket, QTcpSocket *transport) {
        if (d->stopping || int(d->sessions.size()) >= d->ctx.config.maxConnections) {
            socket->close(QWebSocketProtocol::CloseCode(1013), QStringLiteral("server busy"));
            socket->deleteLater();
            return;
        }
        auto *session = new Session(socket, d->ctx, this);
        session->setTransport(transport);
        d->sessions.insert(session);
        connect(session, &Session::closed, this, [this](Session *s) {
            d->sessions.remove(s);
            if (d->stopping && d->sessions.isEmpty())
                QTimer::singleShot(0, this, [this] { Q_EMIT stopped(); });
        });
        session->start();
    });
    QString listenError;
    if (!d->front->listen(config.listenAddress, config.port, &listenError))
        return fail(listenError);
    d->running = true;
    d->uploads->resumeInterrupted();
    qCInfo(lcCore).noquote() << "listening on" << webSocketUrl() << "with"
                             << QAbstractEventDispatcher::instance()->metaObject()->className();
    return true;
}

bool Server::isRunning() const { return d->running && !d->stopping; }
quint16 Server::serverPort() const { return d->front ? d->front->port() : 0; }
int Server::connectionCount() const { return int(d->sessions.size()); }
const ServerConfig &Server::config() const { return d->ctx.config; }

QString Server::webSocketUrl() const
{
    QString host = d->ctx.config.listenAddress.toString();
    if (d->ctx.config.listenAddress.protocol() == QAbstractSocket::IPv6Protocol)
        host = QLatin1Char('[') + host + QLatin1Char(']');
    return QStringLiteral("%1://%2:%3/api/v1/ws").arg(d->front && d->front->isTls() ? QStringLiteral("wss") : QStringLiteral("ws"), host).arg(serverPort());
}

void Server::stop()
{
    if (!d->running || d->stopping) {
        if (!d->running)
            QTimer::singleShot(0, this, [this] { Q_EMIT stopped(); });
        return;
    }
    d->stopping = true;
    d->ctx.shuttingDown = true;
    qCInfo(lcCore) << "shutting down:" << d->sessions.size() << "connection(s)";
    d->front->stopListening();
    d->uploads->checkpointAll();
    const auto sessions = d->sessions;
    for (Session *s : sessions)
        s->disconnectWith(QStringLiteral("server_shutdown"), protocol::CloseCode::GoingAway, d->ctx.config.reconnectDelayMs);
    if (d->sessions.isEmpty()) {
        QTimer::singleShot(0, this, [this] { Q_EMIT stopped(); });
        return;
    }
    // Clients that do not answer the close frame are cut off by the sessions' own grace timer;
    // this is the backstop.
    QTimer::singleShot(5000, this, [this] {
        if (!d->sessions.isEmpty()) {
            const auto left = d->sessions;
            for (Session *s : left)
                s->abort(protocol::CloseCode::GoingAway, QStringLiteral("server_shutdown"));
        }
    });
}

} // namespace emailrag::server
