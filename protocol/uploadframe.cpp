#include "uploadframe.h"

#include <QtEndian>

namespace emailrag::protocol {

QByteArray encodeUploadFrame(quint64 offset, QByteArrayView payload)
{
    QByteArray frame(UploadFrameHeaderSize + payload.size(), Qt::Uninitialized);
    qToBigEndian<quint64>(offset, frame.data());
    if (!payload.isEmpty())
        memcpy(frame.data() + UploadFrameHeaderSize, payload.data(), size_t(payload.size()));
    return frame;
}

Result<UploadChunk> decodeUploadFrame(const QByteArray &frame)
{
    if (frame.size() <= UploadFrameHeaderSize) {
        DecodeError error;
        error.reason = DecodeReason::BadFrame;
        error.message = QStringLiteral("binary upload frame needs an 8-byte offset and at least one payload byte");
        return error;
    }
    UploadChunk chunk;
    chunk.offset = qFromBigEndian<quint64>(frame.constData());
    chunk.payload = frame.mid(UploadFrameHeaderSize);
    return chunk;
}

} // namespace emailrag::protocol
