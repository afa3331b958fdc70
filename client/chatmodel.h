#pragma once

#include "servermessages.h"

#include <QAbstractListModel>
#include <QPointer>

namespace emailrag::client {

class Connection;

// One chat conversation: the turns in order; the assistant's answer grows chunk by chunk while it
// streams and gets its sources at the end. One row per turn.
//
// Thread: GUI/main thread. Owner: its parent. With a connection, ask() sends the question and the
// model follows only its own request ids; load() fetches an earlier conversation. Without one,
// feed it with addUserTurn()/appendChunk()/complete().
class ChatModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(bool busy READ isBusy NOTIFY busyChanged)
    Q_PROPERTY(QString conversationId READ conversationId NOTIFY conversationIdChanged)
public:
    enum Role {
        RoleRole = Qt::UserRole + 1, // "user" | "assistant"
        TextRole,
        SourcesRole,   // QVariantList of QVariantMap {emailId, relevance, subject, fromName, fromAddress, date, passage}
        StreamingRole, // bool: the answer is still growing
        ErrorRole,     // string: why the answer stopped (empty if fine)
        CreatedAtRole,
    };
    Q_ENUM(Role)

    explicit ChatModel(QObject *parent = nullptr);

    void setConnection(Connection *connection);
    // Adds the user's turn and an empty streaming answer, sends the question; returns request id.
    QString ask(const QString &question);
    // Replaces the turns with conversation `id` from the server (get_conversation).
    QString load(const QString &conversationId);
    void cancel();
    // Starts a new conversation (the next ask() creates it on the server).
    void clear();

    // Passive use.
    void setConversation(const protocol::Conversation &conversation);
    void addUserTurn(const QString &text, const QString &requestId = {});
    void appendChunk(const protocol::ChatResponseChunk &chunk);
    void complete(const protocol::ChatResponseComplete &complete);
    void fail(const QString &error);

    QString conversationId() const { return m_conversationId; }
    QString title() const { return m_title; }
    bool isBusy() const { return !m_requestId.isEmpty(); }
    const protocol::ChatTurn &turn(int row) const { return m_turns.at(row).turn; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void busyChanged(bool busy);
    void conversationIdChanged(const QString &conversationId);
    void answerGrew(int row, const QString &chunk);
    void answerCompleted(int row);
    void answerFailed(int row, const QString &error);
    void loaded();

private:
    struct Row
    {
        protocol::ChatTurn turn;
        bool streaming = false;
        QString error;
    };
    void setRequestId(const QString &id);
    void setConversationId(const QString &id);
    int streamingRow() const;

    QPointer<Connection> m_connection;
    QList<Row> m_turns;
    QString m_conversationId;
    QString m_title;
    QString m_requestId; // the running chat_message
    QString m_loadId;    // the running get_conversation
};

} // namespace emailrag::client
