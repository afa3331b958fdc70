#include "connection.h"

#include "authclient.h"
#include "clientlog.h"
#include "serverurl.h"

#include "closecode.h"
#include "requesttracker.h"

#include <QNetworkRequest>
#include <QUrlQuery>
#include <QWebSocket>

#include <algorithm>
#include <chrono>
#include <limits>

namespace emailrag::client {

using namespace std::chrono;
namespace P = emailrag::protocol;

namespace {

// Requests whose answer is a stream (timeout = silence between items, not total time).
bool isStreamType(const QString &type)
{
    return type == QLatin1String(P::StreamSearch::Type) || type == QLatin1String(P::ChatMessage::Type);
}

// Close codes after which trying again cannot help without the user.
bool isAuthClose(quint16 code)
{
    return code == P::CloseCode::Unauthorized || code == P::CloseCode::Forbidden;
}

} // namespace

Connection::Connection(QObject *parent)
    : Connection(Options{}, parent)
{
}

Connection::Connection(Options options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_tracker(new P::RequestTracker(this))
    , m_auth(new AuthClient(this))
    , m_backoff(options.backoff)
    , m_limiter(options.rateCapacity, options.ratePerMinute)
{
    m_drainTimer.setSingleShot(true);
    m_reconnectTimer.setSingleShot(true);
    // Coarse timers may fire up to 5 % early; a server-requested delay must never be cut short,
    // and the rate limiter's wait must not send before a token is there.
    m_reconnectTimer.setTimerType(Qt::PreciseTimer);
    m_drainTimer.setTimerType(Qt::PreciseTimer);
    m_pongTimer.setSingleShot(true);
    m_connectTimer.setSingleShot(true);
    m_refreshTimer.setSingleShot(true);
    m_heartbeatTimer.setInterval(m_options.heartbeatIntervalMs);
    connect(&m_drainTimer, &QTimer::timeout, this, &Connection::drainQueue);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &Connection::connectSocket);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &Connection::onHeartbeat);
    connect(&m_pongTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcClient) << "no pong within" << m_options.heartbeatTimeoutMs << "ms; dropping the connection";
        m_lastError = tr("The server stopped answering.");
        if (m_endpoint)
            m_endpoint->socket()->abort();
    });
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        m_lastError = tr("Timed out connecting to the server.");
        if (m_endpoint)
            m_endpoint->socket()->abort();
        onEndpointDisconnected(0, m_lastError);
    });
    connect(&m_refreshTimer, &QTimer::timeout, this, &Connection::onRefreshTimer);
    connect(m_tracker, &P::RequestTracker::requestTimedOut, this, &Connection::onRequestTimedOut);
}

Connection::~Connection()
{
    m_wanted = false;
    if (m_endpoint) {
        m_endpoint->disconnect(this);
        m_endpoint->socket()->disconnect(this);
    }
}

void Connection::setServerUrl(const QUrl &url) { m_url = serverurl::webSocketUrl(url); }

void Connection::setToken(const QString &token, const QDateTime &expiresAt)
{
    m_token = token;
    m_tokenExpiresAt = expiresAt.isValid() ? expiresAt : AuthClient::tokenExpiry(token);
    scheduleRefresh();
}

void Connection::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    qCDebug(lcClient) << "state" << state;
    Q_EMIT stateChanged(state);
}

int Connection::reconnectRemainingMs() const
{
    return m_state == State::Reconnecting && m_reconnectTimer.isActive() ? m_reconnectTimer.remainingTime() : -1;
}

void Connection::open()
{
    m_wanted = true;
    m_noReconnect = false;
    m_reconnectTimer.stop();
    if (m_endpoint)
        return;
    m_backoff.reset();
    connectSocket();
}

