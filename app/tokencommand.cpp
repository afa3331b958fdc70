// emailrag token NAME [--ttl 12h]: prints a signed access token for a user of the local data
// directory on stdout (for local admins and scripts). Uses the same key file as the server.

#include "cliutil.h"

#include "database.h"
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
    const QString dir = existingDataDir(parser);
    if (dir.isEmpty())
        return ExitFailure;
    const auto cfg = storage::DatabaseConfig::sqliteFile(dir + QStringLiteral("/emailrag.db"));
    if (const auto err = storage::Database::migrate(cfg, QStringLiteral("cli"))) {
        std::fprintf(stderr, "emailrag: database: %s\n", qPrintable(*err));
        return ExitFailure;
    }
    QSqlDatabase db = storage::Database::connection(cfg, QStringLiteral("cli"));
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
