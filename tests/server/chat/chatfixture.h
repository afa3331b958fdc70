#pragma once

#include "database.h"

#include <QDateTime>
#include <QString>
#include <QTemporaryDir>

#include <memory>

// A real SQLite database with every migration applied, users and hand-written emails (rows in
// emails and emails_fts, as ingestion writes them). For the chat tests. Test thread only.
class ChatFixture
{
public:
    ChatFixture();
    ~ChatFixture();
    bool ok() const { return m_ok; }
    emailrag::storage::DatabaseConfig config() const { return m_config; }

    qint64 addUser(const QString &name);
    struct Mail
    {
        QString subject;
        QString fromName;
        QString fromAddr;
        QString to;
        QDateTime date;
        QString body;           // new text
        QString quoted;         // quoted history
        QString messageId;
        QString inReplyTo;
        QString threadId;       // defaults to messageId
    };
    qint64 addEmail(qint64 userId, const Mail &mail);
    QSqlDatabase db();

private:
    QTemporaryDir m_dir;
    emailrag::storage::DatabaseConfig m_config;
    bool m_ok = false;
    int m_counter = 0;
};
