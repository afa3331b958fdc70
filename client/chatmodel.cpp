#include "chatmodel.h"

#include "connection.h"

#include <QVariantMap>

namespace emailrag::client {

ChatModel::ChatModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void ChatModel::setConnection(Connection *connection)
{
    if (m_connection)
        disconnect(m_connection, nullptr, this, nullptr);
    m_connection = connection;
    if (!connection)
        return;
    connect(connection, &Connection::chatChunk, this, [this](const QString &id, const protocol::ChatResponseChunk &c) {
        if (!id.isEmpty() && id == m_requestId)
            appendChunk(c);
    });
    connect(connection, &Connection::chatComplete, this, [this](const QString &id, const protocol::ChatResponseComplete &c) {
        if (!id.isEmpty() && id == m_requestId)
            complete(c);
    });
    connect(connection, &Connection::conversationReceived, this, [this](const QString &id, const protocol::Conversation &c) {
        if (!id.isEmpty() && id == m_loadId) {
            m_loadId.clear();
            setConversation(c);
        }
    });
    connect(connection, &Connection::errorReceived, this, [this](const QString &id, const protocol::ErrorMessage &e) {
        if (!id.isEmpty() && id == m_requestId)
            fail(e.message);
    });
    connect(connection, &Connection::requestFailed, this, [this](const QString &id, const QString &reason) {
        if (!id.isEmpty() && id == m_requestId)
            fail(reason);
    });
    connect(connection, &Connection::requestTimedOut, this, [this](const QString &id) {
        if (!id.isEmpty() && id == m_requestId)
            fail(tr("The server did not answer in time."));
    });
}

QString ChatModel::ask(const QString &question)
{
    if (!m_connection || isBusy())
        return {};
    std::optional<QString> conv;
    if (!m_conversationId.isEmpty())
        conv = m_conversationId;
    const QString id = m_connection->sendChat(question, conv);
    addUserTurn(question, id);
    return id;
}

QString ChatModel::load(const QString &conversationId)
{
    if (!m_connection)
        return {};
    m_loadId = m_connection->getConversation(conversationId);
    return m_loadId;
}

void ChatModel::cancel()
{
    if (m_connection && isBusy())
        m_connection->cancelRequest(m_requestId);
    fail(tr("Cancelled."));
}

void ChatModel::clear()
{
    beginResetModel();
    m_turns.clear();
    m_title.clear();
    endResetModel();
    setConversationId({});
    setRequestId({});
}

void ChatModel::setConversation(const protocol::Conversation &conversation)
{
    beginResetModel();
    m_turns.clear();
    for (const protocol::ChatTurn &t : conversation.turns)
        m_turns.append(Row{t, false, {}});
    m_title = conversation.title;
    endResetModel();
    setConversationId(conversation.conversationId);
    setRequestId({});
    Q_EMIT loaded();
}

void ChatModel::addUserTurn(const QString &text, const QString &requestId)
{
    const int first = int(m_turns.size());
    beginInsertRows({}, first, first + 1);
    protocol::ChatTurn user;
    user.role = protocol::ChatRole::User;
    user.text = text;
    user.createdAt = QDateTime::currentDateTimeUtc();
    m_turns.append(Row{user, false, {}});
    protocol::ChatTurn answer;
    answer.role = protocol::ChatRole::Assistant;
    answer.createdAt = QDateTime::currentDateTimeUtc();
    m_turns.append(Row{answer, true, {}});
    endInsertRows();
    setRequestId(requestId.isEmpty() ? QStringLiteral("local") : requestId);
}

int ChatModel::streamingRow() const
{
    for (int i = int(m_turns.size()) - 1; i >= 0; --i) {
        if (m_turns.at(i).streaming)
            return i;
    }
    return -1;
}

void ChatModel::appendChunk(const protocol::ChatResponseChunk &chunk)
{
    const int row = streamingRow();
    if (row < 0)
        return;
    m_turns[row].turn.text += chunk.chunk;
    if (!chunk.conversationId.isEmpty())
        setConversationId(chunk.conversationId);
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i, {Qt::DisplayRole, TextRole});
    Q_EMIT answerGrew(row, chunk.chunk);
}

void ChatModel::complete(const protocol::ChatResponseComplete &complete)
{
    const int row = streamingRow();
    if (!complete.conversationId.isEmpty())
        setConversationId(complete.conversationId);
    if (row >= 0) {
        m_turns[row].turn.sources = complete.sources;
        m_turns[row].streaming = false;
        const QModelIndex i = index(row);
        Q_EMIT dataChanged(i, i, {SourcesRole, StreamingRole});
    }
    setRequestId({});
    if (row >= 0)
        Q_EMIT answerCompleted(row);
}

void ChatModel::fail(const QString &error)
{
    const int row = streamingRow();
    if (row >= 0) {
        m_turns[row].streaming = false;
        m_turns[row].error = error;
        const QModelIndex i = index(row);
        Q_EMIT dataChanged(i, i, {StreamingRole, ErrorRole});
    }
    setRequestId({});
    if (row >= 0)
        Q_EMIT answerFailed(row, error);
}

void ChatModel::setRequestId(const QString &id)
{
    const bool was = isBusy();
    m_requestId = id;
    if (was != isBusy())
        Q_EMIT busyChanged(isBusy());
}

void ChatModel::setConversationId(const QString &id)
{
    if (m_conversationId == id)
        return;
    m_conversationId = id;
    Q_EMIT conversationIdChanged(id);
}

int ChatModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_turns.size()); }

QVariant ChatModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_turns.size())
        return {};
    const Row &r = m_turns.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TextRole:
        return r.turn.text;
    case RoleRole:
        return protocol::chatRoleName(r.turn.role);
    case SourcesRole: {
        QVariantList list;
        for (const protocol::ChatSource &s : r.turn.sources) {
            QVariantMap m;
            m.insert(QStringLiteral("emailId"), s.emailId);
            m.insert(QStringLiteral("relevance"), s.relevance);
            m.insert(QStringLiteral("subject"), s.subject.value_or(QString()));
            m.insert(QStringLiteral("fromName"), s.from ? s.from->name : QString());
            m.insert(QStringLiteral("fromAddress"), s.from ? s.from->address : QString());
            m.insert(QStringLiteral("date"), s.date.value_or(QDateTime()));
            m.insert(QStringLiteral("passage"), s.passage.value_or(QString()));
            list << m;
        }
        return list;
    }
    case StreamingRole:
        return r.streaming;
    case ErrorRole:
        return r.error;
    case CreatedAtRole:
        return r.turn.createdAt;
    }
    return {};
}

QHash<int, QByteArray> ChatModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(RoleRole, "role");
    names.insert(TextRole, "text");
    names.insert(SourcesRole, "sources");
    names.insert(StreamingRole, "streaming");
    names.insert(ErrorRole, "error");
    names.insert(CreatedAtRole, "createdAt");
    return names;
}

} // namespace emailrag::client
