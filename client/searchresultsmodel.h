#pragma once

#include "servermessages.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace emailrag::client {

class Connection;

// Hits of one streamed search, appended as they arrive; sortable by any column (later hits go
// to their sorted place). Columns: Subject, From, Date, Score. Each row also answers the roles
// below (for delegates and the command line).
//
// Thread: GUI/main thread. Owner: its parent (a view, a window or a command). With a connection
// (setConnection) it starts searches itself and follows that connection's signals for its own
// request id only; without one, feed it with appendResult()/setComplete().
class SearchResultsModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_PROPERTY(bool running READ isRunning NOTIFY runningChanged)
public:
    enum Column { SubjectColumn, FromColumn, DateColumn, ScoreColumn, ColumnCount };
    enum Role {
        EmailIdRole = Qt::UserRole + 1,
        SubjectRole,
        FromNameRole,
        FromAddressRole,
        DateRole,    // QDateTime (invalid if unknown)
        ScoreRole,   // double 0..1
        SnippetRole, // matched text, may be empty
        ThreadIdRole,
        RankRole,    // 1-based position in the server's order
    };
    Q_ENUM(Role)

    explicit SearchResultsModel(QObject *parent = nullptr);

    void setConnection(Connection *connection);
    // Clears the list and starts `query` on the connection; returns the request id.
    QString search(const QString &query, std::optional<int> limit = std::nullopt);
    // Stops the running search (cancel on the server).
    void cancel();

    // Passive use.
    void reset(const QString &requestId = {}, const QString &query = {});
    void appendResult(const protocol::SearchResult &hit);
    void setComplete(const protocol::SearchComplete &complete);

    QString requestId() const { return m_requestId; }
    QString query() const { return m_query; }
    bool isRunning() const { return m_running; }
    bool isComplete() const { return m_complete.has_value(); }
    qint64 totalResults() const { return m_complete ? m_complete->totalResults : 0; }
    qint64 processingTimeMs() const { return m_complete ? m_complete->processingTimeMs : 0; }
    QString errorText() const { return m_error; }
    const protocol::SearchResult &hit(int row) const { return m_rows.at(row).hit; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    void runningChanged(bool running);
    void resultAppended(int row);
    void completed(qint64 totalResults, qint64 processingTimeMs);
    void failed(const QString &error);

private:
    struct Row
    {
        protocol::SearchResult hit;
        int rank = 0;
    };
    bool lessThan(const Row &a, const Row &b) const;
    void setRunning(bool running);

    QPointer<Connection> m_connection;
    QString m_requestId;
    QString m_query;
    QList<Row> m_rows;
    std::optional<protocol::SearchComplete> m_complete;
    QString m_error;
    bool m_running = false;
    int m_sortColumn = -1; // -1: server order (rank)
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
};

} // namespace emailrag::client
