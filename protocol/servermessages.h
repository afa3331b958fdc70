#pragma once

#include "errorcode.h"
#include "protocoltypes.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace emailrag::protocol {

// One struct per server -> client message type. Same conventions as clientmessages.h.

// seed
struct Subscribed
{
    static constexpr const char *Type = "subscribed";
    QStringList channels; // all channels the session is now subscribed to
    bool operator==(const Subscribed &) const = default;
};

// ours: reply to unsubscribe
struct Unsubscribed
{
    static constexpr const char *Type = "unsubscribed";
    QStringList channels; // channels still subscribed
    bool operator==(const Unsubscribed &) const = default;
};

// seed: push on channel "uploads" (no request_id)
struct UploadProgress
{
    static constexpr const char *Type = "upload_progress";
    QString uploadId;
    UploadStatus status = UploadStatus::Processing;
    int progress = 0; // 0..100
    qint64 emailsProcessed = 0;
    qint64 totalEmails = 0;
    QString currentOperation; // e.g. "receiving", "parsing", "indexing_emails"
    std::optional<QString> error; // ours: set when status is failed
    bool operator==(const UploadProgress &) const = default;
};

// seed: one per hit, best first, request_id of the stream_search
struct SearchResult
{
    static constexpr const char *Type = "search_result";
    QString emailId;
    QString subject;
    double score = 0; // 0..1
    std::optional<Address> from; // ours
    std::optional<QDateTime> date; // ours
    std::optional<QString> snippet; // ours: matched text with the terms
    std::optional<QString> threadId; // ours
    bool operator==(const SearchResult &) const = default;
};

// seed
struct SearchComplete
{
    static constexpr const char *Type = "search_complete";
    qint64 totalResults = 0;
    qint64 processingTimeMs = 0;
    std::optional<bool> cancelled; // ours: true when stopped by cancel
    bool operator==(const SearchComplete &) const = default;
};

// seed
struct ChatResponseChunk
{
    static constexpr const char *Type = "chat_response_chunk";
    QString chunk;
    QString conversationId;
    bool operator==(const ChatResponseChunk &) const = default;
};

// seed
struct ChatResponseComplete
{
    static constexpr const char *Type = "chat_response_complete";
    QString conversationId;
    QList<ChatSource> sources;
    bool operator==(const ChatResponseComplete &) const = default;
};

// seed
struct SystemNotification
{
    static constexpr const char *Type = "system_notification";
    NotificationLevel level = NotificationLevel::Info;
    QString message;
    bool actionRequired = false;
    bool operator==(const SystemNotification &) const = default;
};

// seed: push on channel "uploads"
struct NewEmails
{
    static constexpr const char *Type = "new_emails";
    qint64 count = 0;
    std::optional<QString> uploadId; // absent when the mail did not come from an upload (watch)
    bool operator==(const NewEmails &) const = default;
};

// seed; has no data
struct Pong
{
    static constexpr const char *Type = "pong";
    bool operator==(const Pong &) const = default;
};

// seed: "error". `details` always goes on the wire (the seed sends {} when there are none);
// retryAfterMs is ours and travels as details.retry_after_ms.
struct ErrorMessage
{
    static constexpr const char *Type = "error";
    ErrorCode code = ErrorCode::InternalError;
    QString message;
    QJsonObject details; // free-form, without retry_after_ms
    std::optional<qint64> retryAfterMs;
    bool operator==(const ErrorMessage &) const = default;
};

// seed: first message after the handshake
struct Connected
{
    static constexpr const char *Type = "connected";
    QString sessionId;
    QString userId;
    std::optional<QString> serverVersion; // ours
    bool operator==(const Connected &) const = default;
};

// seed: last message before the server closes
struct Disconnecting
{
    static constexpr const char *Type = "disconnecting";
    QString reason; // "server_shutdown" | "token_expired" | "rate_limited" | "session_replaced" | ...
    std::optional<qint64> reconnectDelayMs;
    bool operator==(const Disconnecting &) const = default;
};

