#include "codec.h"

#include "codec_p.h"
#include "timestamp.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonParseError>

#include <functional>
#include <utility>

namespace emailrag::protocol {

using detail::DecodeState;
using detail::FieldReader;

namespace {

const QString TypeKey = QStringLiteral("type");
const QString DataKey = QStringLiteral("data");
const QString RequestIdKey = QStringLiteral("request_id");
const QString TimestampKey = QStringLiteral("timestamp");

// Returns true when value nests deeper than maxDepth (the value itself is at `depth`).
bool tooDeep(const QJsonValue &value, int depth, int maxDepth)
{
    if (!value.isObject() && !value.isArray())
        return false;
    if (depth > maxDepth)
        return true;
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (tooDeep(it.value(), depth + 1, maxDepth))
                return true;
        }
    } else {
        const QJsonArray array = value.toArray();
        for (const QJsonValue &item : array) {
            if (tooDeep(item, depth + 1, maxDepth))
                return true;
        }
    }
    return false;
}

DecodeError makeError(DecodeReason reason, const QString &field, const QString &message)
{
    DecodeError error;
    error.reason = reason;
    error.field = field;
    error.message = message;
    return error;
}

template<typename Variant> using ReaderTable = QHash<QString, std::function<Variant(FieldReader &)>>;

template<typename Variant, std::size_t... I> ReaderTable<Variant> makeTable(std::index_sequence<I...>)
{
    ReaderTable<Variant> table;
    (table.insert(QString::fromLatin1(std::variant_alternative_t<I, Variant>::Type),
         [](FieldReader &r) -> Variant {
             std::variant_alternative_t<I, Variant> message;
             detail::readData(r, message);
             return message;
         }),
        ...);
    return table;
}

template<typename Variant> const ReaderTable<Variant> &readers()
{
    static const ReaderTable<Variant> table
        = makeTable<Variant>(std::make_index_sequence<std::variant_size_v<Variant>>());
    return table;
}

template<typename Variant, std::size_t... I> QStringList typeNames(std::index_sequence<I...>)
{
    return { QString::fromLatin1(std::variant_alternative_t<I, Variant>::Type)... };
}

DecodeError tooLarge(qint64 size, const Limits &limits)
{
    return makeError(DecodeReason::TooLarge, {},
        QStringLiteral("message of at least %1 bytes exceeds the limit of %2 bytes")
            .arg(size)
            .arg(limits.maxMessageBytes));
}

