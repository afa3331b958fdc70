#pragma once

#include <QStringList>

namespace emailrag::app {

// A subcommand: `emailrag NAME ...`. `run` gets the arguments with args[0] = "emailrag NAME",
// parses them itself (with parseOrExit) and returns the process exit code. Subcommands run under
// a QCoreApplication: none of them opens a window.
struct Command
{
    const char *name;
    const char *usage;   // `emailrag --help` lists the usage, then what the command does
    const char *summary;
    int (*run)(const QStringList &args);
};

// Every subcommand, in the order `--help` lists them. Defined in commands.cpp: adding a command
// is one line there plus its own file.
const QList<Command> &commands();
const Command *findCommand(const QString &name);

} // namespace emailrag::app
