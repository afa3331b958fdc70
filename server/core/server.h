#pragma once

#include "serverconfig.h"

#include <QObject>
#include <QString>

#include <memory>

namespace emailrag::server {

class ServerPrivate;

// The EmailRAG server: the WebSocket API at /api/v1/ws and the small HTTP API on one port
// (docs/server.md), with sessions, auth, channels, uploads, rate limiting and graceful shutdown.
//
// Thread: lives on, and must be started and stopped from, the thread that created it; every
// session, socket and engine of it lives there too (the desktop app runs it on a thread of its
// own through EmbeddedServer). Owner: whoever creates it (QObject parent or stack).
// Failure: start() returns false with a message (port busy, database or key file unusable);
// afterwards failures are per connection and never take the server down.
class Server : public QObject
{
    Q_OBJECT
public:
    explicit Server(QObject *parent = nullptr);
    ~Server() override; // closes every connection at once (call stop() first for a graceful end)

    // Opens/migrates DATA_DIR/emailrag.db, loads (or creates) the signing key, resumes
    // interrupted imports and starts listening. Call once.
    bool start(const ServerConfig &config, QString *error = nullptr);
    bool isRunning() const;
    quint16 serverPort() const;
    QString webSocketUrl() const; // ws://host:port/api/v1/ws (wss:// with TLS)
    int connectionCount() const;
    const ServerConfig &config() const;

    // Graceful shutdown: stops accepting, sends every client `disconnecting` {reason:
    // "server_shutdown", reconnect_delay_ms} and a close frame (1001), checkpoints running
    // imports (they resume at the next start) and emits stopped() once the sockets are closed
    // or after a short grace period. Safe to call more than once.
    void stop();

Q_SIGNALS:
    void stopped();

private:
    std::unique_ptr<ServerPrivate> d;
};

} // namespace emailrag::server
