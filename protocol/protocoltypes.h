#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace emailrag::protocol {

// Value types shared by several messages. Plain data, any thread. Field names on the wire are
// in codec*.cpp only; docs/protocol.md lists them.

// "queued" | "receiving" | "processing" | "completed" | "failed" | "cancelled"
// (the same words as uploads.status in storage; the seed example uses "processing").
enum class UploadStatus { Queued, Receiving, Processing, Completed, Failed, Cancelled };
QString uploadStatusName(UploadStatus status);
std::optional<UploadStatus> uploadStatusFromName(const QString &name);

// system_notification.level: "info" | "warning" | "error"
enum class NotificationLevel { Info, Warning, Error };
QString notificationLevelName(NotificationLevel level);
std::optional<NotificationLevel> notificationLevelFromName(const QString &name);

// conversation turn role: "user" | "assistant"
enum class ChatRole { User, Assistant };
QString chatRoleName(ChatRole role);
std::optional<ChatRole> chatRoleFromName(const QString &name);

// Channels of subscribe/unsubscribe. The codec rejects other names (invalid_value).
namespace Channel {
inline const QString Uploads = QStringLiteral("uploads"); // upload_progress, new_emails
inline const QString SearchResults = QStringLiteral("search_results"); // new_emails (re-run searches)
inline const QString SystemStatus = QStringLiteral("system_status"); // system_status, system_notification
QStringList all();
} // namespace Channel

// {"name": "...", "address": "..."}; name may be empty.
struct Address
{
    QString name;
    QString address;
    bool operator==(const Address &) const = default;
};

// A cited source of a chat answer. The seed has email_id and relevance; the rest is ours.
struct ChatSource
{
    QString emailId;
    double relevance = 0;
    std::optional<QString> subject;
    std::optional<Address> from;
    std::optional<QDateTime> date;
    std::optional<QString> passage; // the quoted passage the answer relies on
    bool operator==(const ChatSource &) const = default;
};

struct AttachmentInfo
{
    QString name;
    QString mimeType;
    qint64 size = 0;
    bool operator==(const AttachmentInfo &) const = default;
};

struct ThreadEntry
{
    QString emailId;
    QString subject;
    Address from;
    std::optional<QDateTime> date;
    bool operator==(const ThreadEntry &) const = default;
};

// One row of `uploads`; the same fields as upload_progress plus filename and created_at.
struct UploadInfo
{
    QString uploadId;
    QString filename;
    UploadStatus status = UploadStatus::Queued;
    int progress = 0; // 0..100
    qint64 emailsProcessed = 0;
    qint64 totalEmails = 0;
    QString currentOperation;
    std::optional<QString> error;
    QDateTime createdAt;
    bool operator==(const UploadInfo &) const = default;
};

struct ProviderStatus
{
    QString name; // e.g. "local-llama"
    QString kind; // "chat" | "embedding" (free text, for display)
    bool healthy = false;
    bool operator==(const ProviderStatus &) const = default;
};

struct ConversationSummary
{
    QString conversationId;
    QString title;
    QDateTime createdAt;
    QDateTime updatedAt;
    bool operator==(const ConversationSummary &) const = default;
};

struct ChatTurn
{
    ChatRole role = ChatRole::User;
    QString text;
    QList<ChatSource> sources; // empty for user turns
    QDateTime createdAt;
    bool operator==(const ChatTurn &) const = default;
};

} // namespace emailrag::protocol
