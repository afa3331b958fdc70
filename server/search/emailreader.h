#pragma once

#include "searchtypes.h"

#include <QSqlDatabase>

#include <optional>

namespace emailrag::search {

// Loads one whole email (headers, texts, attachments, thread) for get_email, scoped to a user.
// Runs on the calling thread over a connection that thread owns. std::nullopt when the email
// does not exist or belongs to another user, or on a database error (logged by storage).
class EmailReader
{
public:
    explicit EmailReader(QSqlDatabase db);
    std::optional<EmailDetail> read(qint64 userId, qint64 rowId);

private:
    QSqlDatabase m_db;
};

} // namespace emailrag::search
