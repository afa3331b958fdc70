#pragma once

#include "decoderesult.h"
#include "envelope.h"
#include "protocollimits.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace emailrag::protocol {

// The codec: the only code that knows the JSON field names. Pure functions, any thread, never
// throw. Decoding is strict (docs/protocol.md, "Validation"): bad input gives a DecodeError
// whose code is INVALID_REQUEST and whose reason/field say what was wrong. Unknown fields
// inside "data" and the envelope are ignored (forward compatibility); unknown types are not.

// Server side: decode what a client sent.
Result<ClientEnvelope> decodeClientMessage(const QString &text, const Limits &limits = {});
Result<ClientEnvelope> decodeClientMessage(const QByteArray &utf8, const Limits &limits = {});
Result<ClientEnvelope> decodeClientObject(const QJsonObject &object, const Limits &limits = {});

// Client side: decode what the server sent.
Result<ServerEnvelope> decodeServerMessage(const QString &text, const Limits &limits = {});
Result<ServerEnvelope> decodeServerMessage(const QByteArray &utf8, const Limits &limits = {});
Result<ServerEnvelope> decodeServerObject(const QJsonObject &object, const Limits &limits = {});

// Encoding. Optional fields that are empty are left out; "data" is left out for messages
// without fields (ping, pong, list_uploads, ...); "request_id" when empty; "timestamp" when
// invalid.
QJsonObject encodeObject(const ClientEnvelope &envelope);
QJsonObject encodeObject(const ServerEnvelope &envelope);
QString encodeText(const ClientEnvelope &envelope); // compact JSON
QString encodeText(const ServerEnvelope &envelope);

// The `error` reply for a rejected message: INVALID_REQUEST, message text, and details
// {"reason": "...", "field": "..."} (field only when known).
ErrorMessage toErrorMessage(const DecodeError &error);

} // namespace emailrag::protocol
