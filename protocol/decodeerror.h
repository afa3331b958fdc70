#pragma once

#include "errorcode.h"

#include <QString>

namespace emailrag::protocol {

// Why the codec rejected a message; sent as `details.reason` of an INVALID_REQUEST error.
enum class DecodeReason {
    InvalidJson, // "invalid_json": text is not JSON
    NotObject, // "not_object": JSON, but not an object
    TooLarge, // "too_large": message above Limits::maxMessageBytes
    TooDeep, // "too_deep": nesting above Limits::maxDepth
    MissingType, // "missing_type": no "type", or not a string
    UnknownType, // "unknown_type": type not known for this direction
    MissingField, // "missing_field": a required field is absent (field says which)
    WrongType, // "wrong_type": a field has the wrong JSON type
    OutOfRange, // "out_of_range": number or length outside its range
    InvalidValue, // "invalid_value": string not one of the allowed values / bad format
    BadFrame, // "bad_frame": binary upload frame shorter than its header
};

QString decodeReasonName(DecodeReason reason);

// What went wrong while decoding one message. Value type.
struct DecodeError
{
    ErrorCode code = ErrorCode::InvalidRequest;
    DecodeReason reason = DecodeReason::InvalidJson;
    QString field; // JSON path of the offending field, e.g. "data.limit"; empty if none
    QString message; // English description for logs and the error message text
    QString type; // the message's "type" if it could be read
    QString requestId; // the message's "request_id" if it could be read (to echo in the reply)
};

} // namespace emailrag::protocol
