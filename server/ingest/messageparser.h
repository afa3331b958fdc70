#pragma once

#include "parsedemail.h"
#include "rawmessage.h"

#include <QLoggingCategory>

#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcIngest)

// Parses one raw message with GMime 3 into a ParsedEmail: decoded headers (RFC 2047/2231, raw
// 8-bit with a fallback charset), body text in UTF-8 (HTML-only bodies rendered with gumbo),
// quoted history split off, attachments listed with their text, raw bytes hashed and
// compressed (an LZ4 frame; see decompressOriginal()). Thread-safe: call from any number of threads at once (call initGMime() once
// first). Never throws; a message that cannot be read comes back with `error` set.
namespace emailrag::ingest {

struct ParseLimits
{
    qint64 maxHeaderBytes = 1024 * 1024;        // a larger header block is refused
    qint64 maxMessageBytes = 256LL * 1024 * 1024;
    int maxParts = 1000;                        // parts beyond are not indexed (warning)
    int maxDepth = 64;                          // deeper nesting is not indexed (warning)
    qint64 maxAttachmentText = 1024 * 1024;     // characters of text kept per attachment
};

void initGMime(); // idempotent, thread-safe

ParsedEmail parseMessage(const RawMessage &raw, bool fromMbox, const ParseLimits &limits = {});

// Reads raw.filePath into raw.data (a Maildir file or .eml), dropping a leading mbox envelope
// line as many Maildir files (SpamAssassin's) keep one; sets raw.error when unreadable or empty.
void loadMessageFile(RawMessage &raw);

// The original message, byte for byte, from emails.raw_zstd: an LZ4 frame (imports since session 4)
// or a zstd frame (earlier stores), told apart by their magic numbers. nullopt when it is neither
// or damaged. Thread-safe.
std::optional<QByteArray> decompressOriginal(const QByteArray &stored);

// SHA-256 of `data` (32 bytes), with OpenSSL's SHA-NI/AVX2 code. Thread-safe.
QByteArray sha256(const QByteArray &data);

// "Re: [R] Fwd: Hello  world" -> "hello world"; sets *isReply when a reply prefix was removed.
QString normaliseSubject(const QString &subject, bool *isReply = nullptr);

} // namespace emailrag::ingest
