#include "commands.h"

// Each subcommand lives in its own file and declares its entry point here.
namespace emailrag::app {
int runImportCommand(const QStringList &args);

const QList<Command> &commands()
{
    static const QList<Command> list = {
        {"import", "import PATH... [--user NAME]   Import mbox, Maildir or .eml into the local store", runImportCommand},
    };
    return list;
}

const Command *findCommand(const QString &name)
{
    for (const Command &c : commands()) {
        if (name == QLatin1String(c.name))
            return &c;
    }
    return nullptr;
}

} // namespace emailrag::app
