#pragma once

#include <QCommandLineParser>
#include <QFuture>
#include <QObject>
#include <QPointer>

#include <memory>

namespace emailrag::client {
class Connection;
class SecretStore;
struct SecretResult;
} // namespace emailrag::client

namespace emailrag::server {
class Server;
}

namespace emailrag::app {

// What the client subcommands (upload, search, chat, watch) share: the --server/--secret-file
// options and one connected client::Connection, either to a remote server (token from the
// keychain, stored there by `emailrag login`) or, without --server, to a server started in this
// process on a loopback port over the local data directory, with a local user and token — the
// same authenticated WebSocket path either way.
// Thread: main thread. Owner: the command (stack). Failure: open() prints the reason and returns
// the exit code (3 token refused or missing, 4 server unreachable, 1 anything else).
class ClientSession : public QObject
{
    Q_OBJECT
public:
    ClientSession();
    ~ClientSession() override;

    // --server URL, --secret-file and --data.
    static void addOptions(QCommandLineParser &parser);
    // The secret store configured from the options (consent flag, fallback file in DATA).
    static std::unique_ptr<client::SecretStore> secretStore(const QCommandLineParser &parser);
    // Local user of the in-process server: $USER, else "local".
    static QString localUserName();

    // Connects; returns -1 once connected, else the exit code (after printing why).
    int open(const QCommandLineParser &parser);
    client::Connection *connection() const { return m_connection; }
    bool isLocal() const { return m_server != nullptr; }
    QString serverUrl() const { return m_url; }

    // Runs the event loop until done() is called or the connection is lost for good
    // (unauthorized: 3; offline or reconnecting longer than `offlineLimitMs`: 4).
    int exec(int offlineLimitMs = 60000);
    void done(int exitCode);

private:
    int connectAndWait(const QString &token);

    std::unique_ptr<server::Server> m_server;
    std::unique_ptr<client::SecretStore> m_secrets;
    client::Connection *m_connection = nullptr;
    QString m_url;
    QString m_tokenKey;
    QString m_user;
    QList<QFuture<client::SecretResult>> m_writes;
    class QEventLoop *m_loop = nullptr;
    int m_exitCode = 0;
    bool m_doneEarly = false;
};

} // namespace emailrag::app