void Connection::close()
{
    m_wanted = false;
    m_reconnectTimer.stop();
    m_heartbeatTimer.stop();
    m_pongTimer.stop();
    m_connectTimer.stop();
    m_drainTimer.stop();
    if (m_endpoint) {
        QPointer<P::Endpoint> ep = m_endpoint;
        m_endpoint = nullptr;
        ep->disconnect(this);
        ep->socket()->disconnect(this);
        ep->close(P::CloseCode::Normal, QStringLiteral("client closed"));
        ep->deleteLater();
    }
    m_liveSearches.clear();
    failPending(tr("The connection was closed."));
    m_queue.clear();
    setState(State::Offline);
}

void Connection::connectSocket()
{
    if (!m_wanted || m_endpoint)
        return;
    if (!m_url.isValid()) {
        m_lastError = tr("No valid server address.");
        setState(State::Offline);
        return;
    }
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest);
    auto *endpoint = new P::Endpoint(P::Endpoint::Role::Client, socket, this);
    m_endpoint = endpoint;
    connect(endpoint, &P::Endpoint::connected, this, &Connection::onEndpointConnected);
    connect(endpoint, &P::Endpoint::disconnected, this, [this, endpoint](quint16 code, const QString &reason) {
        if (endpoint == m_endpoint)
            onEndpointDisconnected(code, reason);
    });
    connect(endpoint, &P::Endpoint::serverMessageReceived, this, &Connection::onMessage);
    connect(endpoint, &P::Endpoint::decodeFailed, this, [](const P::DecodeError &e) {
        qCWarning(lcClient) << "undecodable server message:" << e.message << e.field;
    });
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this, endpoint, socket](QAbstractSocket::SocketError) {
        if (endpoint != m_endpoint)
            return;
        m_lastError = socket->errorString();
        // A refused handshake (HTTP 401/403) or a failed TCP connect never reaches `disconnected`
        // as a WebSocket close: treat the error as the end of this attempt.
        if (m_state != State::Connected)
            onEndpointDisconnected(0, m_lastError);
    });

    QUrl url = m_url;
    QUrlQuery q;
    if (!m_token.isEmpty())
        q.addQueryItem(QStringLiteral("token"), m_token);
    url.setQuery(q);
    setState(State::Connecting);
    m_connectTimer.start(m_options.connectTimeoutMs);
    qCInfo(lcClient) << "connecting to" << m_url.toString(); // never with the token
    socket->open(QNetworkRequest(url));
}

void Connection::onEndpointConnected()
{
    // The socket is open; we are Connected only after the server's `connected` message.
    qCDebug(lcClient) << "socket open, waiting for `connected`";
}

void Connection::onEndpointDisconnected(quint16 closeCode, const QString &reason)
{
    if (!m_endpoint)
        return;
    QPointer<P::Endpoint> ep = m_endpoint;
    m_endpoint = nullptr;
    ep->disconnect(this);
    if (ep->socket())
        ep->socket()->disconnect(this);
    ep->deleteLater();
    m_heartbeatTimer.stop();
    m_pongTimer.stop();
    m_connectTimer.stop();
    m_drainTimer.stop();
    m_pingId.clear();
    m_sessionId.clear();
    if (!reason.isEmpty())
        m_lastError = reason;
    qCInfo(lcClient) << "disconnected, close code" << closeCode << reason;

    // Replies to requests sent on the lost socket will never come. Live searches are sent again.
    QStringList lost;
    for (auto it = m_pendingType.cbegin(); it != m_pendingType.cend(); ++it) {
        if (!m_liveSearches.contains(it.key()))
            lost << it.key();
    }
    // Queued (never sent) messages stay queued, except pings and those of lost requests.
    QQueue<Outgoing> keep;
    for (Outgoing &o : m_queue) {
        if (o.binary)
            continue; // an upload frame belongs to the old socket's upload
        if (std::holds_alternative<P::Ping>(o.envelope.message))
            continue;
        if (std::holds_alternative<P::Subscribe>(o.envelope.message)
            || std::holds_alternative<P::StreamSearch>(o.envelope.message))
            continue; // re-sent by restoreAfterConnect()
        lost.removeAll(o.envelope.requestId);
        keep.enqueue(std::move(o));
    }
    m_queue = keep;
    for (const QString &id : std::as_const(lost)) {
        m_tracker->finish(id);
        m_pendingType.remove(id);
        Q_EMIT requestFailed(id, tr("The connection to the server was lost."));
    }

    const bool authFailure = isAuthClose(closeCode) || reason.contains(QLatin1String("401"))
        || reason.contains(QLatin1String("403"));
    if (authFailure) {
        m_lastError = tr("The server refused the login token. Log in again.");
        m_liveSearches.clear();
        failPending(m_lastError);
        setState(State::Unauthorized);
        return;
    }
    if (closeCode == P::CloseCode::SessionReplaced)
        m_noReconnect = true; // coming back would push out another of the user's sessions
    if (closeCode == P::CloseCode::TokenExpired && !m_token.isEmpty()) {
        // Try the HTTP refresh once; if the server refuses, the user must log in.
        m_auth->refresh(m_url, m_token).then(this, [this](const AuthResult &r) {
            if (r.ok()) {
                applyRefreshedToken(r.token, qMax<qint64>(0, QDateTime::currentDateTimeUtc().secsTo(r.expiresAt)));
                scheduleReconnect();
            } else {
                m_lastError = tr("The login token expired. Log in again.");
                setState(State::Unauthorized);
            }
        });
        setState(State::Reconnecting);
        return;
    }
    scheduleReconnect();
}

