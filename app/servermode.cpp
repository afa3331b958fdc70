// emailrag --server: the server alone, no window. Options come from (lowest to highest) the
// config file, EMAILRAG_* environment variables and the command line (docs/server.md).
// SIGTERM/SIGINT stop it gracefully: clients are told, imports checkpointed, exit code 0.

#include "modes.h"

#include "cliutil.h"

#include "embeddedserver.h"
#include "serverconfig.h"
#include "signalwatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <cstdio>
#include <utility>

namespace emailrag::app {

int runServerMode(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOptions(serverOptions());
    QStringList withProgram = args;
    withProgram.prepend(QStringLiteral("emailrag"));
    if (const int rc = parseOrExit(parser, withProgram); rc >= 0)
        return rc;

    server::ServerConfig config;
    config.dataDir = dataDir(parser);
    QStringList errors;
    // Config file: --config, else DATA_DIR/emailrag.conf, else /etc/emailrag/emailrag.conf.
    QString configFile = parser.value(QStringLiteral("config"));
    if (configFile.isEmpty()) {
        const QString local = QDir(config.dataDir).filePath(QStringLiteral("emailrag.conf"));
        configFile = QFileInfo::exists(local) ? local : QStringLiteral("/etc/emailrag/emailrag.conf");
    } else if (!QFileInfo::exists(configFile)) {
        std::fprintf(stderr, "emailrag: config file %s not found\n", qPrintable(configFile));
        return ExitUsage;
    }
    config.apply(server::ServerConfig::fromFile(configFile, &errors), &errors);
    config.apply(server::ServerConfig::fromEnvironment(), &errors);
    QMap<QString, QString> cli;
    for (const QString &name : {QStringLiteral("listen"), QStringLiteral("tls-cert"), QStringLiteral("tls-key")}) {
        if (parser.isSet(name))
            cli.insert(name, parser.value(name));
    }
    config.apply(cli, &errors);
    if (!errors.isEmpty()) {
        for (const QString &e : errors)
            std::fprintf(stderr, "emailrag: %s\n", qPrintable(e));
        return ExitUsage;
    }
    if (config.tlsCert.isEmpty() != config.tlsKey.isEmpty()) {
        std::fprintf(stderr, "emailrag: --tls-cert and --tls-key go together\n");
        return ExitUsage;
    }

    // The server runs on a thread of its own (EmbeddedServer), with Qt's own poll event
    // dispatcher rather than glib's (docs/server.md "Threads and limits"); this thread only
    // turns SIGTERM/SIGINT into a graceful stop.
    server::EmbeddedServer srv;
    QString error;
    if (!srv.start(config, /*anyPortIfBusy=*/false, &error)) {
        std::fprintf(stderr, "emailrag: %s\n", qPrintable(error));
        return ExitFailure;
    }
    std::fprintf(stderr, "emailrag: serving %s (data in %s)\n", qPrintable(srv.webSocketUrl()), qPrintable(config.dataDir));

    server::SignalWatcher signals;
    bool stopping = false;
    QObject::connect(&signals, &server::SignalWatcher::terminationRequested, QCoreApplication::instance(), [&srv, &stopping](int sig) {
        if (std::exchange(stopping, true))
            return; // a second signal while the first one's shutdown runs
        std::fprintf(stderr, "emailrag: signal %d, shutting down\n", sig);
        srv.stop(); // disconnecting + close to every client, imports checkpointed; returns when done
        QCoreApplication::quit();
    });
    return QCoreApplication::exec() == 0 ? ExitOk : ExitFailure;
}

} // namespace emailrag::app
