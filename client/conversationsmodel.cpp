#include "conversationsmodel.h"

#include "connection.h"

#include <QLocale>

#include <algorithm>

namespace emailrag::client {

ConversationsModel::ConversationsModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void ConversationsModel::setConnection(Connection *connection)
{
    if (m_connection)
        disconnect(m_connection, nullptr, this, nullptr);
    m_connection = connection;
    if (!connection)
        return;
    connect(connection, &Connection::conversationsListed, this, [this](const QString &id, const protocol::Conversations &c) {
        if (id == m_listId) {
            m_listId.clear();
            setConversations(c.conversations);
        }
    });
    connect(connection, &Connection::conversationDeleted, this,
            [this](const QString &, const protocol::ConversationDeleted &d) { removeLocal(d.conversationId); });
    connect(connection, &Connection::chatComplete, this, [this](const QString &, const protocol::ChatResponseComplete &c) {
        // A new conversation or a new turn changes titles and order: ask again.
        if (rowOf(c.conversationId) != 0)
            refresh();
    });
}

QString ConversationsModel::refresh()
{
    if (!m_connection)
        return {};
    m_listId = m_connection->listConversations();
    return m_listId;
}

QString ConversationsModel::remove(const QString &conversationId)
{
    return m_connection ? m_connection->deleteConversation(conversationId) : QString();
}

void ConversationsModel::setConversations(const QList<protocol::ConversationSummary> &list)
{
    beginResetModel();
    m_items = list;
    std::stable_sort(m_items.begin(), m_items.end(),
                     [](const auto &a, const auto &b) { return a.updatedAt > b.updatedAt; });
    endResetModel();
    Q_EMIT refreshed();
}

void ConversationsModel::upsert(const protocol::ConversationSummary &summary)
{
    removeLocal(summary.conversationId);
    int pos = 0;
    while (pos < m_items.size() && m_items.at(pos).updatedAt > summary.updatedAt)
        ++pos;
    beginInsertRows({}, pos, pos);
    m_items.insert(pos, summary);
    endInsertRows();
}

void ConversationsModel::removeLocal(const QString &conversationId)
{
    const int row = rowOf(conversationId);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_items.removeAt(row);
    endRemoveRows();
}

int ConversationsModel::rowOf(const QString &conversationId) const
{
    for (int i = 0; i < m_items.size(); ++i) {
        if (m_items.at(i).conversationId == conversationId)
            return i;
    }
    return -1;
}

int ConversationsModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_items.size()); }

QVariant ConversationsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_items.size())
        return {};
    const protocol::ConversationSummary &c = m_items.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole:
        return c.title.isEmpty() ? tr("(untitled)") : c.title;
    case Qt::ToolTipRole:
        return QLocale().toString(c.updatedAt.toLocalTime(), QLocale::ShortFormat);
    case ConversationIdRole:
        return c.conversationId;
    case CreatedAtRole:
        return c.createdAt;
    case UpdatedAtRole:
        return c.updatedAt;
    }
    return {};
}

QHash<int, QByteArray> ConversationsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(ConversationIdRole, "conversationId");
    names.insert(TitleRole, "title");
    names.insert(CreatedAtRole, "createdAt");
    names.insert(UpdatedAtRole, "updatedAt");
    return names;
}

} // namespace emailrag::client