void Connection::scheduleReconnect()
{
    if (!m_wanted || !m_options.autoReconnect || m_noReconnect) {
        failPending(m_lastError.isEmpty() ? tr("Disconnected.") : m_lastError);
        m_liveSearches.clear();
        setState(State::Offline);
        return;
    }
    const int delay = m_backoff.nextDelayMs();
    m_reconnectTimer.start(delay);
    setState(State::Reconnecting);
    qCInfo(lcClient) << "reconnecting in" << delay << "ms";
    Q_EMIT reconnectScheduled(delay);
}

void Connection::failPending(const QString &reason)
{
    const QStringList ids = m_pendingType.keys();
    m_pendingType.clear();
    m_tracker->clear();
    for (const QString &id : ids) {
        if (id != m_pingId && id != m_refreshId)
            Q_EMIT requestFailed(id, reason);
    }
    m_pingId.clear();
    m_refreshId.clear();
}

void Connection::restoreAfterConnect()
{
    // Subscriptions and live searches go first, ahead of whatever waited in the queue.
    // Messages queued while offline may already cover some of it (first connect, or a subscribe
    // or search issued while reconnecting): those are not sent twice.
    QSet<QString> queuedChannels;
    QSet<QString> queuedIds;
    for (const Outgoing &o : std::as_const(m_queue)) {
        queuedIds.insert(o.envelope.requestId);
        if (const auto *s = std::get_if<P::Subscribe>(&o.envelope.message))
            queuedChannels.unite(QSet<QString>(s->channels.begin(), s->channels.end()));
    }
    QQueue<Outgoing> front;
    QSet<QString> missing = m_channels;
    missing.subtract(queuedChannels);
    if (!missing.isEmpty()) {
        QStringList channels(missing.begin(), missing.end());
        channels.sort();
        const QString id = m_tracker->nextId();
        m_pendingType.insert(id, QLatin1String(P::Subscribe::Type));
        m_tracker->track(id, milliseconds(m_options.requestTimeoutMs));
        front.enqueue(Outgoing{false, {P::Subscribe{channels}, id}, 0, {}});
    }
    for (auto it = m_liveSearches.cbegin(); it != m_liveSearches.cend(); ++it) {
        if (queuedIds.contains(it.key()))
            continue; // never sent yet: goes out from the queue as it is
        if (!m_pendingType.contains(it.key()))
            m_pendingType.insert(it.key(), QLatin1String(P::StreamSearch::Type));
        m_tracker->track(it.key(), milliseconds(m_options.streamIdleTimeoutMs));
        front.enqueue(Outgoing{false, {it.value(), it.key()}, 0, {}});
        Q_EMIT searchRestarted(it.key());
    }
    front.append(m_queue);
    m_queue = front;
}

