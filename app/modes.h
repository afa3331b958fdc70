#pragma once

#include "commands.h"

#include <QCommandLineOption>
#include <QList>
#include <QString>
#include <QStringList>

namespace emailrag::app {

// What the command line asks for, decided from the raw arguments before any application object
// exists (a headless server must never construct a QApplication).
struct Invocation
{
    enum Kind { Desktop, Server, Connect, Subcommand, Help, Version, UsageError } kind = Desktop;
    const Command *command = nullptr; // for Subcommand
    QStringList rest;                 // arguments for the mode or subcommand, program name removed
    QString error;                    // for UsageError
};

Invocation classify(const QStringList &args);
QString globalHelp();

// The options each mode accepts (used both to validate before start-up and to parse in the mode).
QList<QCommandLineOption> desktopOptions();
QList<QCommandLineOption> serverOptions();
QList<QCommandLineOption> connectOptions();

// Mode entry points, each in its own file; `args` has the program name removed.
int runDesktopMode(const QStringList &args);
int runServerMode(const QStringList &args);
int runConnectMode(const QStringList &args);

} // namespace emailrag::app
