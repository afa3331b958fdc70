#pragma once

#include <QString>

class QSettings;

// The desktop settings the user edits in the settings dialog, read from and written to QSettings
// (the user's config file). Secrets are NOT here: the model provider's API key and the login
// tokens live in the system keychain (client module). Plain value type; any thread.
namespace emailrag::ui {

struct UiSettings
{
    enum class Theme { System, Light, Dark };

    QString serverUrl; // empty: the built-in server on this computer
    QString userName; // for a remote server
    QString modelProviderUrl; // OpenAI-compatible base URL; empty: the built-in extractive answers
    QString model; // model name at that provider
    int heartbeatSeconds = 30; // seed: ping every 30 s
    QString dataDir; // empty: the default data directory
    QString language; // "", "en", "de" or "fr"; empty follows the system locale
    Theme theme = Theme::System;

    static UiSettings load(QSettings &settings);
    void save(QSettings &settings) const;
    bool operator==(const UiSettings &) const = default;
};

} // namespace emailrag::ui
