#include "jsonreader_p.h"

#include "protocollimits.h"
#include "timestamp.h"

#include <cmath>

namespace emailrag::protocol::detail {

namespace {
// Integers travel as JSON numbers (doubles); beyond 2^53 they are no longer exact.
constexpr qint64 MaxSafeInteger = (qint64(1) << 53);
} // namespace

void DecodeState::fail(DecodeReason reason, const QString &field, const QString &message)
{
    if (failed)
        return;
    failed = true;
    error.reason = reason;
    error.field = field;
    error.message = message;
}

FieldReader::FieldReader(const QJsonObject &object, QString path, DecodeState &state)
    : m_object(object)
    , m_path(std::move(path))
    , m_state(state)
{
}

QString FieldReader::path(const QString &key) const
{
    return m_path.isEmpty() ? key : m_path + QLatin1Char('.') + key;
}

bool FieldReader::has(const QString &key) const
{
    const auto it = m_object.constFind(key);
    return it != m_object.constEnd() && !it->isNull() && !it->isUndefined();
}

void FieldReader::fail(DecodeReason reason, const QString &key, const QString &message)
{
    m_state.fail(reason, path(key), message);
}

std::optional<QJsonValue> FieldReader::value(const QString &key, bool required)
{
    if (m_state.failed)
        return std::nullopt;
    if (!has(key)) {
        if (required)
            fail(DecodeReason::MissingField, key, QStringLiteral("missing field %1").arg(path(key)));
        return std::nullopt;
    }
    return m_object.value(key);
}

QString FieldReader::string(const QString &key, int minLength, int maxLength)
{
    const auto v = value(key, true);
    if (!v)
        return {};
    return optionalString(key, minLength, maxLength).value_or(QString());
}

std::optional<QString> FieldReader::optionalString(const QString &key, int minLength, int maxLength)
{
    const auto v = value(key, false);
    if (!v)
        return std::nullopt;
    if (!v->isString()) {
        fail(DecodeReason::WrongType, key, QStringLiteral("%1 must be a string").arg(path(key)));
        return std::nullopt;
    }
    QString s = v->toString();
    if (s.size() < minLength || (maxLength >= 0 && s.size() > maxLength)) {
        fail(DecodeReason::OutOfRange, key,
            maxLength >= 0
                ? QStringLiteral("%1 must have %2 to %3 characters").arg(path(key)).arg(minLength).arg(maxLength)
                : QStringLiteral("%1 must have at least %2 characters").arg(path(key)).arg(minLength));
        return std::nullopt;
    }
    return s;
}

QString FieldReader::id(const QString &key)
{
    return string(key, 1, Limits::MaxIdLength);
}

std::optional<QString> FieldReader::optionalId(const QString &key)
{
    return optionalString(key, 1, Limits::MaxIdLength);
}

qint64 FieldReader::integer(const QString &key, qint64 min, qint64 max)
{
    if (!value(key, true))
        return 0;
    return optionalInteger(key, min, max).value_or(0);
}

std::optional<qint64> FieldReader::optionalInteger(const QString &key, qint64 min, qint64 max)
{
    const auto v = value(key, false);
    if (!v)
        return std::nullopt;
    if (!v->isDouble()) {
        fail(DecodeReason::WrongType, key, QStringLiteral("%1 must be an integer").arg(path(key)));
        return std::nullopt;
    }
    const double d = v->toDouble();
    if (!std::isfinite(d) || std::trunc(d) != d) {
        fail(DecodeReason::WrongType, key, QStringLiteral("%1 must be an integer").arg(path(key)));
        return std::nullopt;
    }
    if (d < double(std::max(min, -MaxSafeInteger)) || d > double(std::min(max, MaxSafeInteger))) {
        fail(DecodeReason::OutOfRange, key,
            QStringLiteral("%1 must be between %2 and %3").arg(path(key)).arg(min).arg(std::min(max, MaxSafeInteger)));
        return std::nullopt;
    }
    return qint64(d);
}

double FieldReader::number(const QString &key, double min, double max)
{
    const auto v = value(key, true);
    if (!v)
        return 0;
    if (!v->isDouble()) {
        fail(DecodeReason::WrongType, key, QStringLiteral("%1 must be a number").arg(path(key)));
        return 0;
    }
    const double d = v->toDouble();
    if (!std::isfinite(d) || d < min || d > max) {
        fail(DecodeReason::OutOfRange, key,
            QStringLiteral("%1 must be between %2 and %3").arg(path(key)).arg(min).arg(max));
        return 0;
    }
    return d;
}

bool FieldReader::boolean(const QString &key)
{
    if (!value(key, true))
        return false;
    return optionalBoolean(key).value_or(false);
}

std::optional<bool> FieldReader::optionalBoolean(const QString &key)
{
    const auto v = value(key, false);
    if (!v)
        return std::nullopt;
    if (!v->isBool()) {
        fail(DecodeReason::WrongType, key, QStringLiteral("%1 must be true or false").arg(path(key)));
        return std::nullopt;
    }
    return v->toBool();
}

QDateTime FieldReader::timestamp(const QString &key)
{
    if (!value(key, true))
        return {};
    return optionalTimestamp(key).value_or(QDateTime());
}

std::optional<QDateTime> FieldReader::optionalTimestamp(const QString &key)
{
    const auto s = optionalString(key);
    if (!s)
        return std::nullopt;
    auto parsed = parseTimestamp(*s);
    if (!parsed) {
        fail(DecodeReason::InvalidValue, key,
            QStringLiteral("%1 must be an ISO-8601 UTC time like 2026-01-11T10:00:00Z").arg(path(key)));
        return std::nullopt;
    }
    return parsed;
}

QJsonObject FieldReader::rawObject(const QString &key)
{
    const auto v = value(key, false);
    if (!v)
        return {};
    if (!v->isObject()) {
        fail(DecodeReason::WrongType, key, QStringLiteral("%1 must be an object").arg(path(key)));
        return {};
    }
    return v->toObject();
}

QStringList FieldReader::stringList(const QString &key, int minItems, int maxItems, int minLength, int maxLength)
{
    const auto v = value(key, true);
    if (!v)
        return {};
    if (!v->isArray()) {
        fail(DecodeReason::WrongType, key, QStringLiteral("%1 must be an array of strings").arg(path(key)));
        return {};
    }
    const QJsonArray array = v->toArray();
    if (array.size() < minItems || array.size() > maxItems) {
        fail(DecodeReason::OutOfRange, key,
            QStringLiteral("%1 must have %2 to %3 entries").arg(path(key)).arg(minItems).arg(maxItems));
        return {};
    }
    QStringList result;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString itemKey = QStringLiteral("%1[%2]").arg(key).arg(i);
        if (!array.at(i).isString()) {
            fail(DecodeReason::WrongType, itemKey, QStringLiteral("%1 must be a string").arg(path(itemKey)));
            return {};
        }
        const QString s = array.at(i).toString();
        if (s.size() < minLength || s.size() > maxLength) {
            fail(DecodeReason::OutOfRange, itemKey,
                QStringLiteral("%1 must have %2 to %3 characters").arg(path(itemKey)).arg(minLength).arg(maxLength));
            return {};
        }
        result.append(s);
    }
    return result;
}

