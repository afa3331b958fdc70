#include "protocoltypes.h"

#include <array>
#include <utility>

namespace emailrag::protocol {

namespace {
template<typename E, std::size_t N> QString nameOf(const std::array<std::pair<E, const char *>, N> &table, E value)
{
    for (const auto &[v, name] : table) {
        if (v == value)
            return QString::fromLatin1(name);
    }
    return {};
}

template<typename E, std::size_t N>
std::optional<E> valueOf(const std::array<std::pair<E, const char *>, N> &table, const QString &name)
{
    for (const auto &[v, text] : table) {
        if (name == QLatin1String(text))
            return v;
    }
    return std::nullopt;
}

constexpr std::array<std::pair<UploadStatus, const char *>, 6> kUploadStatus { {
    { UploadStatus::Queued, "queued" },
    { UploadStatus::Receiving, "receiving" },
    { UploadStatus::Processing, "processing" },
    { UploadStatus::Completed, "completed" },
    { UploadStatus::Failed, "failed" },
    { UploadStatus::Cancelled, "cancelled" },
} };
constexpr std::array<std::pair<NotificationLevel, const char *>, 3> kLevels { {
    { NotificationLevel::Info, "info" },
    { NotificationLevel::Warning, "warning" },
    { NotificationLevel::Error, "error" },
} };
constexpr std::array<std::pair<ChatRole, const char *>, 2> kRoles { {
    { ChatRole::User, "user" },
    { ChatRole::Assistant, "assistant" },
} };
} // namespace

QString uploadStatusName(UploadStatus status)
{
    return nameOf(kUploadStatus, status);
}
std::optional<UploadStatus> uploadStatusFromName(const QString &name)
{
    return valueOf(kUploadStatus, name);
}
QString notificationLevelName(NotificationLevel level)
{
    return nameOf(kLevels, level);
}
std::optional<NotificationLevel> notificationLevelFromName(const QString &name)
{
    return valueOf(kLevels, name);
}
QString chatRoleName(ChatRole role)
{
    return nameOf(kRoles, role);
}
std::optional<ChatRole> chatRoleFromName(const QString &name)
{
    return valueOf(kRoles, name);
}

QStringList Channel::all()
{
    return { Uploads, SearchResults, SystemStatus };
}

} // namespace emailrag::protocol
