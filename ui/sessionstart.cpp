#include "sessionstart.h"

#include "authclient.h"
#include "connection.h"
#include "futurewait.h"
#include "logindialog.h"
#include "secretstore.h"
#include "serverurl.h"

#include <QApplication>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QSettings>

namespace emailrag::ui {

namespace {
// The keychain entry of a server: {"user": ..., "token": ...}, as `emailrag login` writes it, so
// that a login on the command line serves the window too and the other way round.
QString storedLogin(const QString &user, const QString &token)
{
    const QJsonObject o { { QStringLiteral("user"), user }, { QStringLiteral("token"), token } };
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

void readStoredLogin(const QString &value, QString *user, QString *token)
{
    const QJsonDocument doc = QJsonDocument::fromJson(value.toUtf8());
    if (doc.isObject()) {
        *token = doc.object().value(QLatin1String("token")).toString();
        const QString u = doc.object().value(QLatin1String("user")).toString();
        if (!u.isEmpty())
            *user = u;
    } else {
        *token = value; // a bare token
    }
}
} // namespace

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
        secrets->write(client::SecretStore::tokenKey(result->server), storedLogin(result->userName, result->token));
    return result;
}

int runRemoteWindow(const QString &serverUrl, const QString &userName)
{
    client::SecretStore secrets;
    const QUrl ws = client::serverurl::webSocketUrl(serverUrl);
    RemoteLogin login { ws, userName, QString() };
    if (ws.isValid()) {
        const client::SecretResult stored = client::waitForFuture(secrets.read(client::SecretStore::tokenKey(ws)));
        if (stored.ok())
            readStoredLogin(stored.value, &login.userName, &login.token);
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
            secrets.write(client::SecretStore::tokenKey(connection.serverUrl()), storedLogin(login.userName, token));
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
