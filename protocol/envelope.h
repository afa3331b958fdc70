#pragma once

#include "clientmessages.h"
#include "servermessages.h"

#include <QDateTime>
#include <QString>

namespace emailrag::protocol {

// Client -> server: {"type", "data", "request_id"}. An empty requestId means "not sent".
struct ClientEnvelope
{
    ClientMessage message;
    QString requestId;
    bool operator==(const ClientEnvelope &) const = default;
};

// Server -> client: {"type", "data", "request_id", "timestamp"}. Pushes (upload_progress,
// new_emails, ...) carry no request_id. Endpoint::send() always stamps the current time;
// a default (invalid) timestamp is simply not encoded (some seed examples have none).
struct ServerEnvelope
{
    ServerMessage message;
    QString requestId;
    QDateTime timestamp;
    bool operator==(const ServerEnvelope &) const = default;
};

} // namespace emailrag::protocol
