#pragma once

#include <QLoggingCategory>

// Logging category of the chat library ("emailrag.chat"). Never log API keys or mail bodies.
Q_DECLARE_LOGGING_CATEGORY(lcChat)
