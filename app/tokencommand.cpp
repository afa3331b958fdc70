// emailrag token NAME [--ttl 12h]: prints a signed access token for a user of the local data
// directory on stdout (for local admins and scripts). Uses the same key file as the server.

#include "adminstore.h"
#include "cliutil.h"

#include "tokenservice.h"
#include "userstore.h"

#include <QCommandLineParser>

#include <cstdio>

namespace emailrag::app {

int runTokenCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Print a signed access token (JWT) for user NAME on stdout."));
    addDataOption(parser);
    parser.addOption({QStringLiteral("ttl"), QStringLiteral("Lifetime: 90s, 30m, 12h (default), 7d."), QStringLiteral("DURATION"),
                      QStringLiteral("12h")});
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("The user."));
    if (const int rc = parseOrExit(parser, args); rc >= 0)
        return rc;
    if (parser.positionalArguments().size() != 1) {
        std::fprintf(stderr, "usage: emailrag token NAME [--ttl 12h]\n");
        return ExitUsage;
    }
    const auto ttl = server::parseDuration(parser.value(QStringLiteral("ttl")));
    if (!ttl) {
        std::fprintf(stderr, "emailrag: invalid --ttl '%s' (e.g. 90s, 30m, 12h, 7d)\n", qPrintable(parser.value(QStringLiteral("ttl"))));
        return ExitUsage;
    }
    auto store = openAdminStore(parser, false);
    if (!store)
        return ExitFailure;
    const QString dir = store->dir;
    QSqlDatabase &db = store->db;
    const auto user = server::UserStore::byName(db, parser.positionalArguments().first());
    if (!user) {
        std::fprintf(stderr, "emailrag: no user '%s'\n", qPrintable(parser.positionalArguments().first()));
        return ExitFailure;
    }
    QString error;
    const auto tokens = server::TokenService::load(dir, &error);
    if (!tokens) {
        std::fprintf(stderr, "emailrag: %s\n", qPrintable(error));
        return ExitFailure;
    }
    const QString token = tokens->issue(user->id, user->name, user->createdAt, *ttl);
    if (token.isEmpty())
        return ExitFailure;
    std::printf("%s\n", qPrintable(token));
    return ExitOk;
}

} // namespace emailrag::app