void Connection::enqueue(Outgoing out)
{
    m_queue.enqueue(std::move(out));
    drainQueue();
}

void Connection::drainQueue()
{
    if (m_state != State::Connected || !m_endpoint)
        return;
    while (!m_queue.isEmpty()) {
        if (!m_limiter.tryAcquire()) {
            if (!m_drainTimer.isActive())
                m_drainTimer.start(int(std::max<qint64>(1, m_limiter.msUntilAvailable())));
            return;
        }
        Outgoing o = m_queue.dequeue();
        const bool ok = o.binary ? m_endpoint->sendUploadChunk(o.offset, o.payload)
                                 : m_endpoint->send(o.envelope.message, o.envelope.requestId);
        if (!ok) {
            qCWarning(lcClient) << "send failed; keeping the message for the next connection";
            m_queue.prepend(std::move(o));
            return;
        }
    }
}

QString Connection::send(const P::ClientMessage &message, int timeoutMs)
{
    const QString type = P::messageType(message);
    const QString id = m_tracker->nextId();
    if (timeoutMs < 0)
        timeoutMs = isStreamType(type) ? m_options.streamIdleTimeoutMs : m_options.requestTimeoutMs;
    m_pendingType.insert(id, type);
    if (timeoutMs > 0)
        m_tracker->track(id, milliseconds(timeoutMs));
    Outgoing out{false, {message, id}, 0, {}};
    if (std::holds_alternative<P::Ping>(message)) {
        // A heartbeat must not wait behind a backlog: it measures the link, not the queue.
        m_queue.prepend(std::move(out));
        drainQueue();
    } else {
        enqueue(std::move(out));
    }
    return id;
}

void Connection::sendUploadChunk(quint64 offset, const QByteArray &payload)
{
    enqueue(Outgoing{true, {}, offset, payload});
}

QString Connection::subscribe(const QStringList &channels)
{
    for (const QString &c : channels)
        m_channels.insert(c);
    return send(P::Subscribe{channels});
}

QString Connection::unsubscribe(const QStringList &channels)
{
    for (const QString &c : channels)
        m_channels.remove(c);
    return send(P::Unsubscribe{channels});
}

QString Connection::streamSearch(const QString &query, std::optional<int> limit)
{
    P::StreamSearch s{query, limit};
    const QString id = send(s);
    m_liveSearches.insert(id, s);
    return id;
}

QString Connection::sendChat(const QString &message, const std::optional<QString> &conversationId)
{
    return send(P::ChatMessage{message, conversationId});
}

QString Connection::getEmail(const QString &emailId) { return send(P::GetEmail{emailId}); }
QString Connection::listUploads() { return send(P::ListUploads{}); }
QString Connection::getSystemStatus() { return send(P::GetSystemStatus{}); }
QString Connection::listConversations() { return send(P::ListConversations{}); }
QString Connection::getConversation(const QString &id) { return send(P::GetConversation{id}); }
QString Connection::deleteConversation(const QString &id) { return send(P::DeleteConversation{id}); }

QString Connection::cancelRequest(const QString &requestId)
{
    m_liveSearches.remove(requestId);
    return send(P::Cancel{requestId, std::nullopt});
}

QString Connection::cancelUpload(const QString &uploadId) { return send(P::Cancel{std::nullopt, uploadId}); }

QString Connection::refreshToken()
{
    m_refreshId = send(P::RefreshToken{});
    return m_refreshId;
}

QString Connection::ping()
{
    const QString id = send(P::Ping{}, m_options.heartbeatTimeoutMs);
    m_pingId = id;
    return id;
}

