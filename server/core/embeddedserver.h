#pragma once

#include "serverconfig.h"

#include <QString>

#include <chrono>
#include <memory>
#include <optional>

class QThread;

namespace emailrag::server {

class Server;

// Runs a Server on a thread of its own, for the desktop app (which connects to it over loopback
// like any other client, token and all).
// Thread: call every method from one thread (the GUI thread). start() blocks until the server
// listens; stop() runs a local event loop until the graceful shutdown is done (clients on the
// calling thread can answer the close frame meanwhile), then joins the thread.
// Owner: the desktop mode; destruction calls stop(). Failure: start() returns false + message.
class EmbeddedServer
{
public:
    EmbeddedServer();
    ~EmbeddedServer();
    EmbeddedServer(const EmbeddedServer &) = delete;
    EmbeddedServer &operator=(const EmbeddedServer &) = delete;

    // Starts on config.listenAddress:config.port; when that port is busy and `anyPortIfBusy`,
    // on a free port chosen by the system instead.
    bool start(const ServerConfig &config, bool anyPortIfBusy = true, QString *error = nullptr);
    quint16 serverPort() const { return m_port; }
    QString webSocketUrl() const { return m_url; }
    bool isRunning() const { return m_thread != nullptr; }
    void stop();

private:
    QThread *m_thread = nullptr;
    Server *m_server = nullptr; // lives on m_thread
    quint16 m_port = 0;
    QString m_url;
};

// What the desktop app needs to connect to its own server.
struct LocalAccess
{
    qint64 userId = 0;
    QString userName;
    QString token;
};

// Makes sure user `userName` exists in DATA_DIR/emailrag.db (created without a password: it can
// only get in through a token signed with this data directory's key) and issues a token valid for
// `ttl`. Thread: any (opens its own connection; migrates the database if needed).
std::optional<LocalAccess> ensureLocalUser(const QString &dataDir, const QString &userName,
                                           std::chrono::seconds ttl = std::chrono::hours(24 * 30),
                                           QString *error = nullptr);

} // namespace emailrag::server
