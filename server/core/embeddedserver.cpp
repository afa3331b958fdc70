#include "embeddedserver.h"

#include "logging.h"
#include "server.h"
#include "tokenservice.h"
#include "userstore.h"

#include "database.h"

#include <QDateTime>
#include <QEventLoop>
#include <QSemaphore>
#include <QSqlQuery>
#include <QThread>
#include <QTimer>

namespace emailrag::server {

EmbeddedServer::EmbeddedServer() = default;

EmbeddedServer::~EmbeddedServer() { stop(); }

bool EmbeddedServer::start(const ServerConfig &config, bool anyPortIfBusy, QString *error)
{
    if (m_thread)
        return true;
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("emailrag-server"));
    // Qt's glib event dispatcher adds and removes a socket notifier by walking a list of all of
    // them, and every buffered socket write does both: O(connections) per message, 5x the CPU per
    // message at 10,000 connections (docs/performance.md "Server"). Qt's own poll dispatcher keeps
    // notifiers in a hash. A new thread picks its dispatcher from the environment when it starts,
    // so ask for Qt's own for the server thread only (restored once the thread is running).
    const QByteArray oldNoThreadedGlib = qgetenv("QT_NO_THREADED_GLIB");
    const bool hadNoThreadedGlib = qEnvironmentVariableIsSet("QT_NO_THREADED_GLIB");
    qputenv("QT_NO_THREADED_GLIB", "1");
    QSemaphore running;
    const auto onStarted = QObject::connect(m_thread, &QThread::started, m_thread, [&running] { running.release(); }, Qt::DirectConnection);
    m_thread->start();
    running.acquire(); // the dispatcher exists once started() is emitted
    QObject::disconnect(onStarted);
    if (hadNoThreadedGlib)
        qputenv("QT_NO_THREADED_GLIB", oldNoThreadedGlib);
    else
        qunsetenv("QT_NO_THREADED_GLIB");

    bool ok = false;
    QString err;
    // The server and everything it creates must live on the server thread: construct and start it there.
    auto *probe = new QObject;
    probe->moveToThread(m_thread);
    QMetaObject::invokeMethod(probe, [&] {
        m_server = new Server;
        ok = m_server->start(config, &err);
        if (!ok && anyPortIfBusy && config.port != 0 && err.contains(QLatin1String("listen"))) {
            delete m_server;
            m_server = new Server;
            ServerConfig any = config;
            any.port = 0;
            ok = m_server->start(any, &err);
        }
        if (ok) {
            m_port = m_server->serverPort();
            m_url = m_server->webSocketUrl();
        } else {
            delete m_server;
            m_server = nullptr;
        }
    }, Qt::BlockingQueuedConnection);
    probe->deleteLater();
    if (!ok) {
        if (error)
            *error = err;
        m_thread->quit();
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
    }
    return ok;
}

void EmbeddedServer::stop()
{
    if (!m_thread)
        return;
    if (m_server) {
        Server *server = m_server;
        // Wait in a local event loop, not blocked: the desktop's own client lives on this thread
        // and must be able to answer the server's close frame.
        QEventLoop loop;
        QObject::connect(server, &Server::stopped, &loop, &QEventLoop::quit, Qt::QueuedConnection);
        QTimer::singleShot(10000, &loop, &QEventLoop::quit);
        QMetaObject::invokeMethod(server, &Server::stop, Qt::QueuedConnection);
        loop.exec();
        QMetaObject::invokeMethod(server, [server] { delete server; }, Qt::BlockingQueuedConnection);
        m_server = nullptr;
    }
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    m_port = 0;
}

std::optional<LocalAccess> ensureLocalUser(const QString &dataDir, const QString &userName, std::chrono::seconds ttl, QString *error)
{
    auto fail = [error](const QString &m) -> std::optional<LocalAccess> {
        if (error)
            *error = m;
        return std::nullopt;
    };
    if (!UserStore::validName(userName))
        return fail(QStringLiteral("invalid user name"));
    const auto cfg = storage::DatabaseConfig::sqliteFile(dataDir + QStringLiteral("/emailrag.db"));
    const QString conn = storage::Database::threadConnectionName(QStringLiteral("local-user"));
    if (const auto err = storage::Database::migrate(cfg, conn))
        return fail(*err);
    QSqlDatabase db = storage::Database::connection(cfg, conn);
    auto user = UserStore::byName(db, userName);
    if (!user) {
        // No password: '!' never verifies, so this user gets in only with a token signed by
        // this data directory's key.
        QSqlQuery q(db);
        storage::Database::exec(q, QStringLiteral("INSERT OR IGNORE INTO users(name, password_hash, is_admin, created_at) VALUES (?, '!', 1, ?)"),
                                {userName, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)});
        user = UserStore::byName(db, userName);
        if (!user)
            return fail(QStringLiteral("cannot create the local user"));
    }
    QString keyError;
    const auto tokens = TokenService::load(dataDir, &keyError);
    if (!tokens)
        return fail(keyError);
    LocalAccess a;
    a.userId = user->id;
    a.userName = user->name;
    a.token = tokens->issue(user->id, user->name, user->createdAt, ttl);
    if (a.token.isEmpty())
        return fail(QStringLiteral("cannot sign a token"));
    return a;
}

} // namespace emailrag::server
