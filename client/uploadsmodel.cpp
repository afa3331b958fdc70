#include "uploadsmodel.h"

#include "connection.h"

namespace emailrag::client {

UploadsModel::UploadsModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void UploadsModel::setConnection(Connection *connection)
{
    if (m_connection)
        disconnect(m_connection, nullptr, this, nullptr);
    m_connection = connection;
    if (!connection)
        return;
    connect(connection, &Connection::uploadProgress, this, &UploadsModel::applyProgress);
    connect(connection, &Connection::newEmails, this, &UploadsModel::applyNewEmails);
    connect(connection, &Connection::uploadsListed, this, [this](const QString &id, const protocol::Uploads &u) {
        if (id == m_listId) {
            m_listId.clear();
            setUploads(u.uploads);
        }
    });
}

QString UploadsModel::refresh()
{
    if (!m_connection)
        return {};
    m_listId = m_connection->listUploads();
    return m_listId;
}

void UploadsModel::setUploads(const QList<protocol::UploadInfo> &uploads)
{
    // Keep local transfer figures and new_emails counts of rows we already know.
    QHash<QString, Row> old;
    for (const Row &r : m_rows)
        old.insert(r.info.uploadId, r);
    beginResetModel();
    m_rows.clear();
    for (const protocol::UploadInfo &u : uploads) {
        Row r = old.value(u.uploadId);
        r.info = u;
        m_rows.append(r);
    }
    endResetModel();
}

int UploadsModel::rowOf(const QString &uploadId) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).info.uploadId == uploadId)
            return i;
    }
    return -1;
}

int UploadsModel::ensureRow(const QString &uploadId)
{
    int row = rowOf(uploadId);
    if (row >= 0)
        return row;
    beginInsertRows({}, 0, 0);
    Row r;
    r.info.uploadId = uploadId;
    r.info.createdAt = QDateTime::currentDateTimeUtc();
    m_rows.prepend(r);
    endInsertRows();
    return 0;
}

void UploadsModel::changed(int row)
{
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i);
}

void UploadsModel::applyProgress(const protocol::UploadProgress &p)
{
    const int row = ensureRow(p.uploadId);
    protocol::UploadInfo &info = m_rows[row].info;
    info.status = p.status;
    info.progress = p.progress;
    info.emailsProcessed = p.emailsProcessed;
    info.totalEmails = p.totalEmails;
    info.currentOperation = p.currentOperation;
    info.error = p.error;
    changed(row);
}

void UploadsModel::applyNewEmails(const protocol::NewEmails &news)
{
    if (!news.uploadId)
        return;
    const int row = rowOf(*news.uploadId);
    if (row < 0)
        return;
    m_rows[row].newEmails = news.count;
    changed(row);
}

void UploadsModel::setTransfer(const QString &uploadId, const QString &filename, qint64 sent, qint64 total)
{
    const int row = ensureRow(uploadId);
    Row &r = m_rows[row];
    if (!filename.isEmpty())
        r.info.filename = filename;
    r.bytesSent = sent;
    r.totalBytes = total;
    if (r.info.status == protocol::UploadStatus::Queued)
        r.info.status = protocol::UploadStatus::Receiving;
    changed(row);
}

int UploadsModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

QVariant UploadsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows.at(index.row());
    const protocol::UploadInfo &u = r.info;
    const bool finished = u.status == protocol::UploadStatus::Completed || u.status == protocol::UploadStatus::Failed
        || u.status == protocol::UploadStatus::Cancelled;
    switch (role) {
    case Qt::DisplayRole:
        if (u.status == protocol::UploadStatus::Receiving && r.totalBytes > 0)
            return tr("%1 — sending %2%").arg(u.filename).arg(r.bytesSent * 100 / r.totalBytes);
        if (u.status == protocol::UploadStatus::Failed)
            return tr("%1 — failed: %2").arg(u.filename, u.error.value_or(QString()));
        if (u.status == protocol::UploadStatus::Completed)
            return r.newEmails >= 0 ? tr("%1 — done, %n new email(s)", nullptr, int(r.newEmails)).arg(u.filename)
                                    : tr("%1 — done").arg(u.filename);
        return tr("%1 — %2 %3%").arg(u.filename, u.currentOperation).arg(u.progress);
    case UploadIdRole:
        return u.uploadId;
    case FilenameRole:
        return u.filename;
    case StatusRole:
        return protocol::uploadStatusName(u.status);
    case ProgressRole:
        if (u.status == protocol::UploadStatus::Receiving && r.totalBytes > 0)
            return int(r.bytesSent * 100 / r.totalBytes);
        return u.progress;
    case EmailsProcessedRole:
        return u.emailsProcessed;
    case TotalEmailsRole:
        return u.totalEmails;
    case OperationRole:
        return u.currentOperation;
    case ErrorRole:
        return u.error.value_or(QString());
    case BytesSentRole:
        return r.bytesSent;
    case TotalBytesRole:
        return r.totalBytes;
    case NewEmailsRole:
        return r.newEmails;
    case CreatedAtRole:
        return u.createdAt;
    case FinishedRole:
        return finished;
    }
    return {};
}

QHash<int, QByteArray> UploadsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(UploadIdRole, "uploadId");
    names.insert(FilenameRole, "filename");
    names.insert(StatusRole, "status");
    names.insert(ProgressRole, "progress");
    names.insert(EmailsProcessedRole, "emailsProcessed");
    names.insert(TotalEmailsRole, "totalEmails");
    names.insert(OperationRole, "operation");
    names.insert(ErrorRole, "error");
    names.insert(BytesSentRole, "bytesSent");
    names.insert(TotalBytesRole, "totalBytes");
    names.insert(NewEmailsRole, "newEmails");
    names.insert(CreatedAtRole, "createdAt");
    names.insert(FinishedRole, "finished");
    return names;
}

} // namespace emailrag::client
