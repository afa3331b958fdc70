#include "endpoint.h"

#include "protocollogging.h"
#include "timestamp.h"

namespace emailrag::protocol {

Endpoint::Endpoint(Role role, QWebSocket *socket, QObject *parent, const Limits &limits)
    : QObject(parent)
    , m_role(role)
    , m_socket(socket)
    , m_limits(limits)
{
    Q_ASSERT(socket);
    socket->setParent(this);
    // Qt closes the connection with 1009 above these, before anything is buffered in full.
    socket->setMaxAllowedIncomingMessageSize(quint64(limits.maxMessageBytes));
    socket->setMaxAllowedIncomingFrameSize(quint64(limits.maxMessageBytes));

    connect(socket, &QWebSocket::textMessageReceived, this, &Endpoint::onTextMessageReceived);
    connect(socket, &QWebSocket::binaryMessageReceived, this, &Endpoint::onBinaryMessageReceived);
    connect(socket, &QWebSocket::connected, this, &Endpoint::connected);
    connect(socket, &QWebSocket::disconnected, this, &Endpoint::onDisconnected);
}

Endpoint::~Endpoint() = default; // the socket is our child

bool Endpoint::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

bool Endpoint::sendText(const QString &text)
{
    if (!isConnected()) {
        qCDebug(lcProtocol) << "not sending, socket not connected";
        return false;
    }
    m_socket->sendTextMessage(text);
    return true;
}

bool Endpoint::send(const ServerMessage &message, const QString &requestId)
{
    return send(ServerEnvelope { message, requestId, currentTimestamp() });
}

bool Endpoint::send(const ServerEnvelope &envelope)
{
    if (m_role != Role::Server) {
        qCWarning(lcProtocol) << "client endpoint asked to send server message" << messageType(envelope.message);
        return false;
    }
    return sendText(encodeText(envelope));
}

bool Endpoint::sendError(ErrorCode code, const QString &message, const QString &requestId, const QJsonObject &details)
{
    ErrorMessage error;
    error.code = code;
    error.message = message;
    error.details = details;
    return send(error, requestId);
}

bool Endpoint::sendDecodeError(const DecodeError &error)
{
    return send(toErrorMessage(error), error.requestId);
}

bool Endpoint::send(const ClientMessage &message, const QString &requestId)
{
    if (m_role != Role::Client) {
        qCWarning(lcProtocol) << "server endpoint asked to send client message" << messageType(message);
        return false;
    }
    return sendText(encodeText(ClientEnvelope { message, requestId }));
}

bool Endpoint::sendUploadChunk(quint64 offset, QByteArrayView payload)
{
    if (m_role != Role::Client) {
        qCWarning(lcProtocol) << "server endpoint asked to send an upload chunk";
        return false;
    }
    if (payload.isEmpty() || !isConnected())
        return false;
    m_socket->sendBinaryMessage(encodeUploadFrame(offset, payload));
    return true;
}

void Endpoint::close(quint16 closeCode, const QString &reason)
{
    if (m_socket)
        m_socket->close(QWebSocketProtocol::CloseCode(closeCode), reason);
}

void Endpoint::onTextMessageReceived(const QString &text)
{
    if (m_role == Role::Server) {
        auto result = decodeClientMessage(text, m_limits);
        if (result) {
            Q_EMIT clientMessageReceived(result.value());
        } else {
            qCDebug(lcProtocol) << "undecodable client message:" << result.error().message;
            Q_EMIT decodeFailed(result.error());
        }
    } else {
        auto result = decodeServerMessage(text, m_limits);
        if (result) {
            Q_EMIT serverMessageReceived(result.value());
        } else {
            qCWarning(lcProtocol) << "undecodable server message:" << result.error().message;
            Q_EMIT decodeFailed(result.error());
        }
    }
}

void Endpoint::onBinaryMessageReceived(const QByteArray &frame)
{
    if (m_role != Role::Server) {
        DecodeError error;
        error.reason = DecodeReason::BadFrame;
        error.message = QStringLiteral("the server sends no binary frames");
        Q_EMIT decodeFailed(error);
        return;
    }
    auto chunk = decodeUploadFrame(frame);
    if (chunk)
        Q_EMIT uploadChunkReceived(chunk.value());
    else
        Q_EMIT decodeFailed(chunk.error());
}

void Endpoint::onDisconnected()
{
    Q_EMIT disconnected(
        m_socket ? quint16(m_socket->closeCode()) : quint16(0), m_socket ? m_socket->closeReason() : QString());
}

} // namespace emailrag::protocol
