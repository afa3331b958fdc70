#pragma once

#include <QString>

namespace emailrag::protocol {

// The `error_code` values of the `error` message (docs/protocol.md, "Error codes").
// INVALID_REQUEST is the seed's; the others are ours. Every message the codec rejects is
// INVALID_REQUEST with a specific `details.reason` (see DecodeReason), so that clients written
// from the seed document keep working; the other codes come from handlers.
enum class ErrorCode {
    Unknown, // a code this build does not know (decoding only; encodes as "UNKNOWN")
    InvalidRequest, // malformed message: bad JSON, unknown type, missing/wrong field, too large
    Unauthorized, // token missing, invalid or expired
    Forbidden, // authenticated, but not allowed (e.g. another user's data, non-admin)
    NotFound, // email, upload, conversation or request id does not exist (for this user)
    Conflict, // state does not allow it (e.g. a second upload while one is active)
    RateLimited, // more than the allowed messages per minute; details.retry_after_ms
    PayloadTooLarge, // upload larger than the server accepts
    UploadFailed, // upload bytes or processing failed (bad offset, checksum mismatch, ...)
    SearchFailed, // search engine error
    QuerySyntax, // the search query could not be parsed
    LlmUnavailable, // no model provider reachable
    LlmTimeout, // the provider did not answer in time
    LlmError, // the provider answered with an error
    ContextTooLong, // prompt exceeds the model's context even after trimming
    Cancelled, // the request was cancelled by the client
    ServerBusy, // too many concurrent operations; details.retry_after_ms
    InternalError, // anything else; details are logged server-side, not sent
};

// "INVALID_REQUEST" etc. Stable: these strings are part of the wire protocol.
QString errorCodeName(ErrorCode code);
// Inverse of errorCodeName; unknown strings give ErrorCode::Unknown.
ErrorCode errorCodeFromName(const QString &name);

} // namespace emailrag::protocol
