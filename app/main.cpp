// emailrag: one binary, three modes (desktop with built-in server, --server, --connect URL) and
// a set of subcommands. The mode is decided from the raw arguments *before* the application
// object exists, because a headless server must never create a QApplication (no display needed).

#include "cliutil.h"
#include "commands.h"
#include "modes.h"

#include <QApplication>
#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstdio>
#include <exception>

using namespace emailrag::app;

namespace {

QStringList rawArguments(int argc, char **argv)
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    return args;
}

void setIdentity()
{
    QCoreApplication::setApplicationName(QStringLiteral("emailrag"));
    QCoreApplication::setOrganizationName(QStringLiteral("emailrag"));
    QCoreApplication::setApplicationVersion(QStringLiteral(EMAILRAG_VERSION));
}

int run(int argc, char **argv)
{
    const QStringList args = rawArguments(argc, argv);
    const Invocation inv = classify(args);

    switch (inv.kind) {
    case Invocation::Help:
        std::fputs(qPrintable(globalHelp()), stdout);
        return ExitOk;
    case Invocation::Version:
        std::printf("emailrag %s\n", EMAILRAG_VERSION);
        return ExitOk;
    case Invocation::UsageError:
        std::fprintf(stderr, "emailrag: %s\nTry 'emailrag --help'.\n", qPrintable(inv.error));
        return ExitUsage;
    case Invocation::Subcommand: {
        QCoreApplication app(argc, argv);
        setIdentity();
        // A command's own output (progress, summary) is what its user reads; the libraries' info
        // lines ("applied migration 12", "import ... completed") only repeat it on stderr.
        // Warnings stay. QT_LOGGING_RULES is applied after these rules, so
        // QT_LOGGING_RULES='emailrag.*.info=true' brings them back.
        QLoggingCategory::setFilterRules(QStringLiteral("emailrag.*.info=false"));
        QStringList sub = inv.rest;
        sub.prepend(QStringLiteral("emailrag ") + QLatin1String(inv.command->name));
        return inv.command->run(sub);
    }
    case Invocation::Server: {
        QCoreApplication app(argc, argv);
        setIdentity();
        return runServerMode(inv.rest);
    }
    case Invocation::Desktop:
    case Invocation::Connect: {
        QApplication app(argc, argv);
        setIdentity();
        // Lets Wayland compositors match the window to the installed .desktop file and its icon.
        QGuiApplication::setDesktopFileName(QStringLiteral("org.emailrag.EmailRAG"));
        return inv.kind == Invocation::Desktop ? runDesktopMode(inv.rest) : runConnectMode(inv.rest);
    }
    }
    return ExitFailure;
}

} // namespace

int main(int argc, char **argv)
{
    // Exceptions are for start-up failures only; everything later reports errors as values.
    try {
        return run(argc, argv);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "emailrag: fatal: %s\n", e.what());
        return ExitFailure;
    }
}
