#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace emailrag::protocol {

// Protocol timestamps: ISO-8601 in UTC with seconds precision and a trailing "Z",
// exactly like the seed ("2026-01-11T10:00:00Z"). Any thread.
QString formatTimestamp(const QDateTime &time);
// Accepts "YYYY-MM-DDTHH:MM:SSZ" and "YYYY-MM-DDTHH:MM:SS.mmmZ"; anything else (offsets, no Z,
// invalid dates) gives nullopt.
std::optional<QDateTime> parseTimestamp(const QString &text);
// Now, truncated to whole seconds, in UTC.
QDateTime currentTimestamp();

} // namespace emailrag::protocol
