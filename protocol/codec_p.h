#pragma once

// Internal to the codec: per-message readers and writers, and the shared-type helpers.
// These are the only functions that know JSON field names.

#include "clientmessages.h"
#include "jsonreader_p.h"
#include "servermessages.h"

#include <QJsonArray>
#include <QJsonObject>

namespace emailrag::protocol::detail {

// Shared types (codectypes.cpp)
Address readAddress(FieldReader &r);
QJsonObject writeAddress(const Address &a);
QList<Address> readAddressList(FieldReader &r, const QString &key);
QJsonArray writeAddressList(const QList<Address> &list);
ChatSource readChatSource(FieldReader &r);
QJsonObject writeChatSource(const ChatSource &s);
QList<ChatSource> readChatSources(FieldReader &r, const QString &key);
QJsonArray writeChatSources(const QList<ChatSource> &list);
AttachmentInfo readAttachment(FieldReader &r);
QJsonObject writeAttachment(const AttachmentInfo &a);
ThreadEntry readThreadEntry(FieldReader &r);
QJsonObject writeThreadEntry(const ThreadEntry &t);
UploadInfo readUploadInfo(FieldReader &r);
QJsonObject writeUploadInfo(const UploadInfo &u);
ProviderStatus readProvider(FieldReader &r);
QJsonObject writeProvider(const ProviderStatus &p);
ConversationSummary readConversationSummary(FieldReader &r);
QJsonObject writeConversationSummary(const ConversationSummary &c);
ChatTurn readChatTurn(FieldReader &r);
QJsonObject writeChatTurn(const ChatTurn &t);
QStringList readChannels(FieldReader &r, int minItems);
UploadStatus readUploadStatus(FieldReader &r, const QString &key);
int readProgress(FieldReader &r);
// cancel and cancelled share one shape: exactly one of data.request_id and data.upload_id.
void readCancelTarget(FieldReader &r, const char *type, std::optional<QString> &requestId,
                      std::optional<QString> &uploadId);
QJsonObject writeCancelTarget(const std::optional<QString> &requestId, const std::optional<QString> &uploadId);
QString writeTime(const QDateTime &time);

template<typename T, typename F> QJsonArray writeArray(const QList<T> &list, F write)
{
    QJsonArray array;
    for (const T &item : list)
        array.append(write(item));
    return array;
}

// Client messages (codecclient.cpp)
void readData(FieldReader &r, Subscribe &m);
void readData(FieldReader &r, Unsubscribe &m);
void readData(FieldReader &r, StreamSearch &m);
void readData(FieldReader &r, ChatMessage &m);
void readData(FieldReader &r, Ping &m);
void readData(FieldReader &r, UploadStart &m);
void readData(FieldReader &r, UploadFinish &m);
void readData(FieldReader &r, GetEmail &m);
void readData(FieldReader &r, ListUploads &m);
void readData(FieldReader &r, Cancel &m);
void readData(FieldReader &r, RefreshToken &m);
void readData(FieldReader &r, GetSystemStatus &m);
void readData(FieldReader &r, ListConversations &m);
void readData(FieldReader &r, GetConversation &m);
void readData(FieldReader &r, DeleteConversation &m);
QJsonObject writeData(const Subscribe &m);
QJsonObject writeData(const Unsubscribe &m);
QJsonObject writeData(const StreamSearch &m);
QJsonObject writeData(const ChatMessage &m);
QJsonObject writeData(const Ping &m);
QJsonObject writeData(const UploadStart &m);
QJsonObject writeData(const UploadFinish &m);
QJsonObject writeData(const GetEmail &m);
QJsonObject writeData(const ListUploads &m);
QJsonObject writeData(const Cancel &m);
QJsonObject writeData(const RefreshToken &m);
QJsonObject writeData(const GetSystemStatus &m);
QJsonObject writeData(const ListConversations &m);
QJsonObject writeData(const GetConversation &m);
QJsonObject writeData(const DeleteConversation &m);

// Server messages (codecserver.cpp)
void readData(FieldReader &r, Subscribed &m);
void readData(FieldReader &r, Unsubscribed &m);
void readData(FieldReader &r, UploadProgress &m);
void readData(FieldReader &r, SearchResult &m);
void readData(FieldReader &r, SearchComplete &m);
void readData(FieldReader &r, ChatResponseChunk &m);
void readData(FieldReader &r, ChatResponseComplete &m);
void readData(FieldReader &r, SystemNotification &m);
void readData(FieldReader &r, NewEmails &m);
void readData(FieldReader &r, Pong &m);
void readData(FieldReader &r, ErrorMessage &m);
void readData(FieldReader &r, Connected &m);
void readData(FieldReader &r, Disconnecting &m);
void readData(FieldReader &r, UploadStarted &m);
void readData(FieldReader &r, UploadAck &m);
void readData(FieldReader &r, UploadFinished &m);
void readData(FieldReader &r, Email &m);
void readData(FieldReader &r, Uploads &m);
void readData(FieldReader &r, Cancelled &m);
void readData(FieldReader &r, TokenRefreshed &m);
void readData(FieldReader &r, SystemStatus &m);
void readData(FieldReader &r, Conversations &m);
void readData(FieldReader &r, Conversation &m);
void readData(FieldReader &r, ConversationDeleted &m);
QJsonObject writeData(const Subscribed &m);
QJsonObject writeData(const Unsubscribed &m);
QJsonObject writeData(const UploadProgress &m);
QJsonObject writeData(const SearchResult &m);
QJsonObject writeData(const SearchComplete &m);
QJsonObject writeData(const ChatResponseChunk &m);
QJsonObject writeData(const ChatResponseComplete &m);
QJsonObject writeData(const SystemNotification &m);
QJsonObject writeData(const NewEmails &m);
QJsonObject writeData(const Pong &m);
QJsonObject writeData(const ErrorMessage &m);
QJsonObject writeData(const Connected &m);
QJsonObject writeData(const Disconnecting &m);
QJsonObject writeData(const UploadStarted &m);
QJsonObject writeData(const UploadAck &m);
QJsonObject writeData(const UploadFinished &m);
QJsonObject writeData(const Email &m);
QJsonObject writeData(const Uploads &m);
QJsonObject writeData(const Cancelled &m);
QJsonObject writeData(const TokenRefreshed &m);
QJsonObject writeData(const SystemStatus &m);
QJsonObject writeData(const Conversations &m);
QJsonObject writeData(const Conversation &m);
QJsonObject writeData(const ConversationDeleted &m);

} // namespace emailrag::protocol::detail
