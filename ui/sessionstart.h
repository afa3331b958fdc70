#pragma once

#include "mainwindow.h"

#include <QString>
#include <QUrl>

#include <optional>

namespace emailrag::client {
class AuthClient;
class SecretStore;
} // namespace emailrag::client

// Start-up steps the two windowed modes share: logging in to a remote server (token from the
// keychain, else the login dialog; the new token goes back to the keychain), running the main
// window against a remote server until it closes, and telling the user why start-up failed.
// GUI thread, inside QApplication; they block on their own dialogs and event loops only.
namespace emailrag::ui {

struct RemoteLogin
{
    QUrl server; // the WebSocket endpoint
    QString userName;
    QString token;
};

// Shows the login dialog (with `message` above it, e.g. "Your session expired") until the user
// logs in or cancels. On success the token is written to the keychain under the server's key.
std::optional<RemoteLogin> loginInteractively(const QString &serverUrl, const QString &userName, const QString &message,
    client::SecretStore *secrets, QWidget *parent = nullptr);

// The whole client-only session: token from the keychain or a login, the connection, the main
// window, a new login when the server refuses the token. Returns the exit code (0, or 3 when the
// user cancelled the login).
int runRemoteWindow(const QString &serverUrl, const QString &userName);

// A modal error at start-up ("EmailRAG could not start"), with the technical detail.
void showStartupError(const QString &detail);

// Text for the status bar: "built-in server (127.0.0.1:8000)".
QString builtInServerLabel(quint16 port);

} // namespace emailrag::ui
