#pragma once

// The JSON examples of ../shared/seed/websocket-api.md, pasted verbatim, each with the typed
// value it must decode to. Shared by the codec and endpoint tests.

#include "envelope.h"

#include <QList>
#include <variant>

namespace emailrag::protocol::test {

struct SeedExample
{
    const char *name;
    const char *json;
    std::variant<ClientEnvelope, ServerEnvelope> expected;
};

QList<SeedExample> seedExamples();

} // namespace emailrag::protocol::test