// The parts both directions share: size, JSON, object, depth.
Result<QJsonObject> parseObject(const QByteArray &utf8, const Limits &limits)
{
    if (utf8.size() > limits.maxMessageBytes)
        return tooLarge(utf8.size(), limits);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error == QJsonParseError::DeepNesting)
        return makeError(DecodeReason::TooDeep, {}, QStringLiteral("message nests too deeply"));
    if (parseError.error != QJsonParseError::NoError) {
        // Qt only parses objects and arrays at the top level; a bare scalar ("ping", 5, null)
        // is still JSON, just not an object.
        QJsonParseError scalarError;
        const QJsonDocument wrapped = QJsonDocument::fromJson('[' + utf8 + ']', &scalarError);
        if (scalarError.error == QJsonParseError::NoError && wrapped.array().size() == 1)
            return makeError(DecodeReason::NotObject, {}, QStringLiteral("message must be a JSON object"));
        return makeError(DecodeReason::InvalidJson, {},
            QStringLiteral("not valid JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset));
    }
    if (!document.isObject())
        return makeError(DecodeReason::NotObject, {}, QStringLiteral("message must be a JSON object"));
    return document.object();
}

template<typename Variant> struct DecodedCommon
{
    Variant message;
    QString requestId;
};

template<typename Variant> Result<DecodedCommon<Variant>> decodeCommon(const QJsonObject &object, const Limits &limits)
{
    DecodeState state;
    // Read request_id first so that any later error can be echoed with it.
    FieldReader envelope(object, {}, state);
    const QString requestId = envelope.optionalId(RequestIdKey).value_or(QString());
    if (state.failed)
        return state.error;

    auto withContext = [&](DecodeError error, const QString &type) {
        error.requestId = requestId;
        error.type = type;
        return error;
    };

    if (tooDeep(QJsonValue(object), 1, limits.maxDepth)) {
        return withContext(makeError(DecodeReason::TooDeep, {},
                               QStringLiteral("message nests deeper than %1 levels").arg(limits.maxDepth)),
            {});
    }
    const QJsonValue typeValue = object.value(TypeKey);
    if (!typeValue.isString() || typeValue.toString().isEmpty()) {
        return withContext(
            makeError(DecodeReason::MissingType, TypeKey, QStringLiteral("\"type\" must be a non-empty string")), {});
    }
    const QString type = typeValue.toString();
    const auto &table = readers<Variant>();
    const auto reader = table.constFind(type);
    if (reader == table.constEnd()) {
        return withContext(
            makeError(DecodeReason::UnknownType, TypeKey, QStringLiteral("unknown message type \"%1\"").arg(type)),
            type);
    }

    const QJsonValue dataValue = object.value(DataKey);
    if (!dataValue.isUndefined() && !dataValue.isNull() && !dataValue.isObject())
        return withContext(
            makeError(DecodeReason::WrongType, DataKey, QStringLiteral("\"data\" must be an object")), type);

    FieldReader data(dataValue.toObject(), DataKey, state);
    Variant message = (*reader)(data);
    if (state.failed)
        return withContext(state.error, type);
    return DecodedCommon<Variant> { std::move(message), requestId };
}

template<typename Message> QJsonObject encodeCommon(const Message &message, const QString &requestId)
{
    QJsonObject object { { TypeKey, messageType(message) } };
    const QJsonObject data = std::visit([](const auto &m) { return detail::writeData(m); }, message);
    if (!data.isEmpty())
        object.insert(DataKey, data);
    if (!requestId.isEmpty())
        object.insert(RequestIdKey, requestId);
    return object;
}

QString toText(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

QString messageType(const ClientMessage &message)
{
    return std::visit([](const auto &m) { return QString::fromLatin1(std::decay_t<decltype(m)>::Type); }, message);
}

QString messageType(const ServerMessage &message)
{
    return std::visit([](const auto &m) { return QString::fromLatin1(std::decay_t<decltype(m)>::Type); }, message);
}

QStringList clientMessageTypes()
{
    return typeNames<ClientMessage>(std::make_index_sequence<std::variant_size_v<ClientMessage>>());
}

QStringList serverMessageTypes()
{
    return typeNames<ServerMessage>(std::make_index_sequence<std::variant_size_v<ServerMessage>>());
}

Result<ClientEnvelope> decodeClientObject(const QJsonObject &object, const Limits &limits)
{
    auto common = decodeCommon<ClientMessage>(object, limits);
    if (!common)
        return common.error();
    return ClientEnvelope { std::move(common.value().message), common.value().requestId };
}

Result<ClientEnvelope> decodeClientMessage(const QByteArray &utf8, const Limits &limits)
{
    auto object = parseObject(utf8, limits);
    if (!object)
        return object.error();
    return decodeClientObject(object.value(), limits);
}

Result<ClientEnvelope> decodeClientMessage(const QString &text, const Limits &limits)
{
    // A UTF-16 unit is at least one UTF-8 byte: skip converting what is too large anyway.
    if (text.size() > limits.maxMessageBytes)
        return tooLarge(text.size(), limits);
    return decodeClientMessage(text.toUtf8(), limits);
}

Result<ServerEnvelope> decodeServerObject(const QJsonObject &object, const Limits &limits)
{
    auto common = decodeCommon<ServerMessage>(object, limits);
    if (!common)
        return common.error();
    ServerEnvelope envelope { std::move(common.value().message), common.value().requestId, {} };

    const QJsonValue timestamp = object.value(TimestampKey);
    if (!timestamp.isUndefined() && !timestamp.isNull()) {
        const auto parsed = timestamp.isString() ? parseTimestamp(timestamp.toString()) : std::nullopt;
        if (!parsed) {
            DecodeError error = makeError(timestamp.isString() ? DecodeReason::InvalidValue : DecodeReason::WrongType,
                TimestampKey, QStringLiteral("\"timestamp\" must be an ISO-8601 UTC time like 2026-01-11T10:00:00Z"));
            error.requestId = envelope.requestId;
            error.type = messageType(envelope.message);
            return error;
        }
        envelope.timestamp = *parsed;
    }
    return envelope;
}

Result<ServerEnvelope> decodeServerMessage(const QByteArray &utf8, const Limits &limits)
{
    auto object = parseObject(utf8, limits);
    if (!object)
        return object.error();
    return decodeServerObject(object.value(), limits);
}

Result<ServerEnvelope> decodeServerMessage(const QString &text, const Limits &limits)
{
    if (text.size() > limits.maxMessageBytes)
        return tooLarge(text.size(), limits);
    return decodeServerMessage(text.toUtf8(), limits);
}

QJsonObject encodeObject(const ClientEnvelope &envelope)
{
    return encodeCommon(envelope.message, envelope.requestId);
}

QJsonObject encodeObject(const ServerEnvelope &envelope)
{
    QJsonObject object = encodeCommon(envelope.message, envelope.requestId);
    if (envelope.timestamp.isValid())
        object.insert(TimestampKey, formatTimestamp(envelope.timestamp));
    return object;
}

QString encodeText(const ClientEnvelope &envelope)
{
    return toText(encodeObject(envelope));
}

QString encodeText(const ServerEnvelope &envelope)
{
    return toText(encodeObject(envelope));
}

ErrorMessage toErrorMessage(const DecodeError &error)
{
    ErrorMessage message;
    message.code = error.code;
    message.message = error.message.isEmpty() ? QStringLiteral("Invalid message format") : error.message;
    message.details.insert(QStringLiteral("reason"), decodeReasonName(error.reason));
    if (!error.field.isEmpty())
        message.details.insert(QStringLiteral("field"), error.field);
    return message;
}

} // namespace emailrag::protocol
