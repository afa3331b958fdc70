#include "httpapi.h"

#include "futurewatch.h"
#include "hub.h"
#include "logging.h"
#include "metrics.h"
#include "passwords.h"
#include "servercontext.h"
#include "uploadmanager.h"
#include "userstore.h"

#include "dbworker.h"
#include "protocoltypes.h"
#include "servermessages.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtConcurrent/QtConcurrentRun>

#include <ctime>

namespace emailrag::server {

namespace {

QByteArray jsonError(const QString &message)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), message}}).toJson(QJsonDocument::Compact);
}

// CPU time of the calling thread: tells the fan-out's own cost from time lost to other
// processes on a busy machine.
qint64 cpuNs(clockid_t clock)
{
    timespec ts {};
    ::clock_gettime(clock, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}
qint64 threadCpuNs() { return cpuNs(CLOCK_THREAD_CPUTIME_ID); }
// The whole process: the fan-out's helper threads write too (other threads are mostly idle
// while the server thread waits for them).
qint64 processCpuNs() { return cpuNs(CLOCK_PROCESS_CPUTIME_ID); }
// CLOCK_MONOTONIC is the same clock for every process on the machine: the benchmark times the
// last receipt from the moment the fan-out began, without the HTTP request and user lookup.
qint64 monotonicNs() { return cpuNs(CLOCK_MONOTONIC); }

} // namespace

HttpApi::HttpApi(ServerContext &context, QObject *parent) : QObject(parent), m_ctx(context) { }

int HttpApi::checkStreamed(const HttpRequest &request) const
{
    const QByteArray token = request.bearerToken();
    return m_ctx.tokens.verify(QString::fromLatin1(token)) ? 0 : 401;
}

QByteArray HttpApi::tokenJson(const User &user) const
{
    const QString token = m_ctx.tokens.issue(user.id, user.name, user.createdAt, std::chrono::seconds(m_ctx.config.tokenTtlSecs));
    return QJsonDocument(QJsonObject{{QStringLiteral("access_token"), token},
                                     {QStringLiteral("token_type"), QStringLiteral("bearer")},
                                     {QStringLiteral("expires_in"), m_ctx.config.tokenTtlSecs}})
        .toJson(QJsonDocument::Compact);
}

void HttpApi::withUser(const HttpRequest &request, std::shared_ptr<HttpReply> reply, std::function<void(const User &)> then,
                       std::function<void()> refused)
{
    const auto claims = m_ctx.tokens.verify(QString::fromLatin1(request.bearerToken()));
    if (!claims) {
        if (refused)
            refused();
        m_ctx.metrics->authRefused();
        reply->sendJson(401, jsonError(QStringLiteral("missing or invalid token")));
        return;
    }
    const TokenClaims c = *claims;
    whenFinished(this, m_ctx.db->run([id = c.userId](QSqlDatabase &db) { return UserStore::byId(db, id); }),
        [this, c, reply, then, refused](const std::optional<User> &user) {
            if (!user || user->createdAt != c.version || user->name != c.userName) {
                if (refused)
                    refused();
                m_ctx.metrics->authRefused();
                reply->sendJson(401, jsonError(QStringLiteral("the token's user does not exist")));
                return;
            }
            then(*user);
        });
}

