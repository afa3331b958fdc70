#pragma once

#include "servermessages.h"

#include <QAbstractListModel>
#include <QPointer>

namespace emailrag::client {

class Connection;

// The user's conversations, most recently updated first. Thread: GUI/main thread. Owner: its
// parent. With a connection, refresh() asks the server (list_conversations) and remove() deletes
// one; a finished chat moves its conversation to the top (refreshed on chatComplete).
class ConversationsModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role { ConversationIdRole = Qt::UserRole + 1, TitleRole, CreatedAtRole, UpdatedAtRole };
    Q_ENUM(Role)

    explicit ConversationsModel(QObject *parent = nullptr);

    void setConnection(Connection *connection);
    QString refresh();
    QString remove(const QString &conversationId);

    void setConversations(const QList<protocol::ConversationSummary> &list);
    void upsert(const protocol::ConversationSummary &summary); // moves it to its place by updatedAt
    void removeLocal(const QString &conversationId);
    int rowOf(const QString &conversationId) const;
    const protocol::ConversationSummary &conversation(int row) const { return m_items.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void refreshed();

private:
    QPointer<Connection> m_connection;
    QList<protocol::ConversationSummary> m_items;
    QString m_listId;
};

} // namespace emailrag::client
