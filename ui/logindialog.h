#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

// Asks for the server address, user name and password of a remote server (--connect or the
// settings). It does not log in itself: it emits loginRequested() and the owner answers with
// setError() or accept(), so the password is never stored here beyond the dialog's life.
// GUI thread; owned by its parent.
namespace emailrag::ui {

class LoginDialog : public QDialog
{
    Q_OBJECT
public:
    explicit LoginDialog(const QString &serverUrl, const QString &userName, QWidget *parent = nullptr);

    QString serverUrl() const;
    QString userName() const;
    QString password() const;

    void setError(const QString &message); // re-enables the form
    void setBusy(bool busy);

Q_SIGNALS:
    void loginRequested(const QString &serverUrl, const QString &userName, const QString &password);

private:
    void onAccepted();

    QLineEdit *m_server = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_password = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace emailrag::ui
