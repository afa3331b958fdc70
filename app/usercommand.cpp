// emailrag user add NAME [--password-stdin] [--admin] | user list | user remove NAME
// Manages the users of the local data directory directly in the database (no server needed).

#include "adminstore.h"
#include "cliutil.h"

#include "userstore.h"

#include <QCommandLineParser>
#include <QTextStream>

#include <cstdio>
#include <iostream>
#include <string>
#include <termios.h>
#include <unistd.h>

namespace emailrag::app {

namespace {

using server::UserStore;

// `user add` creates the store; list and remove need one to exist.
std::optional<QSqlDatabase> openStore(const QCommandLineParser &parser, bool create)
{
    if (auto store = openAdminStore(parser, create))
        return store->db;
    return std::nullopt;
}

// Reads one line; without echo when stdin is a terminal.
QByteArray readPassword(const char *prompt, bool fromStdinPipe)
{
    std::string line;
    if (!fromStdinPipe && ::isatty(STDIN_FILENO)) {
        std::fputs(prompt, stderr);
        termios old {};
        ::tcgetattr(STDIN_FILENO, &old);
        termios noEcho = old;
        noEcho.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &noEcho);
        std::getline(std::cin, line);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::fputs("\n", stderr);
    } else {
        std::getline(std::cin, line);
    }
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return QByteArray::fromStdString(line);
}

int add(const QCommandLineParser &parser, const QStringList &pos)
{
    if (pos.size() != 2) {
        std::fputs("usage: emailrag user add NAME [--password-stdin] [--admin]\n", stderr);
        return ExitUsage;
    }
    const QString name = pos[1];
    if (!UserStore::validName(name)) {
        std::fprintf(stderr, "emailrag: invalid user name '%s' (1-64 of A-Z a-z 0-9 . _ @ -)\n", qPrintable(name));
        return ExitUsage;
    }
    const bool pipe = parser.isSet(QStringLiteral("password-stdin"));
    if (!pipe && !::isatty(STDIN_FILENO)) {
        std::fputs("emailrag: no terminal to ask for the password; use --password-stdin\n", stderr);
        return ExitUsage;
    }
    const QByteArray password = readPassword("Password: ", pipe);
    if (!pipe && password != readPassword("Repeat password: ", false)) {
        std::fputs("emailrag: the passwords differ\n", stderr);
        return ExitFailure;
    }
    if (password.size() < 8) {
        std::fputs("emailrag: the password needs at least 8 characters\n", stderr);
        return ExitFailure;
    }
    auto db = openStore(parser, true);
    if (!db)
        return ExitFailure;
    switch (UserStore::add(*db, name, password, parser.isSet(QStringLiteral("admin")))) {
    case UserStore::AddResult::Added:
        std::printf("added user %s\n", qPrintable(name));
        return ExitOk;
    case UserStore::AddResult::Exists:
        std::fprintf(stderr, "emailrag: user '%s' already exists\n", qPrintable(name));
        return ExitFailure;
    case UserStore::AddResult::InvalidName:
        return ExitUsage;
    case UserStore::AddResult::Failed:
        break;
    }
    std::fputs("emailrag: could not add the user (see the log)\n", stderr);
    return ExitFailure;
}

} // namespace

int runUserCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Manage the users of this data directory.\n"
        "  user add NAME [--password-stdin] [--admin]   add a user (asks for the password twice)\n"
        "  user list                                    list users\n"
        "  user remove NAME                             remove a user and all of their mail"));
    addDataOption(parser);
    parser.addOption({QStringLiteral("password-stdin"), QStringLiteral("Read the password from the first line of stdin.")});
    parser.addOption({QStringLiteral("admin"), QStringLiteral("Make the user an administrator (may send system notifications).")});
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("add, list or remove"));
    if (const int rc = parseOrExit(parser, args); rc >= 0)
        return rc;
    const QStringList pos = parser.positionalArguments();
    const QString action = pos.value(0);
    if (action == QLatin1String("add"))
        return add(parser, pos);
    if (action == QLatin1String("list") && pos.size() == 1) {
        auto db = openStore(parser, false);
        if (!db)
            return ExitFailure;
        for (const auto &u : UserStore::list(*db))
            std::printf("%s\t%s%s\n", qPrintable(u.name), qPrintable(u.createdAt), u.isAdmin ? "\tadmin" : "");
        return ExitOk;
    }
    if (action == QLatin1String("remove") && pos.size() == 2) {
        auto db = openStore(parser, false);
        if (!db)
            return ExitFailure;
        if (!UserStore::remove(*db, pos[1])) {
            std::fprintf(stderr, "emailrag: no user '%s'\n", qPrintable(pos[1]));
            return ExitFailure;
        }
        std::printf("removed user %s\n", qPrintable(pos[1]));
        return ExitOk;
    }
    std::fprintf(stderr, "%s: expected 'add NAME', 'list' or 'remove NAME'\nTry '%s --help'.\n", qPrintable(args.value(0)),
                 qPrintable(args.value(0)));
    return ExitUsage;
}

} // namespace emailrag::app
