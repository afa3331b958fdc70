#include "uisettings.h"

#include <QSettings>

namespace emailrag::ui {

namespace {
QString themeName(UiSettings::Theme t)
{
    switch (t) {
    case UiSettings::Theme::Light:
        return QStringLiteral("light");
    case UiSettings::Theme::Dark:
        return QStringLiteral("dark");
    case UiSettings::Theme::System:
        break;
    }
    return QStringLiteral("system");
}
} // namespace

UiSettings UiSettings::load(QSettings &s)
{
    UiSettings u;
    u.serverUrl = s.value(QStringLiteral("server/url")).toString();
    u.userName = s.value(QStringLiteral("server/user")).toString();
    u.modelProviderUrl = s.value(QStringLiteral("model/url")).toString();
    u.model = s.value(QStringLiteral("model/name")).toString();
    u.heartbeatSeconds = qBound(5, s.value(QStringLiteral("connection/heartbeat"), 30).toInt(), 600);
    u.dataDir = s.value(QStringLiteral("data/dir")).toString();
    u.language = s.value(QStringLiteral("ui/language")).toString();
    const QString theme = s.value(QStringLiteral("ui/theme")).toString();
    u.theme = theme == QLatin1String("light") ? Theme::Light
        : theme == QLatin1String("dark")      ? Theme::Dark
                                              : Theme::System;
    return u;
}

void UiSettings::save(QSettings &s) const
{
    s.setValue(QStringLiteral("server/url"), serverUrl);
    s.setValue(QStringLiteral("server/user"), userName);
    s.setValue(QStringLiteral("model/url"), modelProviderUrl);
    s.setValue(QStringLiteral("model/name"), model);
    s.setValue(QStringLiteral("connection/heartbeat"), heartbeatSeconds);
    s.setValue(QStringLiteral("data/dir"), dataDir);
    s.setValue(QStringLiteral("ui/language"), language);
    s.setValue(QStringLiteral("ui/theme"), themeName(theme));
}

} // namespace emailrag::ui
