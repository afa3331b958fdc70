// Client-only mode: `emailrag --connect URL` opens the main window against a remote server. The
// token comes from the keychain (stored by an earlier login here or by `emailrag login`), else
// the login dialog asks once.
#include "modes.h"

#include "cliutil.h"

#include "appearance.h"
#include "sessionstart.h"
#include "uisettings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>

namespace emailrag::app {

int runConnectMode(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOptions(connectOptions());
    QStringList withProgram = args;
    withProgram.prepend(QStringLiteral("emailrag"));
    parser.parse(withProgram); // validated before start-up (classify)

    QSettings settingsFile;
    const ui::UiSettings settings = ui::UiSettings::load(settingsFile);
    ui::applyTheme(settings.theme);
    ui::installTranslations(
        parser.isSet(QStringLiteral("lang")) ? parser.value(QStringLiteral("lang")) : settings.language, qApp);

    const QString user
        = parser.isSet(QStringLiteral("user")) ? parser.value(QStringLiteral("user")) : settings.userName;
    const int rc = ui::runRemoteWindow(parser.value(QStringLiteral("connect")), user);
    return rc == 3 ? ExitUnauthorized : rc;
}

} // namespace emailrag::app
