#pragma once

#include "protocoltypes.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace emailrag::protocol {

// One struct per client -> server message type. `Type` is the wire "type". Plain data, any
// thread; the codec validates ranges on decode (see docs/protocol.md) but does not re-check on
// encode — build valid values. Optional fields are std::optional and are not sent when empty.

// seed
struct Subscribe
{
    static constexpr const char *Type = "subscribe";
    QStringList channels; // non-empty, each one of Channel::all()
    bool operator==(const Subscribe &) const = default;
};

// seed
struct Unsubscribe
{
    static constexpr const char *Type = "unsubscribe";
    QStringList channels;
    bool operator==(const Unsubscribe &) const = default;
};

// seed
struct StreamSearch
{
    static constexpr const char *Type = "stream_search";
    QString query; // 1..Limits::MaxQueryLength characters
    std::optional<int> limit; // 1..500; absent means 50
    int effectiveLimit() const { return limit.value_or(50); }
    bool operator==(const StreamSearch &) const = default;
};

// seed
struct ChatMessage
{
    static constexpr const char *Type = "chat_message";
    QString message; // 1..Limits::MaxChatMessageLength characters
    std::optional<QString> conversationId; // absent: start a new conversation
    bool operator==(const ChatMessage &) const = default;
};

// seed; has no data
struct Ping
{
    static constexpr const char *Type = "ping";
    bool operator==(const Ping &) const = default;
};

// ours: begin (or resume) an upload on this connection. Binary frames follow (uploadframe.h).
struct UploadStart
{
    static constexpr const char *Type = "upload_start";
    QString filename; // display name, 1..255 characters
    qint64 size = 0; // total bytes, >= 0
    std::optional<QString> format; // "mbox" | "maildir" | "eml" | "zip"; absent: server detects
    std::optional<QString> uploadId; // resume this earlier upload instead of starting a new one
    bool operator==(const UploadStart &) const = default;
};

// ours: all bytes sent; the server verifies the checksum and starts processing.
struct UploadFinish
{
    static constexpr const char *Type = "upload_finish";
    QString uploadId;
    QString sha256; // 64 lowercase hex digits of the whole file
    bool operator==(const UploadFinish &) const = default;
};

// ours
struct GetEmail
{
    static constexpr const char *Type = "get_email";
    QString emailId;
    bool operator==(const GetEmail &) const = default;
};

// ours; no data
struct ListUploads
{
    static constexpr const char *Type = "list_uploads";
    bool operator==(const ListUploads &) const = default;
};

// ours: cancel a running request (stream_search, chat_message) or an upload. Exactly one of
// the two is set.
struct Cancel
{
    static constexpr const char *Type = "cancel";
    std::optional<QString> requestId;
    std::optional<QString> uploadId;
    bool operator==(const Cancel &) const = default;
};

// ours: ask for a fresh access token before the current one expires.
struct RefreshToken
{
    static constexpr const char *Type = "refresh_token";
    std::optional<QString> refreshToken; // when the client holds a refresh token; else the session's user
    bool operator==(const RefreshToken &) const = default;
};

// ours; no data
struct GetSystemStatus
{
    static constexpr const char *Type = "get_system_status";
    bool operator==(const GetSystemStatus &) const = default;
};

// ours; no data
struct ListConversations
{
    static constexpr const char *Type = "list_conversations";
    bool operator==(const ListConversations &) const = default;
};

// ours
struct GetConversation
{
    static constexpr const char *Type = "get_conversation";
    QString conversationId;
    bool operator==(const GetConversation &) const = default;
};

// ours
struct DeleteConversation
{
    static constexpr const char *Type = "delete_conversation";
    QString conversationId;
    bool operator==(const DeleteConversation &) const = default;
};

using ClientMessage
    = std::variant<Subscribe, Unsubscribe, StreamSearch, ChatMessage, Ping, UploadStart, UploadFinish, GetEmail,
        ListUploads, Cancel, RefreshToken, GetSystemStatus, ListConversations, GetConversation, DeleteConversation>;

// The wire "type" of a message.
QString messageType(const ClientMessage &message);
// All client message types, in variant order (for tests and docs).
QStringList clientMessageTypes();

} // namespace emailrag::protocol
