#include "commands.h"

// Each subcommand lives in its own file and declares its entry point here.
namespace emailrag::app {
int runImportCommand(const QStringList &args);
int runUserCommand(const QStringList &args);
int runTokenCommand(const QStringList &args);
int runNotifyCommand(const QStringList &args);
int runLoginCommand(const QStringList &args);
int runUploadCommand(const QStringList &args);
int runSearchCommand(const QStringList &args);
int runChatCommand(const QStringList &args);
int runWatchCommand(const QStringList &args);
int runBackupCommand(const QStringList &args);

const QList<Command> &commands()
{
    static const QList<Command> list = {
        {"user", "user add NAME | list | remove NAME", "Manage the users of the data directory", runUserCommand},
        {"token", "token NAME [--ttl 12h]", "Print a signed access token for a user", runTokenCommand},
        {"notify", "notify [--level L] TEXT", "Send a system notification through the running server", runNotifyCommand},
        {"import", "import PATH... [--user NAME]", "Import mbox, Maildir or .eml into the local store", runImportCommand},
        {"login", "login URL --user NAME [--password-stdin]", "Log in to a server; the token goes to the keychain", runLoginCommand},
        {"upload", "upload FILE... [--server URL]", "Upload mail archives, wait for indexing, print new emails", runUploadCommand},
        {"search", "search QUERY [--limit N] [--json]", "Search; hits are printed as they stream", runSearchCommand},
        {"chat", "chat QUESTION [--conversation ID]", "Ask about your mail; streamed answer, then sources", runChatCommand},
        {"watch", "watch [--json]", "Follow uploads, new emails and notifications", runWatchCommand},
        {"backup", "backup DEST [--data DIR]", "Copy the data directory (safe while the server runs)", runBackupCommand},
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