void Connection::onHeartbeat()
{
    if (m_state != State::Connected)
        return;
    ping();
    // Armed by the first unanswered ping only: later pings must not push the deadline out.
    if (!m_pongTimer.isActive())
        m_pongTimer.start(m_options.heartbeatTimeoutMs + int(m_limiter.msUntilAvailable()));
}

bool Connection::isStreamRequest(const QString &requestId) const
{
    return isStreamType(m_pendingType.value(requestId));
}

void Connection::onRequestTimedOut(const QString &requestId)
{
    const QString type = m_pendingType.take(requestId);
    m_liveSearches.remove(requestId);
    if (requestId == m_pingId) {
        m_pingId.clear();
        return; // m_pongTimer deals with a dead connection
    }
    if (requestId == m_refreshId)
        m_refreshId.clear();
    qCInfo(lcClient) << "request" << requestId << type << "timed out";
    Q_EMIT requestTimedOut(requestId);
}

void Connection::scheduleRefresh()
{
    m_refreshTimer.stop();
    if (!m_tokenExpiresAt.isValid())
        return;
    const qint64 remaining = QDateTime::currentDateTimeUtc().msecsTo(m_tokenExpiresAt);
    if (remaining <= 0)
        return;
    // Refresh when `refreshAtRemaining` of the remaining lifetime is left, but never later than
    // refreshMinLeadMs before the expiry.
    qint64 wait = qint64(double(remaining) * (1.0 - m_options.refreshAtRemaining));
    wait = std::min(wait, remaining - m_options.refreshMinLeadMs);
    wait = std::clamp<qint64>(wait, 0, std::numeric_limits<int>::max());
    m_refreshTimer.start(int(wait));
}

void Connection::onRefreshTimer()
{
    if (m_token.isEmpty())
        return;
    if (m_state == State::Connected) {
        refreshToken();
        return;
    }
    m_auth->refresh(m_url, m_token).then(this, [this](const AuthResult &r) {
        if (r.ok())
            applyRefreshedToken(r.token, qMax<qint64>(0, QDateTime::currentDateTimeUtc().secsTo(r.expiresAt)));
        else
            qCWarning(lcClient) << "token refresh over HTTP failed:" << r.error;
    });
}

void Connection::applyRefreshedToken(const QString &token, qint64 expiresInSeconds)
{
    m_token = token;
    const QDateTime fromClaim = AuthClient::tokenExpiry(token);
    m_tokenExpiresAt = fromClaim.isValid() ? fromClaim : QDateTime::currentDateTimeUtc().addSecs(expiresInSeconds);
    qCInfo(lcClient) << "token refreshed, expires" << m_tokenExpiresAt.toString(Qt::ISODate);
    scheduleRefresh();
    Q_EMIT tokenChanged(m_token, m_tokenExpiresAt);
}

