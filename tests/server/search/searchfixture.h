#pragma once

#include "database.h"

#include <QDateTime>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

// A fresh migrated SQLite database in a temporary folder, with helpers that write emails the way
// the importer does (emails row + emails_fts row with the same rowid). Used until tests import
// real corpora through emailrag_ingest.
namespace emailrag::test {

struct FixtureEmail
{
    QString subject;
    QString fromName;
    QString fromAddr;
    QString to;
    QString cc;
    QString body;
    QString quoted;
    QDateTime date;
    QString threadId;   // defaults to a fresh thread
    QString uploadId;   // must exist in uploads when set (addUpload)
    QStringList attachments; // file names
    QString messageId;
};

class SearchFixture
{
public:
    SearchFixture();
    bool isValid() const { return m_valid; }
    storage::DatabaseConfig config() const { return m_config; }
    QSqlDatabase db();

    qint64 addUser(const QString &name);
    QString addUpload(qint64 userId, const QString &uploadId);
    qint64 addEmail(qint64 userId, const FixtureEmail &email);

private:
    QTemporaryDir m_dir;
    storage::DatabaseConfig m_config;
    bool m_valid = false;
    int m_counter = 0;
};

} // namespace emailrag::test
