#pragma once

#include "chattypes.h"

#include "dbworker.h"

#include <QFuture>
#include <optional>

namespace emailrag::chat {

// Conversations and turns in the database (migration 040_chat.sql), always scoped by user id.
// Every method queues its SQL on the DbWorker thread and returns a future; continue on your own
// thread with .then(context, ...). Failed queries are logged by storage and surface as
// ok == false / empty results.
class ConversationStore
{
public:
    explicit ConversationStore(storage::DbWorker &worker) : m_worker(worker) { }

    struct Opened
    {
        bool ok = false;
        ChatError error = ChatError::Internal;
        QString message;
        qint64 rowId = 0;        // chat_conversations.id
        QString publicId;
        QList<Turn> history;     // last complete turns (with sources), oldest first
        int nextSeq = 1;
    };
    // Finds or creates the conversation `publicId` of `userId` ("" → new "conv_<16 hex>").
    QFuture<Opened> open(qint64 userId, const QString &publicId, const QString &firstQuestion, int historyTurns = 4);

    // Stores one turn with its sources and touches the conversation's updated_at.
    QFuture<bool> saveTurn(qint64 conversationRowId, const Turn &turn, const QString &retrievalQuery);

    QFuture<QList<ConversationSummary>> list(qint64 userId);
    QFuture<std::optional<Conversation>> get(qint64 userId, const QString &publicId);
    QFuture<bool> remove(qint64 userId, const QString &publicId);

    static bool isValidId(const QString &id);
    static QString newId();

private:
    storage::DbWorker &m_worker;
};

} // namespace emailrag::chat
