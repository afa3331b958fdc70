#pragma once

#include <QtGlobal>

namespace emailrag::protocol {

// WebSocket close codes the server uses (docs/protocol.md, "Close codes"). 1000-1011 are
// RFC 6455; 4000-4999 are application codes of ours. The server sends `disconnecting` before
// closing where it can (shutdown, token expiry); the close code is the machine-readable reason.
namespace CloseCode {
inline constexpr quint16 Normal = 1000; // normal close (client logout, session end)
inline constexpr quint16 GoingAway = 1001; // server shutdown; reconnect after the delay
inline constexpr quint16 ProtocolError = 1002; // WebSocket protocol violation (Qt closes itself)
inline constexpr quint16 UnsupportedData = 1003; // e.g. binary frame with no active upload
inline constexpr quint16 PolicyViolation = 1008; // generic policy violation
inline constexpr quint16 MessageTooBig = 1009; // frame/message above the socket cap (Qt closes itself)
inline constexpr quint16 InternalError = 1011; // unexpected server failure
inline constexpr quint16 InvalidMessages = 4000; // too many undecodable messages in a row
inline constexpr quint16 Unauthorized = 4001; // no/invalid token at connect
inline constexpr quint16 TokenExpired = 4002; // token expired during the session, not refreshed
inline constexpr quint16 Forbidden = 4003; // user disabled or deleted
inline constexpr quint16 RateLimited = 4008; // rate limit exceeded repeatedly
inline constexpr quint16 TooLarge = 4009; // upload exceeds the server's limit
inline constexpr quint16 SessionReplaced = 4010; // too many sessions for this user; oldest closed
} // namespace CloseCode

} // namespace emailrag::protocol