// ours: reply to upload_start. Send binary frames from `offset` (0, or the resume point).
struct UploadStarted
{
    static constexpr const char *Type = "upload_started";
    QString uploadId;
    qint64 chunkSize = 0; // largest payload per binary frame the server accepts
    qint64 offset = 0;
    bool operator==(const UploadStarted &) const = default;
};

// ours: bytes durably received so far (flow control: keep at most a few chunks un-acked)
struct UploadAck
{
    static constexpr const char *Type = "upload_ack";
    QString uploadId;
    qint64 received = 0;
    bool operator==(const UploadAck &) const = default;
};

// ours: reply to upload_finish; file complete and checksum matched. Processing follows as
// upload_progress pushes.
struct UploadFinished
{
    static constexpr const char *Type = "upload_finished";
    QString uploadId;
    qint64 size = 0;
    bool operator==(const UploadFinished &) const = default;
};

// ours: reply to get_email
struct Email
{
    static constexpr const char *Type = "email";
    QString emailId;
    QString subject;
    Address from;
    QList<Address> to;
    QList<Address> cc;
    std::optional<QDateTime> date; // absent when the mail has no valid Date header
    QString text; // new text, quoted history removed
    QString quotedText;
    bool htmlDerived = false; // text was rendered from an HTML-only body
    QList<AttachmentInfo> attachments;
    QString threadId;
    QList<ThreadEntry> thread; // the whole thread in date order, this email included
    bool operator==(const Email &) const = default;
};

// ours: reply to list_uploads, newest first
struct Uploads
{
    static constexpr const char *Type = "uploads";
    QList<UploadInfo> uploads;
    bool operator==(const Uploads &) const = default;
};

// ours: reply to cancel, echoing what was cancelled
struct Cancelled
{
    static constexpr const char *Type = "cancelled";
    std::optional<QString> requestId;
    std::optional<QString> uploadId;
    bool operator==(const Cancelled &) const = default;
};

// ours: reply to refresh_token
struct TokenRefreshed
{
    static constexpr const char *Type = "token_refreshed";
    QString accessToken;
    qint64 expiresIn = 0; // seconds
    bool operator==(const TokenRefreshed &) const = default;
};

// ours: reply to get_system_status and push on channel "system_status"
struct SystemStatus
{
    static constexpr const char *Type = "system_status";
    qint64 emailsIndexed = 0;
    qint64 uploadsRunning = 0;
    qint64 connections = 0;
    QList<ProviderStatus> providers;
    bool operator==(const SystemStatus &) const = default;
};

// ours: reply to list_conversations, most recently updated first
struct Conversations
{
    static constexpr const char *Type = "conversations";
    QList<ConversationSummary> conversations;
    bool operator==(const Conversations &) const = default;
};

// ours: reply to get_conversation
struct Conversation
{
    static constexpr const char *Type = "conversation";
    QString conversationId;
    QString title;
    QList<ChatTurn> turns;
    bool operator==(const Conversation &) const = default;
};

// ours: reply to delete_conversation
struct ConversationDeleted
{
    static constexpr const char *Type = "conversation_deleted";
    QString conversationId;
    bool operator==(const ConversationDeleted &) const = default;
};

using ServerMessage = std::variant<Subscribed, Unsubscribed, UploadProgress, SearchResult, SearchComplete,
    ChatResponseChunk, ChatResponseComplete, SystemNotification, NewEmails, Pong, ErrorMessage, Connected,
    Disconnecting, UploadStarted, UploadAck, UploadFinished, Email, Uploads, Cancelled, TokenRefreshed, SystemStatus,
    Conversations, Conversation, ConversationDeleted>;

QString messageType(const ServerMessage &message);
QStringList serverMessageTypes();

} // namespace emailrag::protocol
