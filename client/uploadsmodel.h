#pragma once

#include "servermessages.h"

#include <QAbstractListModel>
#include <QPointer>

namespace emailrag::client {

class Connection;

// Uploads with their progress: the bytes being sent (local transfers, from UploadJob) and then
// the server's processing (upload_progress pushes on channel "uploads"), newest first.
// Thread: GUI/main thread. Owner: its parent. With a connection it follows upload_progress and
// new_emails, and refresh() loads the list (list_uploads).
class UploadsModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        UploadIdRole = Qt::UserRole + 1,
        FilenameRole,
        StatusRole,   // "queued" | "receiving" | "processing" | "completed" | "failed" | "cancelled"
        ProgressRole, // 0..100, processing progress (or transfer progress while receiving)
        EmailsProcessedRole,
        TotalEmailsRole,
        OperationRole,
        ErrorRole,
        BytesSentRole,
        TotalBytesRole,
        NewEmailsRole, // count from new_emails, -1 until known
        CreatedAtRole,
        FinishedRole, // completed, failed or cancelled
    };
    Q_ENUM(Role)

    explicit UploadsModel(QObject *parent = nullptr);

    void setConnection(Connection *connection);
    QString refresh();

    void setUploads(const QList<protocol::UploadInfo> &uploads);
    void applyProgress(const protocol::UploadProgress &progress);
    void applyNewEmails(const protocol::NewEmails &news);
    // A local transfer (before/while the bytes go to the server).
    void setTransfer(const QString &uploadId, const QString &filename, qint64 sent, qint64 total);
    int rowOf(const QString &uploadId) const;
    const protocol::UploadInfo &upload(int row) const { return m_rows.at(row).info; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    struct Row
    {
        protocol::UploadInfo info;
        qint64 bytesSent = 0;
        qint64 totalBytes = 0;
        qint64 newEmails = -1;
    };
    int ensureRow(const QString &uploadId);
    void changed(int row);

    QPointer<Connection> m_connection;
    QList<Row> m_rows;
    QString m_listId;
};

} // namespace emailrag::client
