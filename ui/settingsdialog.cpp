#include "settingsdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace emailrag::ui {

SettingsDialog::SettingsDialog(const UiSettings &s, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Settings"));
    setObjectName(QStringLiteral("settingsDialog"));

    // Server
    auto *serverBox = new QGroupBox(tr("Server"), this);
    m_builtIn = new QRadioButton(tr("&Built-in server on this computer"), serverBox);
    m_remote = new QRadioButton(tr("&Remote server:"), serverBox);
    m_serverUrl = new QLineEdit(s.serverUrl, serverBox);
    m_serverUrl->setPlaceholderText(QStringLiteral("ws://host:8000/api/v1/ws"));
    m_serverUrl->setAccessibleName(tr("Remote server address"));
    m_userName = new QLineEdit(s.userName, serverBox);
    m_userName->setAccessibleName(tr("User name on the remote server"));
    auto *serverForm = new QFormLayout;
    serverForm->addRow(m_builtIn);
    serverForm->addRow(m_remote, m_serverUrl);
    serverForm->addRow(tr("&User name:"), m_userName);
    serverBox->setLayout(serverForm);
    (s.serverUrl.isEmpty() ? m_builtIn : m_remote)->setChecked(true);
    connect(m_builtIn, &QRadioButton::toggled, this, &SettingsDialog::onServerModeChanged);

    // Model provider
    auto *modelBox = new QGroupBox(tr("Answers"), this);
    m_modelUrl = new QLineEdit(s.modelProviderUrl, modelBox);
    m_modelUrl->setPlaceholderText(tr("Empty: built-in extractive answers (no model needed)"));
    m_modelUrl->setAccessibleName(tr("Model provider address"));
    m_model = new QLineEdit(s.model, modelBox);
    m_model->setPlaceholderText(QStringLiteral("llama3.1"));
    m_model->setAccessibleName(tr("Model name"));
    m_apiKey = new QLineEdit(modelBox);
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_apiKey->setAccessibleName(tr("API key"));
    m_apiKey->setPlaceholderText(tr("Not set"));
    connect(m_apiKey, &QLineEdit::textEdited, this, [this] { m_apiKeyChanged = true; });
    auto *modelForm = new QFormLayout;
    modelForm->addRow(tr("&Provider URL:"), m_modelUrl);
    modelForm->addRow(tr("&Model:"), m_model);
    modelForm->addRow(tr("API &key:"), m_apiKey);
    auto *keyNote = new QLabel(tr("The key is kept in the system keychain, never in a settings file."), modelBox);
    keyNote->setWordWrap(true);
    modelForm->addRow(keyNote);
    modelBox->setLayout(modelForm);

    // General
    auto *generalBox = new QGroupBox(tr("General"), this);
    m_heartbeat = new QSpinBox(generalBox);
    m_heartbeat->setRange(5, 600);
    m_heartbeat->setSuffix(tr(" s"));
    m_heartbeat->setValue(s.heartbeatSeconds);
    m_heartbeat->setAccessibleName(tr("Heartbeat interval in seconds"));
    m_dataDir = new QLineEdit(s.dataDir, generalBox);
    m_dataDir->setPlaceholderText(tr("Default location"));
    m_dataDir->setAccessibleName(tr("Data directory"));
    auto *browse = new QPushButton(tr("Bro&wse…"), generalBox);
    browse->setAccessibleName(tr("Choose the data directory"));
    connect(browse, &QPushButton::clicked, this, &SettingsDialog::onBrowseDataDir);
    auto *dataRow = new QHBoxLayout;
    dataRow->addWidget(m_dataDir, 1);
    dataRow->addWidget(browse);
    m_language = new QComboBox(generalBox);
    m_language->setAccessibleName(tr("Language"));
    m_language->addItem(tr("System language"), QString());
    // Language names in their own language, so that anyone can find theirs.
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    m_language->addItem(QStringLiteral("Français"), QStringLiteral("fr"));
    m_language->setCurrentIndex(qMax(0, m_language->findData(s.language)));
    m_theme = new QComboBox(generalBox);
    m_theme->setAccessibleName(tr("Colours"));
    m_theme->addItem(tr("System colours"), int(UiSettings::Theme::System));
    m_theme->addItem(tr("Light"), int(UiSettings::Theme::Light));
    m_theme->addItem(tr("Dark"), int(UiSettings::Theme::Dark));
    m_theme->setCurrentIndex(qMax(0, m_theme->findData(int(s.theme))));
    auto *generalForm = new QFormLayout;
    generalForm->addRow(tr("&Heartbeat:"), m_heartbeat);
    auto *dataLabel = new QLabel(tr("&Data directory:"), generalBox);
    dataLabel->setBuddy(m_dataDir); // a layout row gets no buddy by itself
    generalForm->addRow(dataLabel, dataRow);
    generalForm->addRow(tr("&Language:"), m_language);
    generalForm->addRow(tr("&Colours:"), m_theme);
    auto *restartNote = new QLabel(tr("A new data directory or server takes effect at the next start."), generalBox);
    restartNote->setWordWrap(true);
    generalForm->addRow(restartNote);
    generalBox->setLayout(generalForm);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(serverBox);
    layout->addWidget(modelBox);
    layout->addWidget(generalBox);
    layout->addWidget(buttons);
    setMinimumWidth(520);
    onServerModeChanged();
}

UiSettings SettingsDialog::settings() const
{
    UiSettings s;
    s.serverUrl = m_remote->isChecked() ? m_serverUrl->text().trimmed() : QString();
    s.userName = m_userName->text().trimmed();
    s.modelProviderUrl = m_modelUrl->text().trimmed();
    s.model = m_model->text().trimmed();
    s.heartbeatSeconds = m_heartbeat->value();
    s.dataDir = m_dataDir->text().trimmed();
    s.language = m_language->currentData().toString();
    s.theme = UiSettings::Theme(m_theme->currentData().toInt());
    return s;
}

QString SettingsDialog::apiKey() const
{
    return m_apiKey->text();
}

void SettingsDialog::setApiKeyStored(bool stored)
{
    m_apiKey->setPlaceholderText(stored ? tr("Stored in the keychain (type to replace)") : tr("Not set"));
}

void SettingsDialog::onServerModeChanged()
{
    const bool remote = m_remote->isChecked();
    m_serverUrl->setEnabled(remote);
    m_userName->setEnabled(remote);
}

void SettingsDialog::onBrowseDataDir()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Data directory"), m_dataDir->text());
    if (!dir.isEmpty())
        m_dataDir->setText(dir);
}

} // namespace emailrag::ui
