#pragma once

// Internal to the codec: strict field reading with the first error remembered.

#include "decodeerror.h"
#include "protocoltypes.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

#include <functional>
#include <optional>

namespace emailrag::protocol::detail {

struct DecodeState
{
    DecodeError error;
    bool failed = false;

    void fail(DecodeReason reason, const QString &field, const QString &message);
};

// Reads the fields of one JSON object. After the first failure every read returns a default
// value and the state keeps the first error. JSON null counts as absent.
class FieldReader
{
public:
    FieldReader(const QJsonObject &object, QString path, DecodeState &state);

    bool failed() const { return m_state.failed; }
    DecodeState &state() { return m_state; }
    QString path(const QString &key) const;

    bool has(const QString &key) const;

    QString string(const QString &key, int minLength = 0, int maxLength = -1);
    std::optional<QString> optionalString(const QString &key, int minLength = 0, int maxLength = -1);
    QString id(const QString &key); // 1..MaxIdLength characters
    std::optional<QString> optionalId(const QString &key);

    qint64 integer(const QString &key, qint64 min, qint64 max);
    std::optional<qint64> optionalInteger(const QString &key, qint64 min, qint64 max);
    double number(const QString &key, double min, double max);

    bool boolean(const QString &key);
    std::optional<bool> optionalBoolean(const QString &key);

    QDateTime timestamp(const QString &key);
    std::optional<QDateTime> optionalTimestamp(const QString &key);

    // A free-form object (e.g. error details), as is; {} when absent.
    QJsonObject rawObject(const QString &key);

    QStringList stringList(const QString &key, int minItems, int maxItems, int minLength, int maxLength);

    // A nested object; calls read with a reader for it. Returns false when absent (required:
    // that is a failure) or failed.
    bool object(const QString &key, bool required, const std::function<void(FieldReader &)> &read);
    // An array of objects; calls read per element.
    bool objectArray(const QString &key, bool required, const std::function<void(FieldReader &)> &read);

private:
    // The value at key, or nullopt when absent/null; fails with MissingField when required.
    std::optional<QJsonValue> value(const QString &key, bool required);
    void fail(DecodeReason reason, const QString &key, const QString &message);

    QJsonObject m_object;
    QString m_path;
    DecodeState &m_state;
};

} // namespace emailrag::protocol::detail
