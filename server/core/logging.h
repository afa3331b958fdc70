#pragma once

#include <QLoggingCategory>

// The server core's logging category ("emailrag.core"); enable debug output with
// QT_LOGGING_RULES="emailrag.core.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcCore)
