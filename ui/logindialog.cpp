#include "logindialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace emailrag::ui {

LoginDialog::LoginDialog(const QString &serverUrl, const QString &userName, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Log in to EmailRAG"));
    setObjectName(QStringLiteral("loginDialog"));
    m_server = new QLineEdit(serverUrl, this);
    m_server->setPlaceholderText(QStringLiteral("ws://host:8000/api/v1/ws"));
    m_server->setAccessibleName(tr("Server address"));
    m_user = new QLineEdit(userName, this);
    m_user->setAccessibleName(tr("User name"));
    m_password = new QLineEdit(this);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setAccessibleName(tr("Password"));
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setVisible(false);
    m_error->setObjectName(QStringLiteral("loginError"));
    m_error->setAccessibleName(tr("Login error"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Server:"), m_server);
    form->addRow(tr("&User name:"), m_user);
    form->addRow(tr("&Password:"), m_password);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Log in"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &LoginDialog::onAccepted);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *intro = new QLabel(tr("Log in once; the token is kept in the system keychain for the next start."), this);
    intro->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);

    (userName.isEmpty() ? m_user : m_password)->setFocus();
    if (serverUrl.isEmpty())
        m_server->setFocus();
}

QString LoginDialog::serverUrl() const
{
    return m_server->text().trimmed();
}
QString LoginDialog::userName() const
{
    return m_user->text().trimmed();
}
QString LoginDialog::password() const
{
    return m_password->text();
}

void LoginDialog::setError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
    setBusy(false);
    m_password->selectAll();
    m_password->setFocus();
}

void LoginDialog::setBusy(bool busy)
{
    m_server->setEnabled(!busy);
    m_user->setEnabled(!busy);
    m_password->setEnabled(!busy);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy);
    setCursor(busy ? Qt::BusyCursor : Qt::ArrowCursor);
}

void LoginDialog::onAccepted()
{
    if (serverUrl().isEmpty() || userName().isEmpty()) {
        setError(tr("Enter the server address and your user name."));
        return;
    }
    m_error->setVisible(false);
    setBusy(true);
    Q_EMIT loginRequested(serverUrl(), userName(), password());
}

} // namespace emailrag::ui
