#pragma once

#include "backoff.h"
#include "ratelimiter.h"

#include "endpoint.h"
#include "envelope.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QQueue>
#include <QSet>
#include <QTimer>
#include <QUrl>

#include <optional>

namespace emailrag::protocol {
class RequestTracker;
}

namespace emailrag::client {

class AuthClient;

// The client side of the WebSocket API: one logical connection to one server that survives
// socket losses.
//
// - Connects to ws(s)://host:port/api/v1/ws?token=... and reports clear states: Connecting,
//   Connected (after the server's `connected`), Reconnecting (with the delay, see
//   reconnectRemainingMs()), Offline (closed by us or by a server we must not retry), and
//   Unauthorized (the token was refused: the owner must log in again).
// - Reconnects with exponential backoff and jitter; a `disconnecting` message's
//   reconnect_delay_ms is honoured (never earlier). After a reconnect the subscribed channels are
//   subscribed again and searches that were still streaming are sent again under the same
//   request id (searchRestarted() tells models to drop the partial list).
// - Every request gets a unique request_id; replies and stream items are matched to it; a request
//   without an answer in time gives requestTimedOut() (streams: no item for that long).
// - Sends a ping every heartbeatIntervalMs; no answer within heartbeatTimeoutMs counts as a dead
//   connection (aborted, then reconnect).
// - Refreshes the token before it expires (`refresh_token` on the socket, or POST
//   /api/v1/auth/refresh when not connected); tokenChanged() lets the owner store the new token.
// - Never exceeds the server's 100 messages/minute: outgoing messages wait in a queue for the
//   client-side token bucket (RateLimiter).
//
// Thread: lives and must be used on one thread with an event loop (the GUI thread or the
// command's main thread). Owner: the object that creates it (parent). Failures are reported as
// signals (errorReceived, requestFailed, requestTimedOut, stateChanged); nothing throws.
class Connection : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
public:
    enum class State { Offline, Connecting, Connected, Reconnecting, Unauthorized };
    Q_ENUM(State)

    struct Options
    {
        int heartbeatIntervalMs = 30000;
        int heartbeatTimeoutMs = 10000;
        int requestTimeoutMs = 30000;    // request -> reply
        int streamIdleTimeoutMs = 120000; // search/chat stream: longest silence between items
        int connectTimeoutMs = 15000;     // socket open + `connected` message
        Backoff::Policy backoff;
        int rateCapacity = 20; // bucket size; with ratePerMinute at most 95 messages in any minute
        int ratePerMinute = 75;
        // Refresh when this share of the token's remaining lifetime is left (at least refreshMinLeadMs early).
        double refreshAtRemaining = 0.2;
        int refreshMinLeadMs = 5000;
        bool autoReconnect = true;
    };

    explicit Connection(QObject *parent = nullptr);
    explicit Connection(Options options, QObject *parent = nullptr);
    ~Connection() override;

    // The server (any form serverurl::webSocketUrl accepts) and the access token. The expiry is
    // read from the token's "exp" claim when not given.
    void setServerUrl(const QUrl &url);
    QUrl serverUrl() const { return m_url; }
    void setToken(const QString &token, const QDateTime &expiresAt = {});
    QString token() const { return m_token; }
    QDateTime tokenExpiresAt() const { return m_tokenExpiresAt; }

    // Opens the connection (and keeps it open until close()).
    void open();
    // Closes for good (state Offline); pending requests fail with "closed".
    void close();

    State state() const { return m_state; }
    bool isConnected() const { return m_state == State::Connected; }
    // While Reconnecting: milliseconds until the next attempt (else -1).
    int reconnectRemainingMs() const;
    QString sessionId() const { return m_sessionId; }
    QString userId() const { return m_userId; }
    QString lastError() const { return m_lastError; }
    const Options &options() const { return m_options; }
    // Messages waiting for the rate limiter or for the connection.
    int queuedCount() const { return int(m_queue.size()); }

    // Requests. Each returns its request_id. They may be called in any state: messages wait in
    // the queue until the connection is up (their timeout runs from the call).
    QString subscribe(const QStringList &channels);   // remembered, restored after reconnect
    QString unsubscribe(const QStringList &channels); // forgotten
    QStringList subscribedChannels() const { return QStringList(m_channels.begin(), m_channels.end()); }
    QString streamSearch(const QString &query, std::optional<int> limit = std::nullopt);
    QString sendChat(const QString &message, const std::optional<QString> &conversationId = std::nullopt);
    QString getEmail(const QString &emailId);
    QString listUploads();
    QString getSystemStatus();
    QString listConversations();
    QString getConversation(const QString &conversationId);
    QString deleteConversation(const QString &conversationId);
    QString cancelRequest(const QString &requestId); // also stops restoring that search
    QString cancelUpload(const QString &uploadId);
    QString refreshToken();
    QString ping();
    // Any client message; `timeoutMs` < 0 means the default for its kind, 0 means none.
    QString send(const protocol::ClientMessage &message, int timeoutMs = -1);
    // Binary upload frame (goes through the same queue and rate limiter).
    void sendUploadChunk(quint64 offset, const QByteArray &payload);

