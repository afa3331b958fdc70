#include "clientlog.h"

namespace emailrag::client {
Q_LOGGING_CATEGORY(lcClient, "emailrag.client", QtWarningMsg)
}
