#include "errorcode.h"
#include "decodeerror.h"

#include <array>
#include <utility>

namespace emailrag::protocol {

namespace {
constexpr std::array<std::pair<ErrorCode, const char *>, 18> kErrorCodes { {
    { ErrorCode::Unknown, "UNKNOWN" },
    { ErrorCode::InvalidRequest, "INVALID_REQUEST" },
    { ErrorCode::Unauthorized, "UNAUTHORIZED" },
    { ErrorCode::Forbidden, "FORBIDDEN" },
    { ErrorCode::NotFound, "NOT_FOUND" },
    { ErrorCode::Conflict, "CONFLICT" },
    { ErrorCode::RateLimited, "RATE_LIMITED" },
    { ErrorCode::PayloadTooLarge, "PAYLOAD_TOO_LARGE" },
    { ErrorCode::UploadFailed, "UPLOAD_FAILED" },
    { ErrorCode::SearchFailed, "SEARCH_FAILED" },
    { ErrorCode::QuerySyntax, "QUERY_SYNTAX" },
    { ErrorCode::LlmUnavailable, "LLM_UNAVAILABLE" },
    { ErrorCode::LlmTimeout, "LLM_TIMEOUT" },
    { ErrorCode::LlmError, "LLM_ERROR" },
    { ErrorCode::ContextTooLong, "CONTEXT_TOO_LONG" },
    { ErrorCode::Cancelled, "CANCELLED" },
    { ErrorCode::ServerBusy, "SERVER_BUSY" },
    { ErrorCode::InternalError, "INTERNAL_ERROR" },
} };

constexpr std::array<std::pair<DecodeReason, const char *>, 11> kReasons { {
    { DecodeReason::InvalidJson, "invalid_json" },
    { DecodeReason::NotObject, "not_object" },
    { DecodeReason::TooLarge, "too_large" },
    { DecodeReason::TooDeep, "too_deep" },
    { DecodeReason::MissingType, "missing_type" },
    { DecodeReason::UnknownType, "unknown_type" },
    { DecodeReason::MissingField, "missing_field" },
    { DecodeReason::WrongType, "wrong_type" },
    { DecodeReason::OutOfRange, "out_of_range" },
    { DecodeReason::InvalidValue, "invalid_value" },
    { DecodeReason::BadFrame, "bad_frame" },
} };
} // namespace

QString errorCodeName(ErrorCode code)
{
    for (const auto &[value, name] : kErrorCodes) {
        if (value == code)
            return QString::fromLatin1(name);
    }
    return QStringLiteral("UNKNOWN");
}

ErrorCode errorCodeFromName(const QString &name)
{
    for (const auto &[value, text] : kErrorCodes) {
        if (name == QLatin1String(text))
            return value;
    }
    return ErrorCode::Unknown;
}

QString decodeReasonName(DecodeReason reason)
{
    for (const auto &[value, name] : kReasons) {
        if (value == reason)
            return QString::fromLatin1(name);
    }
    return QStringLiteral("invalid_json");
}

} // namespace emailrag::protocol
