#include "clientsession.h"

#include "cliutil.h"

#include "connection.h"
#include "futurewait.h"
#include "secretstore.h"
#include "storedlogin.h"
#include "serverurl.h"

#include "embeddedserver.h"
#include "server.h"

#include <QEventLoop>
#include <QTimer>

#include <cstdio>

namespace emailrag::app {

using client::Connection;

ClientSession::ClientSession() = default;

ClientSession::~ClientSession()
{
    // A refreshed token must reach the keychain before the process ends.
    for (const auto &f : std::as_const(m_writes))
        client::waitForFuture(f);
    if (m_connection)
        m_connection->close();
    delete m_connection;
    if (m_server)
        m_server->stop();
}

void ClientSession::addOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("server"),
                      QStringLiteral("Server to use, e.g. ws://host:8000 (log in first with `emailrag login`). Default: "
                                     "$EMAILRAG_SERVER, else the local store through a server started in this process."),
                      QStringLiteral("URL")});
    parser.addOption({QStringLiteral("secret-file"),
                      QStringLiteral("When no system keychain is available, keep tokens in DATA/secrets.json "
                                     "(readable by you alone) instead of failing. Also $EMAILRAG_SECRET_FILE=1.")});
    addDataOption(parser);
}

std::unique_ptr<client::SecretStore> ClientSession::secretStore(const QCommandLineParser &parser)
{
    client::SecretStore::Options o;
    o.fallbackFile = dataDir(parser) + QStringLiteral("/secrets.json");
    o.allowFileFallback = parser.isSet(QStringLiteral("secret-file")) || qEnvironmentVariable("EMAILRAG_SECRET_FILE") == QLatin1String("1");
    return std::make_unique<client::SecretStore>(o);
}

QString ClientSession::localUserName()
{
    const QString user = qEnvironmentVariable("USER");
    return user.isEmpty() ? QStringLiteral("local") : user;
}

int ClientSession::open(const QCommandLineParser &parser)
{
    QString server = parser.value(QStringLiteral("server"));
    if (server.isEmpty())
        server = qEnvironmentVariable("EMAILRAG_SERVER");
    QString token;

    if (server.isEmpty()) {
        // Local store: our own server on a loopback port, entered with a local user's token.
        const QString dir = dataDir(parser);
        server::ServerConfig config;
        config.dataDir = dir;
        config.listenAddress = QHostAddress::LocalHost;
        config.port = 0;
        m_server = std::make_unique<server::Server>();
        QString error;
        if (!m_server->start(config, &error)) {
            std::fprintf(stderr, "emailrag: cannot open the local store in %s: %s\n", qPrintable(dir), qPrintable(error));
            return ExitFailure;
        }
        const auto access = server::ensureLocalUser(dir, localUserName(), std::chrono::hours(12), &error);
        if (!access) {
            std::fprintf(stderr, "emailrag: cannot set up the local user: %s\n", qPrintable(error));
            return ExitFailure;
        }
        m_url = m_server->webSocketUrl();
        m_user = access->userName;
        token = access->token;
    } else {
        const QUrl url = client::serverurl::webSocketUrl(server);
        if (!url.isValid()) {
            std::fprintf(stderr, "emailrag: not a server address: %s\n", qPrintable(server));
            return ExitUsage;
        }
        m_url = url.toString();
        token = qEnvironmentVariable("EMAILRAG_TOKEN");
        if (token.isEmpty()) {
            m_secrets = secretStore(parser);
            m_tokenKey = client::SecretStore::tokenKey(url);
            const client::SecretResult r = client::waitForFuture(m_secrets->read(m_tokenKey));
            if (r.status == client::SecretResult::NotFound) {
                std::fprintf(stderr, "emailrag: not logged in to %s. Run: emailrag login %s --user NAME\n",
                             qPrintable(m_url), qPrintable(server));
                return ExitUnauthorized;
            }
            if (!r.ok()) {
                std::fprintf(stderr, "emailrag: %s\n", qPrintable(r.error));
                return ExitFailure;
            }
            const client::StoredLogin stored = client::StoredLogin::decode(r.value);
            token = stored.token;
            m_user = stored.user;
        }
    }
    return connectAndWait(token);
}

int ClientSession::connectAndWait(const QString &token)
{
    m_connection = new Connection();
    m_connection->setServerUrl(QUrl(m_url));
    m_connection->setToken(token);
    if (m_secrets) {
        // Keep the keychain entry current when the connection refreshes the token.
        connect(m_connection, &Connection::tokenChanged, this, [this](const QString &fresh) {
            m_writes << m_secrets->write(m_tokenKey, client::StoredLogin{m_user, fresh}.encode());
        });
    }
    m_connection->open();

    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    connect(m_connection, &Connection::stateChanged, &loop, [&loop](Connection::State s) {
        if (s == Connection::State::Connected || s == Connection::State::Unauthorized || s == Connection::State::Offline)
            loop.quit();
    });
    timeout.start(m_connection->options().connectTimeoutMs);
    loop.exec();

    switch (m_connection->state()) {
    case Connection::State::Connected:
        return -1;
    case Connection::State::Unauthorized:
        std::fprintf(stderr, "emailrag: the server at %s refused the token. Run: emailrag login %s --user NAME\n",
                     qPrintable(m_url), qPrintable(m_url));
        return ExitUnauthorized;
    default:
        std::fprintf(stderr, "emailrag: cannot reach the server at %s: %s\n", qPrintable(m_url),
                     qPrintable(m_connection->lastError().isEmpty() ? QStringLiteral("no answer") : m_connection->lastError()));
        return ExitUnavailable;
    }
}

int ClientSession::exec(int offlineLimitMs)
{
    if (m_doneEarly) {
        // done() came before the loop started (e.g. a job that failed synchronously).
        m_doneEarly = false;
        return m_exitCode;
    }
    QEventLoop loop;
    m_loop = &loop;
    QTimer offline;
    offline.setSingleShot(true);
    connect(&offline, &QTimer::timeout, &loop, [this] {
        std::fprintf(stderr, "emailrag: lost the server at %s: %s\n", qPrintable(m_url), qPrintable(m_connection->lastError()));
        done(ExitUnavailable);
    });
    auto check = [this, &offline, offlineLimitMs](Connection::State s) {
        switch (s) {
        case Connection::State::Connected:
            offline.stop();
            break;
        case Connection::State::Unauthorized:
            std::fprintf(stderr, "emailrag: the server at %s refused the token. Run: emailrag login %s --user NAME\n",
                         qPrintable(m_url), qPrintable(m_url));
            done(ExitUnauthorized);
            break;
        case Connection::State::Offline:
            std::fprintf(stderr, "emailrag: cannot reach the server at %s: %s\n", qPrintable(m_url), qPrintable(m_connection->lastError()));
            done(ExitUnavailable);
            break;
        case Connection::State::Connecting:
        case Connection::State::Reconnecting:
            if (!offline.isActive())
                offline.start(offlineLimitMs);
            break;
        }
    };
    connect(m_connection, &Connection::stateChanged, &loop, check);
    check(m_connection->state());
    if (m_loop)
        loop.exec();
    m_loop = nullptr;
    m_doneEarly = false;
    return m_exitCode;
}

void ClientSession::done(int exitCode)
{
    m_exitCode = exitCode;
    if (m_loop)
        m_loop->quit();
    else
        m_doneEarly = true;
    m_loop = nullptr;
}

} // namespace emailrag::app
