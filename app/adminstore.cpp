#include "adminstore.h"

#include "cliutil.h"
#include "database.h"

#include <cstdio>

namespace emailrag::app {

std::optional<AdminStore> openAdminStore(const QCommandLineParser &parser, bool create)
{
    const QString dir = create ? dataDir(parser) : existingDataDir(parser);
    if (dir.isEmpty())
        return std::nullopt;
    const auto cfg = storage::DatabaseConfig::sqliteFile(storage::defaultDatabasePath(dir));
    if (const auto err = storage::Database::migrate(cfg, QStringLiteral("cli"))) {
        std::fprintf(stderr, "emailrag: database: %s\n", qPrintable(*err));
        return std::nullopt;
    }
    return AdminStore{dir, storage::Database::connection(cfg, QStringLiteral("cli"))};
}

} // namespace emailrag::app
