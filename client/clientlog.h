#pragma once

#include <QLoggingCategory>

// Logging category of the client library ("emailrag.client"). Secrets are never logged.
namespace emailrag::client {
Q_DECLARE_LOGGING_CATEGORY(lcClient)
}
