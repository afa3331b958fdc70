#pragma once

#include "uisettings.h"

#include <QDialog>

class QComboBox;
class QLineEdit;
class QRadioButton;
class QSpinBox;

// The settings dialog: server (built-in or remote), model provider (URL, model, API key),
// heartbeat, data directory, language and theme. It only edits values; the caller stores them
// (QSettings for UiSettings, the keychain for the API key) and applies them. GUI thread; owned by
// its parent window.
namespace emailrag::ui {

class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SettingsDialog(const UiSettings &settings, QWidget *parent = nullptr);

    UiSettings settings() const;
    // The API key typed by the user; empty with apiKeyChanged() false when left untouched.
    QString apiKey() const;
    bool apiKeyChanged() const { return m_apiKeyChanged; }
    // Shown as "stored in the keychain" when the caller knows a key exists.
    void setApiKeyStored(bool stored);

private:
    void onServerModeChanged();
    void onBrowseDataDir();

    QRadioButton *m_builtIn = nullptr;
    QRadioButton *m_remote = nullptr;
    QLineEdit *m_serverUrl = nullptr;
    QLineEdit *m_userName = nullptr;
    QLineEdit *m_modelUrl = nullptr;
    QLineEdit *m_model = nullptr;
    QLineEdit *m_apiKey = nullptr;
    QSpinBox *m_heartbeat = nullptr;
    QLineEdit *m_dataDir = nullptr;
    QComboBox *m_language = nullptr;
    QComboBox *m_theme = nullptr;
    bool m_apiKeyChanged = false;
};

} // namespace emailrag::ui
