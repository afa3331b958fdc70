#include "codec_p.h"

#include "protocollimits.h"

namespace emailrag::protocol::detail {

namespace {
constexpr qint64 MaxCount = qint64(1) << 53;
const QString RetryAfterKey = QStringLiteral("retry_after_ms");
} // namespace

void readData(FieldReader &r, Subscribed &m)
{
    m.channels = readChannels(r, 0);
}
QJsonObject writeData(const Subscribed &m)
{
    return { { QStringLiteral("channels"), QJsonArray::fromStringList(m.channels) } };
}

void readData(FieldReader &r, Unsubscribed &m)
{
    m.channels = readChannels(r, 0);
}
QJsonObject writeData(const Unsubscribed &m)
{
    return { { QStringLiteral("channels"), QJsonArray::fromStringList(m.channels) } };
}

void readData(FieldReader &r, UploadProgress &m)
{
    m.uploadId = r.id(QStringLiteral("upload_id"));
    m.status = readUploadStatus(r, QStringLiteral("status"));
    m.progress = readProgress(r);
    m.emailsProcessed = r.integer(QStringLiteral("emails_processed"), 0, MaxCount);
    m.totalEmails = r.integer(QStringLiteral("total_emails"), 0, MaxCount);
    m.currentOperation = r.string(QStringLiteral("current_operation"));
    m.error = r.optionalString(QStringLiteral("error"));
}
QJsonObject writeData(const UploadProgress &m)
{
    QJsonObject o { { QStringLiteral("upload_id"), m.uploadId },
        { QStringLiteral("status"), uploadStatusName(m.status) }, { QStringLiteral("progress"), m.progress },
        { QStringLiteral("emails_processed"), m.emailsProcessed }, { QStringLiteral("total_emails"), m.totalEmails },
        { QStringLiteral("current_operation"), m.currentOperation } };
    if (m.error)
        o.insert(QStringLiteral("error"), *m.error);
    return o;
}

void readData(FieldReader &r, SearchResult &m)
{
    m.emailId = r.id(QStringLiteral("email_id"));
    m.subject = r.string(QStringLiteral("subject"));
    m.score = r.number(QStringLiteral("score"), 0.0, 1.0);
    if (r.has(QStringLiteral("from")))
        r.object(QStringLiteral("from"), true, [&](FieldReader &f) { m.from = readAddress(f); });
    m.date = r.optionalTimestamp(QStringLiteral("date"));
    m.snippet = r.optionalString(QStringLiteral("snippet"));
    m.threadId = r.optionalId(QStringLiteral("thread_id"));
}
QJsonObject writeData(const SearchResult &m)
{
    QJsonObject o { { QStringLiteral("email_id"), m.emailId }, { QStringLiteral("subject"), m.subject },
        { QStringLiteral("score"), m.score } };
    if (m.from)
        o.insert(QStringLiteral("from"), writeAddress(*m.from));
    if (m.date)
        o.insert(QStringLiteral("date"), writeTime(*m.date));
    if (m.snippet)
        o.insert(QStringLiteral("snippet"), *m.snippet);
    if (m.threadId)
        o.insert(QStringLiteral("thread_id"), *m.threadId);
    return o;
}

void readData(FieldReader &r, SearchComplete &m)
{
    m.totalResults = r.integer(QStringLiteral("total_results"), 0, MaxCount);
    m.processingTimeMs = r.integer(QStringLiteral("processing_time_ms"), 0, MaxCount);
    m.cancelled = r.optionalBoolean(QStringLiteral("cancelled"));
}
QJsonObject writeData(const SearchComplete &m)
{
    QJsonObject o { { QStringLiteral("total_results"), m.totalResults },
        { QStringLiteral("processing_time_ms"), m.processingTimeMs } };
    if (m.cancelled)
        o.insert(QStringLiteral("cancelled"), *m.cancelled);
    return o;
}

void readData(FieldReader &r, ChatResponseChunk &m)
{
    m.chunk = r.string(QStringLiteral("chunk"));
    m.conversationId = r.id(QStringLiteral("conversation_id"));
}
QJsonObject writeData(const ChatResponseChunk &m)
{
    return { { QStringLiteral("chunk"), m.chunk }, { QStringLiteral("conversation_id"), m.conversationId } };
}

void readData(FieldReader &r, ChatResponseComplete &m)
{
    m.conversationId = r.id(QStringLiteral("conversation_id"));
    m.sources = readChatSources(r, QStringLiteral("sources"));
}
QJsonObject writeData(const ChatResponseComplete &m)
{
    return { { QStringLiteral("conversation_id"), m.conversationId },
        { QStringLiteral("sources"), writeChatSources(m.sources) } };
}

void readData(FieldReader &r, SystemNotification &m)
{
    const QString level = r.string(QStringLiteral("level"));
    if (!r.failed()) {
        if (const auto parsed = notificationLevelFromName(level))
            m.level = *parsed;
        else
            r.state().fail(DecodeReason::InvalidValue, r.path(QStringLiteral("level")),
                QStringLiteral("data.level must be info, warning or error"));
    }
    m.message = r.string(QStringLiteral("message"));
    m.actionRequired = r.optionalBoolean(QStringLiteral("action_required")).value_or(false);
}
QJsonObject writeData(const SystemNotification &m)
{
    return { { QStringLiteral("level"), notificationLevelName(m.level) }, { QStringLiteral("message"), m.message },
        { QStringLiteral("action_required"), m.actionRequired } };
}

void readData(FieldReader &r, NewEmails &m)
{
    m.count = r.integer(QStringLiteral("count"), 0, MaxCount);
    m.uploadId = r.optionalId(QStringLiteral("upload_id"));
}
QJsonObject writeData(const NewEmails &m)
{
    QJsonObject o { { QStringLiteral("count"), m.count } };
    if (m.uploadId)
        o.insert(QStringLiteral("upload_id"), *m.uploadId);
    return o;
}

void readData(FieldReader &, Pong &) { }
QJsonObject writeData(const Pong &)
{
    return {};
}

void readData(FieldReader &r, ErrorMessage &m)
{
    const QString code = r.string(QStringLiteral("error_code"), 1, 64);
    m.code = errorCodeFromName(code); // unknown codes stay readable as ErrorCode::Unknown
    m.message = r.string(QStringLiteral("message"));
    m.details = r.rawObject(QStringLiteral("details"));
    if (m.details.contains(RetryAfterKey)) {
        r.object(QStringLiteral("details"), false,
            [&](FieldReader &d) { m.retryAfterMs = d.optionalInteger(RetryAfterKey, 0, MaxCount); });
        m.details.remove(RetryAfterKey);
    }
}
QJsonObject writeData(const ErrorMessage &m)
{
    QJsonObject details = m.details;
    if (m.retryAfterMs)
        details.insert(RetryAfterKey, *m.retryAfterMs);
    return { { QStringLiteral("error_code"), errorCodeName(m.code) }, { QStringLiteral("message"), m.message },
        { QStringLiteral("details"), details } };
}

void readData(FieldReader &r, Connected &m)
{
    m.sessionId = r.id(QStringLiteral("session_id"));
    m.userId = r.id(QStringLiteral("user_id"));
    m.serverVersion = r.optionalString(QStringLiteral("server_version"));
}
QJsonObject writeData(const Connected &m)
{
    QJsonObject o { { QStringLiteral("session_id"), m.sessionId }, { QStringLiteral("user_id"), m.userId } };
    if (m.serverVersion)
        o.insert(QStringLiteral("server_version"), *m.serverVersion);
    return o;
}

void readData(FieldReader &r, Disconnecting &m)
{
    m.reason = r.string(QStringLiteral("reason"), 1, 64);
    m.reconnectDelayMs = r.optionalInteger(QStringLiteral("reconnect_delay_ms"), 0, MaxCount);
}
QJsonObject writeData(const Disconnecting &m)
{
    QJsonObject o { { QStringLiteral("reason"), m.reason } };
    if (m.reconnectDelayMs)
        o.insert(QStringLiteral("reconnect_delay_ms"), *m.reconnectDelayMs);
    return o;
}

void readData(FieldReader &r, UploadStarted &m)
{
    m.uploadId = r.id(QStringLiteral("upload_id"));
    m.chunkSize = r.integer(QStringLiteral("chunk_size"), 1, MaxCount);
    m.offset = r.integer(QStringLiteral("offset"), 0, MaxCount);
}
QJsonObject writeData(const UploadStarted &m)
{
    return { { QStringLiteral("upload_id"), m.uploadId }, { QStringLiteral("chunk_size"), m.chunkSize },
        { QStringLiteral("offset"), m.offset } };
}

void readData(FieldReader &r, UploadAck &m)
{
    m.uploadId = r.id(QStringLiteral("upload_id"));
    m.received = r.integer(QStringLiteral("received"), 0, MaxCount);
}
QJsonObject writeData(const UploadAck &m)
{
    return { { QStringLiteral("upload_id"), m.uploadId }, { QStringLiteral("received"), m.received } };
}

void readData(FieldReader &r, UploadFinished &m)
{
    m.uploadId = r.id(QStringLiteral("upload_id"));
    m.size = r.integer(QStringLiteral("size"), 0, MaxCount);
}
QJsonObject writeData(const UploadFinished &m)
{
    return { { QStringLiteral("upload_id"), m.uploadId }, { QStringLiteral("size"), m.size } };
}

void readData(FieldReader &r, Email &m)
{
    m.emailId = r.id(QStringLiteral("email_id"));
    m.subject = r.string(QStringLiteral("subject"));
    r.object(QStringLiteral("from"), true, [&](FieldReader &f) { m.from = readAddress(f); });
    m.to = readAddressList(r, QStringLiteral("to"));
    m.cc = readAddressList(r, QStringLiteral("cc"));
    m.date = r.optionalTimestamp(QStringLiteral("date"));
    m.text = r.string(QStringLiteral("text"));
    m.quotedText = r.optionalString(QStringLiteral("quoted_text")).value_or(QString());
    m.htmlDerived = r.optionalBoolean(QStringLiteral("html_derived")).value_or(false);
    r.objectArray(
        QStringLiteral("attachments"), false, [&](FieldReader &a) { m.attachments.append(readAttachment(a)); });
    m.threadId = r.id(QStringLiteral("thread_id"));
    r.objectArray(QStringLiteral("thread"), false, [&](FieldReader &t) { m.thread.append(readThreadEntry(t)); });
}
QJsonObject writeData(const Email &m)
{
    QJsonObject o { { QStringLiteral("email_id"), m.emailId }, { QStringLiteral("subject"), m.subject },
        { QStringLiteral("from"), writeAddress(m.from) }, { QStringLiteral("to"), writeAddressList(m.to) },
        { QStringLiteral("cc"), writeAddressList(m.cc) }, { QStringLiteral("text"), m.text },
        { QStringLiteral("quoted_text"), m.quotedText }, { QStringLiteral("html_derived"), m.htmlDerived },
        { QStringLiteral("attachments"), writeArray(m.attachments, writeAttachment) },
        { QStringLiteral("thread_id"), m.threadId },
        { QStringLiteral("thread"), writeArray(m.thread, writeThreadEntry) } };
    if (m.date)
        o.insert(QStringLiteral("date"), writeTime(*m.date));
    return o;
}

void readData(FieldReader &r, Uploads &m)
{
    r.objectArray(QStringLiteral("uploads"), true, [&](FieldReader &u) { m.uploads.append(readUploadInfo(u)); });
}
QJsonObject writeData(const Uploads &m)
{
    return { { QStringLiteral("uploads"), writeArray(m.uploads, writeUploadInfo) } };
}

void readData(FieldReader &r, Cancelled &m) { readCancelTarget(r, Cancelled::Type, m.requestId, m.uploadId); }
QJsonObject writeData(const Cancelled &m) { return writeCancelTarget(m.requestId, m.uploadId); }

void readData(FieldReader &r, TokenRefreshed &m)
{
    m.accessToken = r.string(QStringLiteral("access_token"), 1, 8192);
    m.expiresIn = r.integer(QStringLiteral("expires_in"), 0, MaxCount);
}
QJsonObject writeData(const TokenRefreshed &m)
{
    return { { QStringLiteral("access_token"), m.accessToken }, { QStringLiteral("expires_in"), m.expiresIn } };
}

void readData(FieldReader &r, SystemStatus &m)
{
    m.emailsIndexed = r.integer(QStringLiteral("emails_indexed"), 0, MaxCount);
    m.uploadsRunning = r.integer(QStringLiteral("uploads_running"), 0, MaxCount);
    m.connections = r.integer(QStringLiteral("connections"), 0, MaxCount);
    r.objectArray(QStringLiteral("providers"), true, [&](FieldReader &p) { m.providers.append(readProvider(p)); });
}
QJsonObject writeData(const SystemStatus &m)
{
    return { { QStringLiteral("emails_indexed"), m.emailsIndexed },
        { QStringLiteral("uploads_running"), m.uploadsRunning }, { QStringLiteral("connections"), m.connections },
        { QStringLiteral("providers"), writeArray(m.providers, writeProvider) } };
}

void readData(FieldReader &r, Conversations &m)
{
    r.objectArray(QStringLiteral("conversations"), true,
        [&](FieldReader &c) { m.conversations.append(readConversationSummary(c)); });
}
QJsonObject writeData(const Conversations &m)
{
    return { { QStringLiteral("conversations"), writeArray(m.conversations, writeConversationSummary) } };
}

void readData(FieldReader &r, Conversation &m)
{
    m.conversationId = r.id(QStringLiteral("conversation_id"));
    m.title = r.string(QStringLiteral("title"));
    r.objectArray(QStringLiteral("turns"), true, [&](FieldReader &t) { m.turns.append(readChatTurn(t)); });
}
QJsonObject writeData(const Conversation &m)
{
    return { { QStringLiteral("conversation_id"), m.conversationId }, { QStringLiteral("title"), m.title },
        { QStringLiteral("turns"), writeArray(m.turns, writeChatTurn) } };
}

void readData(FieldReader &r, ConversationDeleted &m)
{
    m.conversationId = r.id(QStringLiteral("conversation_id"));
}
QJsonObject writeData(const ConversationDeleted &m)
{
    return { { QStringLiteral("conversation_id"), m.conversationId } };
}

} // namespace emailrag::protocol::detail
