#include "searchresultsmodel.h"

#include "connection.h"

#include <QLocale>

#include <algorithm>

namespace emailrag::client {

SearchResultsModel::SearchResultsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void SearchResultsModel::setConnection(Connection *connection)
{
    if (m_connection)
        disconnect(m_connection, nullptr, this, nullptr);
    m_connection = connection;
    if (!connection)
        return;
    connect(connection, &Connection::searchResult, this, [this](const QString &id, const protocol::SearchResult &hit) {
        if (id == m_requestId && m_running)
            appendResult(hit);
    });
    connect(connection, &Connection::searchComplete, this, [this](const QString &id, const protocol::SearchComplete &c) {
        if (id == m_requestId)
            setComplete(c);
    });
    connect(connection, &Connection::searchRestarted, this, [this](const QString &id) {
        if (id != m_requestId)
            return;
        // Sent again after a reconnect: the server streams the whole list again.
        beginResetModel();
        m_rows.clear();
        endResetModel();
    });
    connect(connection, &Connection::errorReceived, this, [this](const QString &id, const protocol::ErrorMessage &e) {
        if (id != m_requestId || id.isEmpty())
            return;
        m_error = e.message;
        setRunning(false);
        Q_EMIT failed(e.message);
    });
    auto fail = [this](const QString &id, const QString &reason) {
        if (id != m_requestId || id.isEmpty())
            return;
        m_error = reason;
        setRunning(false);
        Q_EMIT failed(reason);
    };
    connect(connection, &Connection::requestFailed, this, fail);
    connect(connection, &Connection::requestTimedOut, this,
            [fail](const QString &id) { fail(id, tr("The server did not answer in time.")); });
}

QString SearchResultsModel::search(const QString &query, std::optional<int> limit)
{
    if (!m_connection)
        return {};
    if (m_running && !m_requestId.isEmpty())
        m_connection->cancelRequest(m_requestId);
    const QString id = m_connection->streamSearch(query, limit);
    reset(id, query);
    setRunning(true);
    return id;
}

void SearchResultsModel::cancel()
{
    if (m_connection && m_running && !m_requestId.isEmpty())
        m_connection->cancelRequest(m_requestId);
    setRunning(false);
}

void SearchResultsModel::reset(const QString &requestId, const QString &query)
{
    beginResetModel();
    m_rows.clear();
    m_requestId = requestId;
    m_query = query;
    m_complete.reset();
    m_error.clear();
    endResetModel();
    setRunning(!requestId.isEmpty());
}

void SearchResultsModel::setRunning(bool running)
{
    if (m_running == running)
        return;
    m_running = running;
    Q_EMIT runningChanged(running);
}

bool SearchResultsModel::lessThan(const Row &a, const Row &b) const
{
    switch (m_sortColumn) {
    case SubjectColumn:
        return QString::localeAwareCompare(a.hit.subject, b.hit.subject) < 0;
    case FromColumn: {
        const QString fa = a.hit.from ? (a.hit.from->name.isEmpty() ? a.hit.from->address : a.hit.from->name) : QString();
        const QString fb = b.hit.from ? (b.hit.from->name.isEmpty() ? b.hit.from->address : b.hit.from->name) : QString();
        return QString::localeAwareCompare(fa, fb) < 0;
    }
    case DateColumn:
        return a.hit.date.value_or(QDateTime()) < b.hit.date.value_or(QDateTime());
    case ScoreColumn:
        return a.hit.score < b.hit.score;
    default:
        return a.rank < b.rank;
    }
}

void SearchResultsModel::appendResult(const protocol::SearchResult &hit)
{
    Row row{hit, int(m_rows.size()) + 1};
    int pos = int(m_rows.size());
    if (m_sortColumn >= 0) {
        auto cmp = [this](const Row &x, const Row &y) { return m_sortOrder == Qt::AscendingOrder ? lessThan(x, y) : lessThan(y, x); };
        pos = int(std::upper_bound(m_rows.begin(), m_rows.end(), row, cmp) - m_rows.begin());
    }
    beginInsertRows({}, pos, pos);
    m_rows.insert(pos, std::move(row));
    endInsertRows();
    Q_EMIT resultAppended(pos);
}

void SearchResultsModel::setComplete(const protocol::SearchComplete &complete)
{
    m_complete = complete;
    setRunning(false);
    Q_EMIT completed(complete.totalResults, complete.processingTimeMs);
}

int SearchResultsModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

int SearchResultsModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant SearchResultsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows.at(index.row());
    const protocol::SearchResult &h = r.hit;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SubjectColumn:
            return h.subject.isEmpty() ? tr("(no subject)") : h.subject;
        case FromColumn:
            return h.from ? (h.from->name.isEmpty() ? h.from->address : h.from->name) : QString();
        case DateColumn:
            return h.date ? QLocale().toString(h.date->toLocalTime(), QLocale::ShortFormat) : QString();
        case ScoreColumn:
            return QString::number(h.score, 'f', 2);
        }
        return {};
    case Qt::ToolTipRole:
        return h.snippet.value_or(QString());
    case Qt::TextAlignmentRole:
        return index.column() == ScoreColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case EmailIdRole:
        return h.emailId;
    case SubjectRole:
        return h.subject;
    case FromNameRole:
        return h.from ? h.from->name : QString();
    case FromAddressRole:
        return h.from ? h.from->address : QString();
    case DateRole:
        return h.date.value_or(QDateTime());
    case ScoreRole:
        return h.score;
    case SnippetRole:
        return h.snippet.value_or(QString());
    case ThreadIdRole:
        return h.threadId.value_or(QString());
    case RankRole:
        return r.rank;
    }
    return {};
}

QVariant SearchResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SubjectColumn:
        return tr("Subject");
    case FromColumn:
        return tr("From");
    case DateColumn:
        return tr("Date");
    case ScoreColumn:
        return tr("Score");
    }
    return {};
}

QHash<int, QByteArray> SearchResultsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(EmailIdRole, "emailId");
    names.insert(SubjectRole, "subject");
    names.insert(FromNameRole, "fromName");
    names.insert(FromAddressRole, "fromAddress");
    names.insert(DateRole, "date");
    names.insert(ScoreRole, "score");
    names.insert(SnippetRole, "snippet");
    names.insert(ThreadIdRole, "threadId");
    names.insert(RankRole, "rank");
    return names;
}

void SearchResultsModel::sort(int column, Qt::SortOrder order)
{
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    QList<QString> ids;
    for (const QModelIndex &i : before)
        ids << m_rows.at(i.row()).hit.emailId + QLatin1Char('#') + QString::number(m_rows.at(i.row()).rank);
    m_sortColumn = column >= 0 && column < ColumnCount ? column : -1;
    m_sortOrder = order;
    std::stable_sort(m_rows.begin(), m_rows.end(),
                     [this](const Row &x, const Row &y) { return m_sortOrder == Qt::AscendingOrder ? lessThan(x, y) : lessThan(y, x); });
    QModelIndexList after;
    for (int k = 0; k < before.size(); ++k) {
        int row = 0;
        for (; row < m_rows.size(); ++row) {
            if (m_rows.at(row).hit.emailId + QLatin1Char('#') + QString::number(m_rows.at(row).rank) == ids.at(k))
                break;
        }
        after << index(row, before.at(k).column());
    }
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

} // namespace emailrag::client