bool FieldReader::object(const QString &key, bool required, const std::function<void(FieldReader &)> &read)
{
    const auto v = value(key, required);
    if (!v)
        return false;
    if (!v->isObject()) {
        fail(DecodeReason::WrongType, key, QStringLiteral("%1 must be an object").arg(path(key)));
        return false;
    }
    FieldReader child(v->toObject(), path(key), m_state);
    read(child);
    return !m_state.failed;
}

bool FieldReader::objectArray(const QString &key, bool required, const std::function<void(FieldReader &)> &read)
{
    const auto v = value(key, required);
    if (!v)
        return false;
    if (!v->isArray()) {
        fail(DecodeReason::WrongType, key, QStringLiteral("%1 must be an array of objects").arg(path(key)));
        return false;
    }
    const QJsonArray array = v->toArray();
    for (qsizetype i = 0; i < array.size() && !m_state.failed; ++i) {
        const QString itemKey = QStringLiteral("%1[%2]").arg(key).arg(i);
        if (!array.at(i).isObject()) {
            fail(DecodeReason::WrongType, itemKey, QStringLiteral("%1 must be an object").arg(path(itemKey)));
            return false;
        }
        FieldReader child(array.at(i).toObject(), path(itemKey), m_state);
        read(child);
    }
    return !m_state.failed;
}

} // namespace emailrag::protocol::detail