void Connection::onMessage(const P::ServerEnvelope &env)
{
    const QString &id = env.requestId;

    Q_EMIT messageReceived(env);

    std::visit(
        [&](const auto &m) {
            using T = std::decay_t<decltype(m)>;
            // Stream items keep their request alive; final replies end it.
            if constexpr (std::is_same_v<T, P::SearchResult> || std::is_same_v<T, P::ChatResponseChunk>) {
                m_tracker->touch(id);
            } else if constexpr (std::is_same_v<T, P::UploadProgress> || std::is_same_v<T, P::NewEmails>
                                 || std::is_same_v<T, P::SystemNotification> || std::is_same_v<T, P::Connected>
                                 || std::is_same_v<T, P::Disconnecting> || std::is_same_v<T, P::UploadAck>) {
                // pushes
            } else if (!id.isEmpty()) {
                m_tracker->finish(id);
                m_pendingType.remove(id);
            }

            if constexpr (std::is_same_v<T, P::Connected>) {
                m_connectTimer.stop();
                m_sessionId = m.sessionId;
                m_userId = m.userId;
                m_lastError.clear();
                m_backoff.reset();
                restoreAfterConnect();
                setState(State::Connected);
                m_heartbeatTimer.start(m_options.heartbeatIntervalMs);
                Q_EMIT connected(m);
                drainQueue();
            } else if constexpr (std::is_same_v<T, P::Disconnecting>) {
                qCInfo(lcClient) << "server is disconnecting:" << m.reason << "delay" << m.reconnectDelayMs.value_or(-1);
                if (m.reconnectDelayMs)
                    m_backoff.setServerDelay(int(std::min<qint64>(*m.reconnectDelayMs, 3600 * 1000)));
                if (m.reason == QLatin1String("session_replaced"))
                    m_noReconnect = true;
                Q_EMIT disconnecting(m);
            } else if constexpr (std::is_same_v<T, P::Subscribed>) {
                Q_EMIT subscribed(id, m);
            } else if constexpr (std::is_same_v<T, P::Unsubscribed>) {
                Q_EMIT unsubscribed(id, m);
            } else if constexpr (std::is_same_v<T, P::UploadProgress>) {
                Q_EMIT uploadProgress(m);
            } else if constexpr (std::is_same_v<T, P::NewEmails>) {
                Q_EMIT newEmails(m);
            } else if constexpr (std::is_same_v<T, P::SearchResult>) {
                Q_EMIT searchResult(id, m);
            } else if constexpr (std::is_same_v<T, P::SearchComplete>) {
                m_liveSearches.remove(id);
                Q_EMIT searchComplete(id, m);
            } else if constexpr (std::is_same_v<T, P::ChatResponseChunk>) {
                Q_EMIT chatChunk(id, m);
            } else if constexpr (std::is_same_v<T, P::ChatResponseComplete>) {
                Q_EMIT chatComplete(id, m);
            } else if constexpr (std::is_same_v<T, P::SystemNotification>) {
                Q_EMIT systemNotification(m);
            } else if constexpr (std::is_same_v<T, P::Pong>) {
                if (id == m_pingId) {
                    m_pingId.clear();
                    m_pongTimer.stop();
                }
                Q_EMIT pong(id);
            } else if constexpr (std::is_same_v<T, P::ErrorMessage>) {
                m_liveSearches.remove(id);
                if (id == m_refreshId)
                    m_refreshId.clear();
                if (m.code == P::ErrorCode::RateLimited)
                    qCWarning(lcClient) << "the server rate-limited us:" << m.message;
                Q_EMIT errorReceived(id, m);
            } else if constexpr (std::is_same_v<T, P::UploadStarted>) {
                Q_EMIT uploadStarted(id, m);
            } else if constexpr (std::is_same_v<T, P::UploadAck>) {
                Q_EMIT uploadAck(m);
            } else if constexpr (std::is_same_v<T, P::UploadFinished>) {
                Q_EMIT uploadFinished(id, m);
            } else if constexpr (std::is_same_v<T, P::Email>) {
                Q_EMIT emailReceived(id, m);
            } else if constexpr (std::is_same_v<T, P::Uploads>) {
                Q_EMIT uploadsListed(id, m);
            } else if constexpr (std::is_same_v<T, P::Cancelled>) {
                if (m.requestId)
                    m_liveSearches.remove(*m.requestId);
                Q_EMIT cancelled(id, m);
            } else if constexpr (std::is_same_v<T, P::TokenRefreshed>) {
                if (id == m_refreshId)
                    m_refreshId.clear();
                applyRefreshedToken(m.accessToken, m.expiresIn);
                Q_EMIT tokenRefreshed(m);
            } else if constexpr (std::is_same_v<T, P::SystemStatus>) {
                Q_EMIT systemStatus(id, m);
            } else if constexpr (std::is_same_v<T, P::Conversations>) {
                Q_EMIT conversationsListed(id, m);
            } else if constexpr (std::is_same_v<T, P::Conversation>) {
                Q_EMIT conversationReceived(id, m);
            } else if constexpr (std::is_same_v<T, P::ConversationDeleted>) {
                Q_EMIT conversationDeleted(id, m);
            }
        },
        env.message);
}

} // namespace emailrag::client
