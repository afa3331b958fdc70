// Desktop mode (the default): the built-in server on a thread of its own, bound to 127.0.0.1
// (port 8000 when free, else another), and the main window connected to it through the client
// module exactly like a remote client: WebSocket, token and all. The first start creates the
// local user and its token without asking anything.
#include "modes.h"

#include "cliutil.h"

#include "appearance.h"
#include "connection.h"
#include "mainwindow.h"
#include "secretstore.h"
#include "sessionstart.h"
#include "uisettings.h"

#include "embeddedserver.h"
#include "futurewait.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QSettings>

namespace emailrag::app {

namespace {

QString localUserName()
{
    const QString user = qEnvironmentVariable("USER");
    return user.isEmpty() ? QStringLiteral("local") : user;
}

// The chat engine reads its model provider from EMAILRAG_LLM_*; the settings (and the API key in
// the keychain) fill them in for the built-in server unless the environment already says.
void applyModelProvider(const ui::UiSettings &settings, client::SecretStore &secrets)
{
    if (settings.modelProviderUrl.isEmpty() || qEnvironmentVariableIsSet("EMAILRAG_LLM_BASE_URL"))
        return;
    qputenv("EMAILRAG_LLM_BASE_URL", settings.modelProviderUrl.toUtf8());
    if (!settings.model.isEmpty())
        qputenv("EMAILRAG_LLM_MODEL", settings.model.toUtf8());
    const client::SecretResult key
        = client::waitForFuture(secrets.read(client::SecretStore::apiKeyKey(settings.modelProviderUrl)));
    if (key.ok() && !key.value.isEmpty())
        qputenv("EMAILRAG_LLM_API_KEY", key.value.toUtf8());
}

} // namespace

int runDesktopMode(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOptions(desktopOptions());
    QStringList withProgram = args;
    withProgram.prepend(QStringLiteral("emailrag"));
    parser.parse(withProgram); // validated before start-up (classify); Qt's own options are ignored here

    QSettings settingsFile;
    const ui::UiSettings settings = ui::UiSettings::load(settingsFile);
    ui::applyTheme(settings.theme);
    ui::installTranslations(
        parser.isSet(QStringLiteral("lang")) ? parser.value(QStringLiteral("lang")) : settings.language, qApp);

    // The settings may point the window at a remote server instead of the built-in one.
    if (!settings.serverUrl.isEmpty())
        return ui::runRemoteWindow(settings.serverUrl, settings.userName);

    QString dir
        = parser.isSet(QStringLiteral("data")) || settings.dataDir.isEmpty() ? dataDir(parser) : settings.dataDir;
    dir = QDir(dir).absolutePath();
    QDir().mkpath(dir);

    client::SecretStore secrets;
    applyModelProvider(settings, secrets);

    server::ServerConfig config;
    config.dataDir = dir;
    config.listenAddress = QHostAddress::LocalHost;
    config.port = 8000;
    if (parser.isSet(QStringLiteral("port")))
        config.port = quint16(parser.value(QStringLiteral("port")).toUInt());
    config.heartbeatIntervalMs = settings.heartbeatSeconds * 1000;
    server::EmbeddedServer server;
    QString error;
    if (!server.start(config, /*anyPortIfBusy=*/true, &error)) {
        ui::showStartupError(error);
        return ExitFailure;
    }
    auto access = server::ensureLocalUser(dir, localUserName(), std::chrono::hours(24 * 30), &error);
    if (!access) {
        ui::showStartupError(error);
        return ExitFailure;
    }

    client::Connection::Options options;
    options.heartbeatIntervalMs = settings.heartbeatSeconds * 1000;
    client::Connection connection(options);
    connection.setServerUrl(QUrl(server.webSocketUrl()));
    connection.setToken(access->token);

    ui::MainWindow::Options windowOptions;
    windowOptions.serverLabel = ui::builtInServerLabel(server.serverPort());
    windowOptions.userName = access->userName;
    windowOptions.builtInServer = true;
    ui::MainWindow window(&connection, &secrets, windowOptions);
    // A refused token (expired after a month, or a new signing key): issue a fresh one.
    QObject::connect(&window, &ui::MainWindow::loginRequired, &window, [&] {
        QString why;
        if (auto fresh = server::ensureLocalUser(dir, localUserName(), std::chrono::hours(24 * 30), &why)) {
            connection.setToken(fresh->token);
            connection.open();
        }
    });
    connection.open();
    window.show();
    const int rc = QApplication::exec();
    connection.close();
    server.stop();
    return rc;
}

} // namespace emailrag::app
