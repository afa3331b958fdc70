#pragma once

#include "uisettings.h"

#include <QObject>
#include <QString>

class QTranslator;

// Look and language of the application: light/dark palettes and the translators for en/de/fr.
// Called on the GUI thread at start-up and when the settings change.
namespace emailrag::ui {

// Applies the palette for `theme` to the whole application (System keeps the platform's).
void applyTheme(UiSettings::Theme theme);

// Installs the UI and Qt translations for `language` ("de", "fr", "en", or empty for the system
// locale) and returns the language actually used ("en" when none fits). Translators are parented
// to `owner` (normally the application) and replaced on each call.
QString installTranslations(const QString &language, QObject *owner);

} // namespace emailrag::ui
