#include "notificationsmodel.h"

#include "connection.h"

namespace emailrag::client {

NotificationsModel::NotificationsModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void NotificationsModel::setConnection(Connection *connection)
{
    if (m_connection)
        disconnect(m_connection, nullptr, this, nullptr);
    m_connection = connection;
    if (!connection)
        return;
    connect(connection, &Connection::messageReceived, this, [this](const protocol::ServerEnvelope &env) {
        if (const auto *n = std::get_if<protocol::SystemNotification>(&env.message))
            add(*n, env.timestamp);
    });
}

void NotificationsModel::add(const protocol::SystemNotification &notification, const QDateTime &when)
{
    beginInsertRows({}, 0, 0);
    m_items.prepend(Item{notification, when.isValid() ? when : QDateTime::currentDateTimeUtc(), false});
    endInsertRows();
    int unread = m_unread + 1;
    if (m_items.size() > m_capacity) {
        const int from = m_capacity;
        const int to = int(m_items.size()) - 1;
        beginRemoveRows({}, from, to);
        for (int i = to; i >= from; --i) {
            if (!m_items.at(i).read)
                --unread;
            m_items.removeAt(i);
        }
        endRemoveRows();
    }
    setUnread(unread);
    Q_EMIT notificationAdded(notification);
}

void NotificationsModel::markAllRead()
{
    for (Item &i : m_items)
        i.read = true;
    if (!m_items.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_items.size()) - 1), {ReadRole});
    setUnread(0);
}

void NotificationsModel::clear()
{
    beginResetModel();
    m_items.clear();
    endResetModel();
    setUnread(0);
}

void NotificationsModel::setUnread(int n)
{
    if (m_unread == n)
        return;
    m_unread = n;
    Q_EMIT unreadCountChanged(n);
}

int NotificationsModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_items.size()); }

QVariant NotificationsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_items.size())
        return {};
    const Item &i = m_items.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case MessageRole:
        return i.n.message;
    case LevelRole:
        return protocol::notificationLevelName(i.n.level);
    case ActionRequiredRole:
        return i.n.actionRequired;
    case TimestampRole:
        return i.when;
    case ReadRole:
        return i.read;
    }
    return {};
}

QHash<int, QByteArray> NotificationsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(LevelRole, "level");
    names.insert(MessageRole, "message");
    names.insert(ActionRequiredRole, "actionRequired");
    names.insert(TimestampRole, "timestamp");
    names.insert(ReadRole, "read");
    return names;
}

} // namespace emailrag::client