void HttpApi::handle(const HttpRequest &request, std::shared_ptr<HttpReply> reply)
{
    const QString &path = request.path;
    const QByteArray &method = request.method;
    auto dropBody = [&request] {
        if (!request.bodyFile.isEmpty())
            QFile::remove(request.bodyFile);
    };

    if (path == QLatin1String("/api/v1/health") && method == "GET") {
        reply->sendJson(200, QJsonDocument(QJsonObject{{QStringLiteral("status"), m_ctx.shuttingDown ? QStringLiteral("stopping") : QStringLiteral("ok")},
                                                       {QStringLiteral("version"), QStringLiteral(EMAILRAG_VERSION)},
                                                       {QStringLiteral("connections"), m_ctx.hub->count()}})
                                 .toJson(QJsonDocument::Compact));
        return;
    }
    if (path == QLatin1String("/metrics") && method == "GET") {
        whenFinished(this, m_ctx.db->run([](QSqlDatabase &db) {
            QSqlQuery q(db);
            storage::Database::exec(q, QStringLiteral("SELECT COUNT(*) FROM emails"));
            return q.next() ? q.value(0).toLongLong() : 0;
        }),
            [this, reply](qint64 emails) {
                reply->send(200, "text/plain; version=0.0.4",
                    m_ctx.metrics->render(m_ctx.hub->count(), emails, m_ctx.uploads->running()));
            });
        return;
    }
    if (path == QLatin1String("/api/v1/auth/login") && method == "POST")
        return login(request, reply);
    if (path == QLatin1String("/api/v1/auth/refresh") && method == "POST") {
        withUser(request, reply, [this, reply](const User &u) { reply->sendJson(200, tokenJson(u)); });
        return;
    }
    if (path == QLatin1String("/api/v1/uploads") && method == "POST") {
        const QString file = request.bodyFile;
        QString name = QFileInfo(request.query.queryItemValue(QStringLiteral("filename"), QUrl::FullyDecoded)).fileName();
        if (name.isEmpty())
            name = QStringLiteral("upload.mbox");
        if (request.bodySize == 0) {
            dropBody();
            reply->sendJson(400, jsonError(QStringLiteral("empty body: send the mailbox as the request body")));
            return;
        }
        withUser(request, reply, [this, reply, file, name](const User &u) {
            m_ctx.uploads->importFile(u.id, name, file, [reply](const QString &id) {
                if (id.isEmpty())
                    reply->sendJson(500, jsonError(QStringLiteral("cannot import the upload")));
                else
                    reply->sendJson(202, QJsonDocument(QJsonObject{{QStringLiteral("upload_id"), id}}).toJson(QJsonDocument::Compact));
            });
        }, [file] { QFile::remove(file); });
        return;
    }
    if (path == QLatin1String("/api/v1/admin/notifications") && method == "POST") {
        const QJsonObject body = QJsonDocument::fromJson(request.body).object();
        const auto level = protocol::notificationLevelFromName(body.value(QStringLiteral("level")).toString(QStringLiteral("info")));
        const QString message = body.value(QStringLiteral("message")).toString().trimmed();
        if (!level || message.isEmpty() || message.size() > 4096) {
            reply->sendJson(400, jsonError(QStringLiteral("expected {level: info|warning|error, message, action_required}")));
            return;
        }
        const bool action = body.value(QStringLiteral("action_required")).toBool();
        withUser(request, reply, [this, reply, level, message, action](const User &u) {
            if (!u.isAdmin) {
                reply->sendJson(403, jsonError(QStringLiteral("only administrators can send notifications")));
                return;
            }
            protocol::SystemNotification n;
            n.level = *level;
            n.message = message;
            n.actionRequired = action;
            QElapsedTimer fanout;
            fanout.start();
            const qint64 startMonoNs = monotonicNs();
            const qint64 cpu0 = threadCpuNs();
            const qint64 processCpu0 = processCpuNs();
            qint64 queuedNs = 0;
            const int delivered = m_ctx.hub->publishToAll(protocol::Channel::SystemStatus, n, &queuedNs);
            const qint64 fanoutUs = fanout.nsecsElapsed() / 1000; // encode once + queue + write to every socket
            qCInfo(lcCore) << "system notification from" << u.name << "delivered to" << delivered << "connection(s)";
            reply->sendJson(200, QJsonDocument(QJsonObject{{QStringLiteral("delivered"), delivered},
                                                           {QStringLiteral("fanout_us"), double(fanoutUs)},
                                                           {QStringLiteral("fanout_queued_us"), double(queuedNs / 1000)},
                                                           {QStringLiteral("fanout_cpu_us"), double((threadCpuNs() - cpu0) / 1000)},
                                                           {QStringLiteral("fanout_process_cpu_us"), double((processCpuNs() - processCpu0) / 1000)},
                                                           {QStringLiteral("fanout_start_monotonic_ns"), QString::number(startMonoNs)}})
                                     .toJson(QJsonDocument::Compact));
        });
        return;
    }
    dropBody();
    if (path == QLatin1String("/api/v1/ws")) {
        reply->sendJson(426, jsonError(QStringLiteral("this is the WebSocket endpoint: send an Upgrade: websocket request")));
        return;
    }
    reply->sendJson(404, jsonError(QStringLiteral("not found")));
}

void HttpApi::login(const HttpRequest &request, std::shared_ptr<HttpReply> reply)
{
    const QString peer = request.peer.toString();
    const qint64 now = m_ctx.nowMs();
    auto it = m_loginBuckets.find(peer);
    if (it == m_loginBuckets.end())
        it = m_loginBuckets.insert(peer, TokenBucket(10, RateLimiter::kPeriodMs, now));
    qint64 retry = 0;
    if (!it->take(now, &retry)) {
        reply->send(429, "application/json", jsonError(QStringLiteral("too many login attempts")),
                    {{"Retry-After", QByteArray::number((retry + 999) / 1000)}});
        return;
    }
    if (m_loginBuckets.size() > 10000)
        m_loginBuckets.clear(); // bounded memory; a flood from many addresses just resets budgets

    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QString name = body.value(QStringLiteral("username")).toString();
    const QByteArray password = body.value(QStringLiteral("password")).toString().toUtf8();
    if (name.isEmpty() || password.isEmpty()) {
        reply->sendJson(400, jsonError(QStringLiteral("expected {\"username\": ..., \"password\": ...}")));
        return;
    }
    whenFinished(this, m_ctx.db->run([name](QSqlDatabase &db) { return UserStore::withHash(db, name); }),
        [this, reply, password](const std::optional<std::pair<User, QString>> &row) {
            static const QString dummy = Passwords::hash("timing-equaliser");
            const QString hash = row ? row->second : dummy;
            whenFinished(this, QtConcurrent::run([hash, password] { return Passwords::verify(hash, password); }),
                [this, reply, row](bool ok) {
                    if (!ok || !row) {
                        m_ctx.metrics->authRefused();
                        reply->sendJson(401, jsonError(QStringLiteral("wrong user name or password")));
                        return;
                    }
                    reply->sendJson(200, tokenJson(row->first));
                });
        });
}

} // namespace emailrag::server
