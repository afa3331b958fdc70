#pragma once

#include "ratelimiter.h"

#include "endpoint.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <variant>

class QTcpSocket;
class QWebSocket;

namespace emailrag::search { class SearchJob; }
namespace emailrag::chat { class ChatRun; }

namespace emailrag::server {

struct ServerContext;

// One WebSocket connection: authenticates it (token from ?token= or Authorization: Bearer),
// sends `connected`, then decodes, rate-limits and answers every client message of
// docs/protocol.md. Handlers per message family live in session*.cpp.
//
// Thread: the server thread. Owner: the Server (QObject parent); the session owns its Endpoint,
// which owns the socket, and deletes itself (deleteLater) once the socket is closed, after
// emitting closed(). Failure: a bad token ends it with `error` UNAUTHORIZED and close code 4001;
// any other problem is answered with `error` and the session goes on, except flooding (4008),
// an overflowing send queue (slow reader) and idleness (2x heartbeat), which close it.
class Session : public QObject
{
    Q_OBJECT
public:
    Session(QWebSocket *socket, ServerContext &context, QObject *parent = nullptr);
    // Checks the token and, if it is good, sends `connected`. Separate from the constructor so
    // that the owner can connect to closed() first: a refused token may close the socket, and
    // emit closed(), before the constructor would have returned.
    void start();
    ~Session() override;

    QString sessionId() const { return m_sessionId; }
    qint64 userId() const { return m_userId; }
    bool isAdmin() const { return m_admin; }
    bool isOpen() const { return m_state == State::Open; }
    bool isSubscribed(const QString &channel) const { return m_channels.contains(channel); }
    qint64 lastActivityMs() const { return m_lastActivityMs; }

    // Sends a typed message (stamped with the current time).
    void send(const protocol::ServerMessage &message, const QString &requestId = {});
    // Sends an already encoded message (fan-out encodes once for all receivers).
    void sendEncoded(const QString &text, const QString &type);
    // Hands what is queued to the kernel now instead of at the next event-loop pass (fan-out
    // writes to every receiver in one go, without an extra poll over every socket).
    void flush();
    // The TCP socket under the WebSocket (the front hands it over with it), for the fan-out's
    // direct writes. Without it (or with TLS) every message goes through QWebSocket.
    void setTransport(QTcpSocket *transport) { m_transport = transport; }
    // The socket descriptor the fan-out may send() a complete frame to right now, bypassing
    // Qt's buffers: only for an open session on plain TCP with nothing queued in Qt (so the
    // frame cannot overtake earlier bytes); else -1. Server thread.
    int directDescriptor() const;
    // After the fan-out sent `frame` directly: counts it and queues through Qt whatever part
    // the kernel did not take (`sent` bytes were taken; -1 = the socket failed).
    void directWritten(const QByteArray &frame, qint64 sent, const QString &type);
    void sendError(protocol::ErrorCode code, const QString &message, const QString &requestId = {},
                   const QJsonObject &details = {}, std::optional<qint64> retryAfterMs = std::nullopt);
    // Sends `disconnecting` {reason, reconnect_delay_ms}, then closes with `closeCode`.
    void disconnectWith(const QString &reason, quint16 closeCode, std::optional<qint64> reconnectDelayMs);
    // Closes without a goodbye (dead or misbehaving peer).
    void abort(quint16 closeCode, const QString &reason);

    // Live search: new emails of this user were indexed.
    void onEmailsIndexed(const QList<qint64> &emailRowIds);

Q_SIGNALS:
    void closed(emailrag::server::Session *session);

private:
    enum class State { Authenticating, Open, Closing };
    using Buffered = std::variant<protocol::ClientEnvelope, protocol::DecodeError, protocol::UploadChunk>;

    void authenticate();
    void refuse(const QString &why);
    void open(qint64 userId, const QString &name, bool admin, qint64 expiresAt);
    void armExpiry(qint64 expiresAt);

    void onRawText(const QString &text);
    void onClientMessage(const protocol::ClientEnvelope &envelope);
    void onDecodeFailed(const protocol::DecodeError &error);
    void onUploadChunk(const protocol::UploadChunk &chunk);
    void onDisconnected();
    bool admit(const QString &type, const QString &requestId); // rate limit; false = refused
    void touch();

    // Handlers (session.cpp)
    void handle(const QString &rid, const protocol::Subscribe &m);
    void handle(const QString &rid, const protocol::Unsubscribe &m);
    void handle(const QString &rid, const protocol::Ping &m);
    void handle(const QString &rid, const protocol::RefreshToken &m);
    void handle(const QString &rid, const protocol::GetSystemStatus &m);
    void handle(const QString &rid, const protocol::Cancel &m);
    void subscribe(const QString &rid, const QStringList &channels);
    // (sessionsearch.cpp)
    void handle(const QString &rid, const protocol::StreamSearch &m);
    void handle(const QString &rid, const protocol::GetEmail &m);
    void handle(const QString &rid, const protocol::ChatMessage &m);
    void handle(const QString &rid, const protocol::ListConversations &m);
    void handle(const QString &rid, const protocol::GetConversation &m);
    void handle(const QString &rid, const protocol::DeleteConversation &m);
    bool cancelRequest(const QString &requestId);
    void cancelChats();
    friend class UploadManager; // sets m_activeUpload
    // (sessionuploads.cpp)
    void handle(const QString &rid, const protocol::UploadStart &m);
    void handle(const QString &rid, const protocol::UploadFinish &m);
    void handle(const QString &rid, const protocol::ListUploads &m);
    void cancelUpload(const QString &rid, const QString &uploadId);

    ServerContext &m_ctx;
    protocol::Endpoint *m_endpoint;
    QString m_sessionId;
    State m_state = State::Authenticating;
    qint64 m_userId = 0;
    QString m_userName;
    bool m_admin = false;
    QSet<QString> m_channels;
    QList<Buffered> m_buffered;
    QString m_lastRawText;
    RateLimiter::Connection m_rate;
    bool m_rateOpen = false;
    qint64 m_lastActivityMs = 0;
    QTimer m_expiry;
    qint64 m_tokenExpiresAt = 0;
    bool m_closedEmitted = false;
    QString m_activeUpload; // upload receiving binary frames on this connection
    QPointer<QTcpSocket> m_transport; // under m_endpoint's QWebSocket; same thread, freed by the front on disconnect

    struct RecentSearch
    {
        QString requestId;
        QString query;
        // Emails already sent under this request_id. The importer's "indexed" signal reaches the
        // session after the commit, so a search that ran in between has already streamed some of
        // the emails the live push is about to send again.
        QSet<qint64> sent;
    };
    // True when email `rowId` has not been sent under search `rid` yet. Records it while the
    // search is still streaming (a live push may overtake its hits); after that only the
    // streamed hits need remembering, so the set stays at most the search's limit plus the
    // live hits of the streaming time. A live push (`live`) for a search that has meanwhile left
    // the recent ones is dropped: it can no longer be checked, and newer mail would not reach
    // that search either.
    bool firstSend(const QString &rid, qint64 rowId, bool live);
    QList<RecentSearch> m_recentSearches; // newest last, at most kRecentSearches
    static constexpr int kRecentSearches = 5;
    QHash<QString, QPointer<search::SearchJob>> m_searches;
    QHash<QString, QPointer<chat::ChatRun>> m_chats;
    QHash<QString, QElapsedTimer> m_started;
};

} // namespace emailrag::server
