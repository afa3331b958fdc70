#pragma once

#include "httpfront.h"
#include "ratelimiter.h"

#include <QHash>
#include <QObject>

namespace emailrag::server {

struct ServerContext;
struct User;

// The small HTTP API next to the WebSocket (docs/server.md "HTTP API"):
//   POST /api/v1/auth/login            {"username","password"} -> {access_token, token_type, expires_in}
//   POST /api/v1/auth/refresh          Bearer token -> a fresh token
//   POST /api/v1/uploads?filename=NAME Bearer token, the mailbox as the body -> 202 {upload_id}
//   GET  /api/v1/health                {status, version, connections}
//   GET  /metrics                      Prometheus text
//   POST /api/v1/admin/notifications   Bearer token of an admin; {level, message, action_required}
// Lives on the server thread, owned by the Server. Password checks (Argon2id, ~135 ms) run on the
// global thread pool; logins are limited to 10 per minute per client address.
class HttpApi : public QObject
{
    Q_OBJECT
public:
    HttpApi(ServerContext &context, QObject *parent = nullptr);

    void handle(const HttpRequest &request, std::shared_ptr<HttpReply> reply);
    // For HttpFront: refuse an upload body before storing it (401 without a valid token).
    int checkStreamed(const HttpRequest &request) const;

private:
    void login(const HttpRequest &request, std::shared_ptr<HttpReply> reply);
    // Verifies the Bearer token and that its user still exists, then calls `then` with the user.
    void withUser(const HttpRequest &request, std::shared_ptr<HttpReply> reply, std::function<void(const User &)> then,
                  std::function<void()> refused = {});
    QByteArray tokenJson(const User &user) const;

    ServerContext &m_ctx;
    QHash<QString, TokenBucket> m_loginBuckets;
};

} // namespace emailrag::server
