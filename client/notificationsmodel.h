#pragma once

#include "servermessages.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QPointer>

namespace emailrag::client {

class Connection;

// System notifications (system_notification pushes, plus the connection's own notes such as
// "reconnecting"), newest first, capped. Thread: GUI/main thread. Owner: its parent.
class NotificationsModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int unreadCount READ unreadCount NOTIFY unreadCountChanged)
public:
    enum Role { LevelRole = Qt::UserRole + 1, MessageRole, ActionRequiredRole, TimestampRole, ReadRole };
    Q_ENUM(Role)

    explicit NotificationsModel(QObject *parent = nullptr);

    void setConnection(Connection *connection); // follows system_notification pushes
    void add(const protocol::SystemNotification &notification, const QDateTime &when = {});
    void markAllRead();
    void clear();
    void setCapacity(int capacity) { m_capacity = capacity; }
    int unreadCount() const { return m_unread; }
    const protocol::SystemNotification &notification(int row) const { return m_items.at(row).n; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void unreadCountChanged(int count);
    void notificationAdded(const emailrag::protocol::SystemNotification &notification);

private:
    struct Item
    {
        protocol::SystemNotification n;
        QDateTime when;
        bool read = false;
    };
    void setUnread(int n);

    QPointer<Connection> m_connection;
    QList<Item> m_items;
    int m_capacity = 200;
    int m_unread = 0;
};

} // namespace emailrag::client
