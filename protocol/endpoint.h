#pragma once

#include "codec.h"
#include "decodeerror.h"
#include "envelope.h"
#include "protocollimits.h"
#include "uploadframe.h"

#include <QObject>
#include <QPointer>
#include <QWebSocket>

namespace emailrag::protocol {

// One end of a protocol connection, used by both the server session (Role::Server) and the
// client (Role::Client). Wraps a QWebSocket: incoming text messages are decoded (as client
// messages in the server role, as server messages in the client role) and emitted as typed
// signals; typed send() calls are encoded into text frames. Binary messages are upload frames.
//
// Thread: lives on the socket's thread; decodes there (decoding is cheap; push heavy work off
// the event loop in the handlers). Ownership: takes ownership of the socket (reparents it);
// the socket is deleted with the endpoint. From a slot connected to one of its signals (e.g.
// disconnected), free it with deleteLater(), never delete. The socket may be connected already (server side,
// from QWebSocketServer::nextPendingConnection) or opened later via socket()->open(...).
// Failures: undecodable messages give decodeFailed() and nothing else — the server session
// decides whether to answer with sendDecodeError() or close; messages above
// Limits::maxMessageBytes make Qt close the socket with 1009. send() returns false when the
// socket is not connected or the message belongs to the other direction.
class Endpoint : public QObject
{
    Q_OBJECT
public:
    enum class Role { Server, Client };
    Q_ENUM(Role)

    Endpoint(Role role, QWebSocket *socket, QObject *parent = nullptr, const Limits &limits = {});
    ~Endpoint() override;

    Role role() const { return m_role; }
    QWebSocket *socket() const { return m_socket; }
    const Limits &limits() const { return m_limits; }
    bool isConnected() const;

    // Server role. Stamps the current time.
    bool send(const ServerMessage &message, const QString &requestId = {});
    bool send(const ServerEnvelope &envelope); // sent as given (timestamp included if valid)
    bool sendError(
        ErrorCode code, const QString &message, const QString &requestId = {}, const QJsonObject &details = {});
    bool sendDecodeError(const DecodeError &error); // echoes error.requestId

    // Client role.
    bool send(const ClientMessage &message, const QString &requestId = {});
    bool sendUploadChunk(quint64 offset, QByteArrayView payload);

    // Sends a close frame (CloseCode in closecode.h).
    void close(quint16 closeCode, const QString &reason = {});

Q_SIGNALS:
    // Server role: a valid client message.
    void clientMessageReceived(const emailrag::protocol::ClientEnvelope &envelope);
    // Client role: a valid server message.
    void serverMessageReceived(const emailrag::protocol::ServerEnvelope &envelope);
    // Server role: a valid binary upload frame.
    void uploadChunkReceived(const emailrag::protocol::UploadChunk &chunk);
    // Either role: a text (or binary) message that failed to decode.
    void decodeFailed(const emailrag::protocol::DecodeError &error);
    // The socket connected (client role after open()).
    void connected();
    // The socket closed; closeCode/reason as the peer (or Qt) sent them.
    void disconnected(quint16 closeCode, const QString &reason);

private:
    void onTextMessageReceived(const QString &text);
    void onBinaryMessageReceived(const QByteArray &frame);
    void onDisconnected();
    bool sendText(const QString &text);

    Role m_role;
    QPointer<QWebSocket> m_socket;
    Limits m_limits;
};

} // namespace emailrag::protocol
