#pragma once

// One fully populated value (every optional field set) per message type, plus minimal ones for
// types with optional fields. Shared by the codec and endpoint tests.

#include "envelope.h"

#include <QList>

namespace emailrag::protocol::test {

QList<ClientMessage> sampleClientMessages();
QList<ServerMessage> sampleServerMessages();

} // namespace emailrag::protocol::test