    // Searches that are still streaming (restored after a reconnect).
    QStringList liveSearches() const { return m_liveSearches.keys(); }

Q_SIGNALS:
    void stateChanged(emailrag::client::Connection::State state);
    void reconnectScheduled(int delayMs);
    void tokenChanged(const QString &token, const QDateTime &expiresAt);

    // Every decoded server message (e.g. for `emailrag watch`), before the typed signal.
    void messageReceived(const emailrag::protocol::ServerEnvelope &envelope);

    // Typed signals, one per server message type. requestId is empty for pushes.
    void connected(const emailrag::protocol::Connected &message);
    void disconnecting(const emailrag::protocol::Disconnecting &message);
    void subscribed(const QString &requestId, const emailrag::protocol::Subscribed &message);
    void unsubscribed(const QString &requestId, const emailrag::protocol::Unsubscribed &message);
    void uploadProgress(const emailrag::protocol::UploadProgress &message);
    void newEmails(const emailrag::protocol::NewEmails &message);
    void searchResult(const QString &requestId, const emailrag::protocol::SearchResult &message);
    void searchComplete(const QString &requestId, const emailrag::protocol::SearchComplete &message);
    void searchRestarted(const QString &requestId); // sent again after a reconnect: drop partial hits
    void chatChunk(const QString &requestId, const emailrag::protocol::ChatResponseChunk &message);
    void chatComplete(const QString &requestId, const emailrag::protocol::ChatResponseComplete &message);
    void systemNotification(const emailrag::protocol::SystemNotification &message);
    void systemStatus(const QString &requestId, const emailrag::protocol::SystemStatus &message);
    void pong(const QString &requestId);
    void errorReceived(const QString &requestId, const emailrag::protocol::ErrorMessage &message);
    void uploadStarted(const QString &requestId, const emailrag::protocol::UploadStarted &message);
    void uploadAck(const emailrag::protocol::UploadAck &message);
    void uploadFinished(const QString &requestId, const emailrag::protocol::UploadFinished &message);
    void emailReceived(const QString &requestId, const emailrag::protocol::Email &message);
    void uploadsListed(const QString &requestId, const emailrag::protocol::Uploads &message);
    void cancelled(const QString &requestId, const emailrag::protocol::Cancelled &message);
    void tokenRefreshed(const emailrag::protocol::TokenRefreshed &message);
    void conversationsListed(const QString &requestId, const emailrag::protocol::Conversations &message);
    void conversationReceived(const QString &requestId, const emailrag::protocol::Conversation &message);
    void conversationDeleted(const QString &requestId, const emailrag::protocol::ConversationDeleted &message);

    // A request got no answer in time (it is no longer pending).
    void requestTimedOut(const QString &requestId);
    // A request cannot be answered any more (connection lost before its reply, or closed).
    void requestFailed(const QString &requestId, const QString &reason);

private:
    struct Outgoing
    {
        bool binary = false;
        protocol::ClientEnvelope envelope;
        quint64 offset = 0; // binary: upload frame offset and payload
        QByteArray payload;
    };

    void setState(State state);
    void connectSocket();
    void scheduleReconnect();
    void drainQueue();
    void enqueue(Outgoing out);
    void restoreAfterConnect();
    void failPending(const QString &reason);
    void scheduleRefresh();
    void onEndpointConnected();
    void onEndpointDisconnected(quint16 closeCode, const QString &reason);
    void onMessage(const protocol::ServerEnvelope &envelope);
    void onHeartbeat();
    void onRefreshTimer();
    void onRequestTimedOut(const QString &requestId);
    void onSocketError();
    void applyRefreshedToken(const QString &token, qint64 expiresInSeconds);
    bool isStreamRequest(const QString &requestId) const;

    Options m_options;
    QUrl m_url;
    QString m_token;
    QDateTime m_tokenExpiresAt;
    State m_state = State::Offline;
    bool m_wanted = false; // open() called and not close()d
    QString m_sessionId;
    QString m_userId;
    QString m_lastError;

    QPointer<protocol::Endpoint> m_endpoint;
    protocol::RequestTracker *m_tracker = nullptr;
    AuthClient *m_auth = nullptr;
    Backoff m_backoff;
    RateLimiter m_limiter;
    QQueue<Outgoing> m_queue;
    QTimer m_drainTimer;
    QTimer m_reconnectTimer;
    QTimer m_heartbeatTimer;
    QTimer m_pongTimer;
    QTimer m_connectTimer;
    QTimer m_refreshTimer;
    QString m_pingId;
    QString m_refreshId;
    bool m_noReconnect = false; // the server told us not to come back (session replaced, forbidden)

    QSet<QString> m_channels;
    QHash<QString, protocol::StreamSearch> m_liveSearches; // request id -> search
    QHash<QString, QString> m_pendingType;                 // request id -> message type
};

} // namespace emailrag::client
