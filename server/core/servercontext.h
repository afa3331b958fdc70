#pragma once

#include "serverconfig.h"
#include "tokenservice.h"

#include "database.h"

#include <QElapsedTimer>

namespace emailrag::storage { class DbWorker; }
namespace emailrag::search { class SearchEngine; }
namespace emailrag::chat { class ChatEngine; }

namespace emailrag::server {

class Hub;
class Metrics;
class RateLimiter;
class UploadManager;

// The services a session and the HTTP API use, owned by the Server (which outlives every
// session). Passed by reference instead of globals. Server thread only.
struct ServerContext
{
    ServerConfig config;
    storage::DatabaseConfig database;
    storage::DbWorker *db = nullptr;
    TokenService tokens{QByteArray()};
    RateLimiter *rateLimiter = nullptr;
    Metrics *metrics = nullptr;
    Hub *hub = nullptr;
    UploadManager *uploads = nullptr;
    search::SearchEngine *search = nullptr; // null when the search library is not in the build
    chat::ChatEngine *chat = nullptr;       // null when the chat library is not in the build
    QElapsedTimer clock;                    // monotonic milliseconds for rate limits and idle checks
    bool shuttingDown = false;

    qint64 nowMs() const { return clock.elapsed(); }
};

} // namespace emailrag::server
