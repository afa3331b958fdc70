#pragma once

#include <QCommandLineParser>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace emailrag::app {

// The local store that the administration commands (user, token, notify) work on: the data
// directory of --data, migrated, with one connection named "cli". `create` is for `user add`
// only; the others need an existing store (existingDataDir). Prints why on stderr and returns
// nullopt when the store cannot be opened.
struct AdminStore
{
    QString dir;
    QSqlDatabase db;
};

std::optional<AdminStore> openAdminStore(const QCommandLineParser &parser, bool create);

} // namespace emailrag::app
