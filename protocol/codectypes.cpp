#include "codec_p.h"

#include "protocollimits.h"
#include "timestamp.h"

namespace emailrag::protocol::detail {

namespace {
constexpr qint64 MaxCount = qint64(1) << 53;
}

QString writeTime(const QDateTime &time)
{
    return formatTimestamp(time);
}

Address readAddress(FieldReader &r)
{
    Address a;
    a.name = r.optionalString(QStringLiteral("name")).value_or(QString());
    a.address = r.string(QStringLiteral("address"));
    return a;
}

QJsonObject writeAddress(const Address &a)
{
    return { { QStringLiteral("name"), a.name }, { QStringLiteral("address"), a.address } };
}

QList<Address> readAddressList(FieldReader &r, const QString &key)
{
    QList<Address> list;
    r.objectArray(key, false, [&](FieldReader &item) { list.append(readAddress(item)); });
    return list;
}

QJsonArray writeAddressList(const QList<Address> &list)
{
    return writeArray(list, writeAddress);
}

ChatSource readChatSource(FieldReader &r)
{
    ChatSource s;
    s.emailId = r.id(QStringLiteral("email_id"));
    s.relevance = r.number(QStringLiteral("relevance"), 0.0, 1.0);
    s.subject = r.optionalString(QStringLiteral("subject"));
    if (r.has(QStringLiteral("from")))
        r.object(QStringLiteral("from"), true, [&](FieldReader &f) { s.from = readAddress(f); });
    s.date = r.optionalTimestamp(QStringLiteral("date"));
    s.passage = r.optionalString(QStringLiteral("passage"));
    return s;
}

QJsonObject writeChatSource(const ChatSource &s)
{
    QJsonObject o { { QStringLiteral("email_id"), s.emailId }, { QStringLiteral("relevance"), s.relevance } };
    if (s.subject)
        o.insert(QStringLiteral("subject"), *s.subject);
    if (s.from)
        o.insert(QStringLiteral("from"), writeAddress(*s.from));
    if (s.date)
        o.insert(QStringLiteral("date"), writeTime(*s.date));
    if (s.passage)
        o.insert(QStringLiteral("passage"), *s.passage);
    return o;
}

QList<ChatSource> readChatSources(FieldReader &r, const QString &key)
{
    QList<ChatSource> list;
    r.objectArray(key, true, [&](FieldReader &item) { list.append(readChatSource(item)); });
    return list;
}

QJsonArray writeChatSources(const QList<ChatSource> &list)
{
    return writeArray(list, writeChatSource);
}

AttachmentInfo readAttachment(FieldReader &r)
{
    AttachmentInfo a;
    a.name = r.string(QStringLiteral("name"));
    a.mimeType = r.string(QStringLiteral("mime_type"));
    a.size = r.integer(QStringLiteral("size"), 0, MaxCount);
    return a;
}

QJsonObject writeAttachment(const AttachmentInfo &a)
{
    return { { QStringLiteral("name"), a.name }, { QStringLiteral("mime_type"), a.mimeType },
        { QStringLiteral("size"), a.size } };
}

ThreadEntry readThreadEntry(FieldReader &r)
{
    ThreadEntry t;
    t.emailId = r.id(QStringLiteral("email_id"));
    t.subject = r.string(QStringLiteral("subject"));
    r.object(QStringLiteral("from"), true, [&](FieldReader &f) { t.from = readAddress(f); });
    t.date = r.optionalTimestamp(QStringLiteral("date"));
    return t;
}

QJsonObject writeThreadEntry(const ThreadEntry &t)
{
    QJsonObject o { { QStringLiteral("email_id"), t.emailId }, { QStringLiteral("subject"), t.subject },
        { QStringLiteral("from"), writeAddress(t.from) } };
    if (t.date)
        o.insert(QStringLiteral("date"), writeTime(*t.date));
    return o;
}

UploadStatus readUploadStatus(FieldReader &r, const QString &key)
{
    const QString name = r.string(key);
    if (r.failed())
        return UploadStatus::Queued;
    const auto status = uploadStatusFromName(name);
    if (!status) {
        r.state().fail(DecodeReason::InvalidValue, r.path(key),
            QStringLiteral("%1 must be one of queued, receiving, processing, completed, failed, cancelled")
                .arg(r.path(key)));
        return UploadStatus::Queued;
    }
    return *status;
}

int readProgress(FieldReader &r)
{
    return int(r.integer(QStringLiteral("progress"), 0, 100));
}

void readCancelTarget(FieldReader &r, const char *type, std::optional<QString> &requestId,
                      std::optional<QString> &uploadId)
{
    requestId = r.optionalId(QStringLiteral("request_id"));
    uploadId = r.optionalId(QStringLiteral("upload_id"));
    if (!r.failed() && requestId.has_value() == uploadId.has_value()) {
        r.state().fail(requestId ? DecodeReason::InvalidValue : DecodeReason::MissingField,
            r.path(QStringLiteral("request_id")),
            QStringLiteral("%1 needs exactly one of data.request_id and data.upload_id").arg(QLatin1String(type)));
    }
}

QJsonObject writeCancelTarget(const std::optional<QString> &requestId, const std::optional<QString> &uploadId)
{
    QJsonObject o;
    if (requestId)
        o.insert(QStringLiteral("request_id"), *requestId);
    if (uploadId)
        o.insert(QStringLiteral("upload_id"), *uploadId);
    return o;
}

UploadInfo readUploadInfo(FieldReader &r)
{
    UploadInfo u;
    u.uploadId = r.id(QStringLiteral("upload_id"));
    u.filename = r.string(QStringLiteral("filename"));
    u.status = readUploadStatus(r, QStringLiteral("status"));
    u.progress = readProgress(r);
    u.emailsProcessed = r.integer(QStringLiteral("emails_processed"), 0, MaxCount);
    u.totalEmails = r.integer(QStringLiteral("total_emails"), 0, MaxCount);
    u.currentOperation = r.string(QStringLiteral("current_operation"));
    u.error = r.optionalString(QStringLiteral("error"));
    u.createdAt = r.timestamp(QStringLiteral("created_at"));
    return u;
}

QJsonObject writeUploadInfo(const UploadInfo &u)
{
    QJsonObject o { { QStringLiteral("upload_id"), u.uploadId }, { QStringLiteral("filename"), u.filename },
        { QStringLiteral("status"), uploadStatusName(u.status) }, { QStringLiteral("progress"), u.progress },
        { QStringLiteral("emails_processed"), u.emailsProcessed }, { QStringLiteral("total_emails"), u.totalEmails },
        { QStringLiteral("current_operation"), u.currentOperation },
        { QStringLiteral("created_at"), writeTime(u.createdAt) } };
    if (u.error)
        o.insert(QStringLiteral("error"), *u.error);
    return o;
}

ProviderStatus readProvider(FieldReader &r)
{
    ProviderStatus p;
    p.name = r.string(QStringLiteral("name"));
    p.kind = r.string(QStringLiteral("kind"));
    p.healthy = r.boolean(QStringLiteral("healthy"));
    return p;
}

QJsonObject writeProvider(const ProviderStatus &p)
{
    return { { QStringLiteral("name"), p.name }, { QStringLiteral("kind"), p.kind },
        { QStringLiteral("healthy"), p.healthy } };
}

ConversationSummary readConversationSummary(FieldReader &r)
{
    ConversationSummary c;
    c.conversationId = r.id(QStringLiteral("conversation_id"));
    c.title = r.string(QStringLiteral("title"));
    c.createdAt = r.timestamp(QStringLiteral("created_at"));
    c.updatedAt = r.timestamp(QStringLiteral("updated_at"));
    return c;
}

QJsonObject writeConversationSummary(const ConversationSummary &c)
{
    return { { QStringLiteral("conversation_id"), c.conversationId }, { QStringLiteral("title"), c.title },
        { QStringLiteral("created_at"), writeTime(c.createdAt) },
        { QStringLiteral("updated_at"), writeTime(c.updatedAt) } };
}

ChatTurn readChatTurn(FieldReader &r)
{
    ChatTurn t;
    const QString role = r.string(QStringLiteral("role"));
    if (!r.failed()) {
        if (const auto parsed = chatRoleFromName(role))
            t.role = *parsed;
        else
            r.state().fail(DecodeReason::InvalidValue, r.path(QStringLiteral("role")),
                QStringLiteral("%1 must be user or assistant").arg(r.path(QStringLiteral("role"))));
    }
    t.text = r.string(QStringLiteral("text"));
    t.sources = readChatSources(r, QStringLiteral("sources"));
    t.createdAt = r.timestamp(QStringLiteral("created_at"));
    return t;
}

QJsonObject writeChatTurn(const ChatTurn &t)
{
    return { { QStringLiteral("role"), chatRoleName(t.role) }, { QStringLiteral("text"), t.text },
        { QStringLiteral("sources"), writeChatSources(t.sources) },
        { QStringLiteral("created_at"), writeTime(t.createdAt) } };
}

QStringList readChannels(FieldReader &r, int minItems)
{
    const QString key = QStringLiteral("channels");
    const QStringList channels = r.stringList(key, minItems, Limits::MaxChannels, 1, 64);
    if (r.failed())
        return {};
    const QStringList known = Channel::all();
    for (qsizetype i = 0; i < channels.size(); ++i) {
        if (!known.contains(channels.at(i))) {
            const QString field = r.path(QStringLiteral("%1[%2]").arg(key).arg(i));
            r.state().fail(DecodeReason::InvalidValue, field,
                QStringLiteral("%1: unknown channel \"%2\" (known: %3)")
                    .arg(field, channels.at(i), known.join(QStringLiteral(", "))));
            return {};
        }
    }
    return channels;
}

} // namespace emailrag::protocol::detail
