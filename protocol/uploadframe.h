#pragma once

#include "decoderesult.h"

#include <QByteArray>
#include <QByteArrayView>

namespace emailrag::protocol {

// Binary upload frames (docs/protocol.md, "Binary upload frames"). A binary WebSocket message
// belongs to the connection's single active upload (the last upload_started on it); it is an
// 8-byte big-endian unsigned offset — where the payload starts in the file — followed by the
// payload (1..chunk_size bytes). The server appends only when offset equals the bytes received
// so far, which makes resumes and duplicates detectable.
inline constexpr int UploadFrameHeaderSize = 8;

struct UploadChunk
{
    quint64 offset = 0;
    QByteArray payload;
    bool operator==(const UploadChunk &) const = default;
};

QByteArray encodeUploadFrame(quint64 offset, QByteArrayView payload);
// Fails with reason BadFrame when the frame is shorter than the header + 1 byte.
Result<UploadChunk> decodeUploadFrame(const QByteArray &frame);

} // namespace emailrag::protocol
