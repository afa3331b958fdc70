#pragma once

#include <QtGlobal>

namespace emailrag::protocol {

// Size limits of the codec and the endpoint (docs/protocol.md, "Limits").
struct Limits
{
    // Largest text message (UTF-8 bytes) and binary message; also the QWebSocket incoming
    // message and frame caps, above which Qt closes the connection with 1009.
    qint64 maxMessageBytes = 1024 * 1024;
    // Deepest nesting of objects/arrays; the envelope object is depth 1.
    int maxDepth = 16;

    // Fixed protocol ranges (not configurable: both sides must agree).
    static constexpr int MaxIdLength = 128; // request_id and every *_id
    static constexpr int MaxQueryLength = 4096; // stream_search.query
    static constexpr int MaxChatMessageLength = 32 * 1024; // chat_message.message
    static constexpr int MinSearchLimit = 1;
    static constexpr int MaxSearchLimit = 500;
    static constexpr int DefaultSearchLimit = 50;
    static constexpr int MaxFilenameLength = 255;
    static constexpr int MaxChannels = 16;
};

} // namespace emailrag::protocol
