#include "codec_p.h"

#include "protocollimits.h"

#include <QRegularExpression>

namespace emailrag::protocol::detail {

namespace {
constexpr qint64 MaxFileSize = qint64(1) << 53;

bool isSha256Hex(const QString &s)
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9a-f]{64}$"));
    return pattern.match(s).hasMatch();
}
} // namespace

void readData(FieldReader &r, Subscribe &m)
{
    m.channels = readChannels(r, 1);
}
QJsonObject writeData(const Subscribe &m)
{
    return { { QStringLiteral("channels"), QJsonArray::fromStringList(m.channels) } };
}

void readData(FieldReader &r, Unsubscribe &m)
{
    m.channels = readChannels(r, 1);
}
QJsonObject writeData(const Unsubscribe &m)
{
    return { { QStringLiteral("channels"), QJsonArray::fromStringList(m.channels) } };
}

void readData(FieldReader &r, StreamSearch &m)
{
    m.query = r.string(QStringLiteral("query"), 1, Limits::MaxQueryLength);
    if (const auto limit = r.optionalInteger(QStringLiteral("limit"), Limits::MinSearchLimit, Limits::MaxSearchLimit))
        m.limit = int(*limit);
}
QJsonObject writeData(const StreamSearch &m)
{
    QJsonObject o { { QStringLiteral("query"), m.query } };
    if (m.limit)
        o.insert(QStringLiteral("limit"), *m.limit);
    return o;
}

void readData(FieldReader &r, ChatMessage &m)
{
    m.message = r.string(QStringLiteral("message"), 1, Limits::MaxChatMessageLength);
    m.conversationId = r.optionalId(QStringLiteral("conversation_id"));
}
QJsonObject writeData(const ChatMessage &m)
{
    QJsonObject o { { QStringLiteral("message"), m.message } };
    if (m.conversationId)
        o.insert(QStringLiteral("conversation_id"), *m.conversationId);
    return o;
}

void readData(FieldReader &, Ping &) { }
QJsonObject writeData(const Ping &)
{
    return {};
}

void readData(FieldReader &r, UploadStart &m)
{
    m.filename = r.string(QStringLiteral("filename"), 1, Limits::MaxFilenameLength);
    m.size = r.integer(QStringLiteral("size"), 0, MaxFileSize);
    m.format = r.optionalString(QStringLiteral("format"));
    if (m.format && !r.failed()) {
        static const QStringList formats { QStringLiteral("mbox"), QStringLiteral("maildir"), QStringLiteral("eml"),
            QStringLiteral("zip") };
        if (!formats.contains(*m.format)) {
            r.state().fail(DecodeReason::InvalidValue, r.path(QStringLiteral("format")),
                QStringLiteral("data.format must be one of mbox, maildir, eml, zip"));
        }
    }
    m.uploadId = r.optionalId(QStringLiteral("upload_id"));
}
QJsonObject writeData(const UploadStart &m)
{
    QJsonObject o { { QStringLiteral("filename"), m.filename }, { QStringLiteral("size"), m.size } };
    if (m.format)
        o.insert(QStringLiteral("format"), *m.format);
    if (m.uploadId)
        o.insert(QStringLiteral("upload_id"), *m.uploadId);
    return o;
}

void readData(FieldReader &r, UploadFinish &m)
{
    m.uploadId = r.id(QStringLiteral("upload_id"));
    m.sha256 = r.string(QStringLiteral("sha256"));
    if (!r.failed() && !isSha256Hex(m.sha256)) {
        r.state().fail(DecodeReason::InvalidValue, r.path(QStringLiteral("sha256")),
            QStringLiteral("data.sha256 must be 64 lowercase hex digits"));
    }
}
QJsonObject writeData(const UploadFinish &m)
{
    return { { QStringLiteral("upload_id"), m.uploadId }, { QStringLiteral("sha256"), m.sha256 } };
}

void readData(FieldReader &r, GetEmail &m)
{
    m.emailId = r.id(QStringLiteral("email_id"));
}
QJsonObject writeData(const GetEmail &m)
{
    return { { QStringLiteral("email_id"), m.emailId } };
}

void readData(FieldReader &, ListUploads &) { }
QJsonObject writeData(const ListUploads &)
{
    return {};
}

void readData(FieldReader &r, Cancel &m) { readCancelTarget(r, Cancel::Type, m.requestId, m.uploadId); }
QJsonObject writeData(const Cancel &m) { return writeCancelTarget(m.requestId, m.uploadId); }

void readData(FieldReader &r, RefreshToken &m)
{
    m.refreshToken = r.optionalString(QStringLiteral("refresh_token"), 1, 4096);
}
QJsonObject writeData(const RefreshToken &m)
{
    QJsonObject o;
    if (m.refreshToken)
        o.insert(QStringLiteral("refresh_token"), *m.refreshToken);
    return o;
}

void readData(FieldReader &, GetSystemStatus &) { }
QJsonObject writeData(const GetSystemStatus &)
{
    return {};
}

void readData(FieldReader &, ListConversations &) { }
QJsonObject writeData(const ListConversations &)
{
    return {};
}

void readData(FieldReader &r, GetConversation &m)
{
    m.conversationId = r.id(QStringLiteral("conversation_id"));
}
QJsonObject writeData(const GetConversation &m)
{
    return { { QStringLiteral("conversation_id"), m.conversationId } };
}

void readData(FieldReader &r, DeleteConversation &m)
{
    m.conversationId = r.id(QStringLiteral("conversation_id"));
}
QJsonObject writeData(const DeleteConversation &m)
{
    return { { QStringLiteral("conversation_id"), m.conversationId } };
}

} // namespace emailrag::protocol::detail
