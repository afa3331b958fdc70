// emailrag --server: the server alone, no window. Options come from (lowest to highest) the
// config file, EMAILRAG_* environment variables and the command line (docs/server.md).
// SIGTERM/SIGINT stop it gracefully: clients are told, imports checkpointed, exit code 0.

#include "modes.h"

#include "cliutil.h"

#include "server.h"
#include "serverconfig.h"
#include "signalwatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <cstdio>

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

    server::Server srv;
    QString error;
    if (!srv.start(config, &error)) {
        std::fprintf(stderr, "emailrag: %s\n", qPrintable(error));
        return ExitFailure;
    }
    std::fprintf(stderr, "emailrag: serving %s (data in %s)\n", qPrintable(srv.webSocketUrl()), qPrintable(config.dataDir));

    server::SignalWatcher signals;
    QObject::connect(&signals, &server::SignalWatcher::terminationRequested, &srv, [&srv](int sig) {
        std::fprintf(stderr, "emailrag: signal %d, shutting down\n", sig);
        srv.stop();
    });
    QObject::connect(&srv, &server::Server::stopped, QCoreApplication::instance(), &QCoreApplication::quit);
    return QCoreApplication::exec() == 0 ? ExitOk : ExitFailure;
}

} // namespace emailrag::app
