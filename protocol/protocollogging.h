#pragma once

#include <QLoggingCategory>

namespace emailrag::protocol {
Q_DECLARE_LOGGING_CATEGORY(lcProtocol) // "emailrag.protocol"
}
