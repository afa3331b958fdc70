#include "protocollogging.h"

namespace emailrag::protocol {
Q_LOGGING_CATEGORY(lcProtocol, "emailrag.protocol")
}
