#include "cliutil.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <cstdio>
#include <unistd.h>

namespace emailrag::app {

void addDataOption(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("data"),
                      QStringLiteral("Data directory (database, uploads, keys). Default: $EMAILRAG_DATA, else %1.")
                          .arg(defaultDataDir()),
                      QStringLiteral("DIR")});
}

QString defaultDataDir()
{
    const QString env = qEnvironmentVariable("EMAILRAG_DATA");
    if (!env.isEmpty())
        return env;
    QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.local/share");
    return base + QStringLiteral("/emailrag");
}

QString dataDir(const QCommandLineParser &parser)
{
    QString dir = parser.isSet(QStringLiteral("data")) ? parser.value(QStringLiteral("data")) : defaultDataDir();
    dir = QDir(dir).absolutePath();
    QDir().mkpath(dir);
    return dir;
}

QString existingDataDir(const QCommandLineParser &parser)
{
    const QString dir = QDir(parser.isSet(QStringLiteral("data")) ? parser.value(QStringLiteral("data")) : defaultDataDir())
                            .absolutePath();
    if (QFileInfo::exists(QDir(dir).filePath(QStringLiteral("emailrag.db"))))
        return dir;
    std::fprintf(stderr, "emailrag: no EmailRAG data in %s (no emailrag.db there). Give the server's folder with --data DIR,\n"
                         "or create a store first with 'emailrag user add NAME --data DIR'.\n",
                 qPrintable(dir));
    return QString();
}

int parseOrExit(QCommandLineParser &parser, const QStringList &args)
{
    const QCommandLineOption help = parser.addHelpOption();
    if (!parser.parse(args)) {
        std::fprintf(stderr, "%s: %s\nTry '%s --help'.\n", qPrintable(args.value(0)), qPrintable(parser.errorText()),
                     qPrintable(args.value(0)));
        return ExitUsage;
    }
    if (parser.isSet(help)) {
        // Qt's help names the program by its full path (argv[0]); show the command as typed instead.
        QString text = parser.helpText();
        const QString program = QCoreApplication::arguments().value(0);
        if (!program.isEmpty() && text.startsWith(QStringLiteral("Usage: ") + program))
            text.replace(7, program.size(), args.value(0));
        std::fputs(qPrintable(text), stdout);
        return ExitOk;
    }
    return -1;
}

bool stdoutIsTerminal() { return ::isatty(STDOUT_FILENO) == 1; }

} // namespace emailrag::app
