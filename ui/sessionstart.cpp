#include "sessionstart.h"

#include "authclient.h"
#include "connection.h"
#include "futurewait.h"
#include "logindialog.h"
#include "secretstore.h"
#include "storedlogin.h"
#include "serverurl.h"

#include <QApplication>
#include <QFutureWatcher>
#include <QLabel>
#include <QMessageBox>
#include <QSettings>

namespace emailrag::ui {


std::optional<RemoteLogin> loginInteractively(const QString &serverUrl, const QString &userName, const QString &message,
    client::SecretStore *secrets, QWidget *parent)
{
    client::AuthClient auth;
    LoginDialog dialog(serverUrl, userName, parent);
    if (!message.isEmpty())
        dialog.setError(message);
    std::optional<RemoteLogin> result;
    QObject::connect(&dialog, &LoginDialog::loginRequested, &dialog,
        [&](const QString &url, const QString &user, const QString &password) {
            const QUrl ws = client::serverurl::webSocketUrl(url);
            if (!ws.isValid()) {
                dialog.setError(LoginDialog::tr("That is not a server address, e.g. ws://host:8000/api/v1/ws"));
                return;
            }
            auto *watcher = new QFutureWatcher<client::AuthResult>(&dialog);
            QObject::connect(watcher, &QFutureWatcherBase::finished, &dialog, [&, watcher, ws, user] {
                const client::AuthResult r = watcher->result();
                watcher->deleteLater();
                if (!r.ok()) {
                    dialog.setError(r.error.isEmpty() ? LoginDialog::tr("Login failed.") : r.error);
                    return;
                }
                result = RemoteLogin { ws, user, r.token };
                dialog.accept();
            });
            watcher->setFuture(auth.login(ws, user, password));
        });
    if (dialog.exec() != QDialog::Accepted || !result)
        return std::nullopt;
    if (secrets)
        secrets->write(client::SecretStore::tokenKey(result->server), client::StoredLogin{result->userName, result->token}.encode());
    return result;
}

int runRemoteWindow(const QString &serverUrl, const QString &userName)
{
    client::SecretStore secrets;
    const QUrl ws = client::serverurl::webSocketUrl(serverUrl);
    RemoteLogin login { ws, userName, QString() };
    if (ws.isValid()) {
        const client::SecretResult stored = client::waitForFuture(secrets.read(client::SecretStore::tokenKey(ws)));
        if (stored.ok()) {
            const client::StoredLogin saved = client::StoredLogin::decode(stored.value);
            login.token = saved.token;
            if (!saved.user.isEmpty())
                login.userName = saved.user;
        }
    }
    if (login.token.isEmpty()) {
        const auto fresh = loginInteractively(serverUrl, userName, QString(), &secrets);
        if (!fresh)
            return 3; // unauthorized: the user did not log in
        login = *fresh;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("server/user"), login.userName);

    client::Connection::Options options;
    options.heartbeatIntervalMs
        = qBound(5, settings.value(QStringLiteral("connection/heartbeat"), 30).toInt(), 600) * 1000;
    client::Connection connection(options);
    connection.setServerUrl(login.server);
    connection.setToken(login.token);
    QObject::connect(&connection, &client::Connection::tokenChanged, &secrets,
        [&secrets, &connection, &login](const QString &token, const QDateTime &) {
            secrets.write(client::SecretStore::tokenKey(connection.serverUrl()), client::StoredLogin{login.userName, token}.encode());
        });

    MainWindow::Options windowOptions;
    windowOptions.serverLabel = login.server.toDisplayString();
    windowOptions.userName = login.userName;
    windowOptions.builtInServer = false;
    MainWindow window(&connection, &secrets, windowOptions);
    bool asking = false;
    QObject::connect(&window, &MainWindow::loginRequired, &window, [&] {
        if (asking)
            return;
        asking = true;
        const auto again = loginInteractively(login.server.toString(), login.userName,
            MainWindow::tr("The server did not accept your login any more. Please log in again."), &secrets, &window);
        asking = false;
        if (!again) {
            window.close();
            return;
        }
        login = *again;
        connection.setServerUrl(login.server);
        connection.setToken(login.token);
        connection.open();
    });
    connection.open();
    window.show();
    const int rc = QApplication::exec();
    connection.close();
    return rc;
}

void showStartupError(const QString &detail)
{
    QMessageBox box(QMessageBox::Critical, MainWindow::tr("EmailRAG"), MainWindow::tr("EmailRAG could not start."),
        QMessageBox::Close);
    box.setInformativeText(detail);
    box.exec();
}

QString builtInServerLabel(quint16 port)
{
    return MainWindow::tr("built-in server (127.0.0.1:%1)").arg(port);
}

} // namespace emailrag::ui
