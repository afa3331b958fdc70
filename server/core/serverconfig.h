#pragma once

#include <QHostAddress>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace emailrag::server {

// Everything the server can be told, with defaults. Sources, lowest to highest precedence:
// built-in defaults < config file (INI, [server] group) < environment (EMAILRAG_*) < command line.
// Every option is listed in docs/server.md; `keys()` lists the names used in all three places.
// Plain value type; copy it to the server thread.
struct ServerConfig
{
    QString dataDir;
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 port = 8000; // 0 = any free port (tests)
    QString tlsCert;     // PEM; with tlsKey: wss:// and https://
    QString tlsKey;

    qint64 maxUploadBytes = 8LL * 1024 * 1024 * 1024;
    int uploadChunkBytes = 1024 * 1024;          // the chunk_size we announce in upload_started
    int uploadResumeWindowSecs = 3600;           // interrupted uploads are resumable this long
    qint64 maxHttpUploadBytes = 512LL * 1024 * 1024; // POST /api/v1/uploads is buffered in memory

    int rateLimitPerMinute = 100;  // per connection, token bucket (capacity = the same number)
    int userRateMultiplier = 4;    // all of a user's connections together: N x the above
    int floodDisconnectAfter = 20; // refused messages within one minute before we disconnect

    int heartbeatIntervalMs = 30000; // a connection silent for 2x this is closed
    int reconnectDelayMs = 5000;     // advertised in disconnecting
    qint64 maxMessageBytes = 1024 * 1024; // text message cap (JSON); a binary frame may be a chunk + slack
    qint64 maxSendQueueBytes = 16LL * 1024 * 1024; // per connection, else the slow reader is dropped
    int maxConnections = 20000;
    int tokenTtlSecs = 12 * 3600;
    int fanoutThreads = 0; // threads writing one push to many sockets (the server thread included); 0 = one per core, at most 4

    QString databasePath() const;
    QString uploadsDir() const;

    // Option name -> one-line description, for docs and --help.
    static QMap<QString, QString> keys();

    // Applies `values` (option name -> text) on top of this config. Unknown names and bad values
    // are reported in `errors` and leave the field unchanged.
    void apply(const QMap<QString, QString> &values, QStringList *errors);

    // Reads the [server] group of an INI file (missing file = nothing to apply).
    static QMap<QString, QString> fromFile(const QString &path, QStringList *errors);
    // EMAILRAG_LISTEN, EMAILRAG_MAX_UPLOAD_BYTES, ... (option name upper-cased, '-' -> '_').
    static QMap<QString, QString> fromEnvironment();
};

} // namespace emailrag::server
