#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

// Helpers every subcommand uses, so that options and exit codes mean the same everywhere.
namespace emailrag::app {

enum ExitCode : int {
    ExitOk = 0,
    ExitFailure = 1,     // the work failed (see the message)
    ExitUsage = 2,       // bad command line
    ExitUnauthorized = 3, // login refused or token rejected
    ExitUnavailable = 4, // server unreachable
};

// Adds --data DIR (and reads $EMAILRAG_DATA as its default).
void addDataOption(QCommandLineParser &parser);
// The data directory: --data, else $EMAILRAG_DATA, else the XDG data location
// (~/.local/share/emailrag). Created if missing.
QString dataDir(const QCommandLineParser &parser);
// The same, for commands that only read or change an existing store (user list/remove, token,
// notify, backup): nothing is created, and when the folder holds no database it prints why on
// stderr and returns an empty string, so a mistyped --data does not leave an empty store behind.
QString existingDataDir(const QCommandLineParser &parser);
QString defaultDataDir();

// Parses `args` (args[0] is "emailrag <command>"), handling --help itself. Returns -1 when the
// caller should go on, else the exit code to return (0 after --help, 2 after a usage error,
// which it has printed with a hint to --help).
int parseOrExit(QCommandLineParser &parser, const QStringList &args);

// True when stdout is a terminal (progress bars) rather than a pipe or file (plain lines).
bool stdoutIsTerminal();

} // namespace emailrag::app
