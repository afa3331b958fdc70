#include "logging.h"

Q_LOGGING_CATEGORY(lcCore, "emailrag.core")
