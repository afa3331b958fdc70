#include "uploadjob.h"

#include "clientlog.h"
#include "connection.h"

#include <QFileInfo>
#include <QTimer>

namespace emailrag::client {

namespace P = emailrag::protocol;

UploadJob::UploadJob(Connection *connection, const QString &path, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_path(path)
    , m_file(path)
{
}

void UploadJob::start()
{
    if (!m_connection)
        return fail(tr("No connection."));
    if (!m_file.open(QIODevice::ReadOnly))
        return fail(tr("Cannot read %1: %2").arg(m_path, m_file.errorString()));
    m_size = m_file.size();
    // The checksum covers the whole file whatever the resume point, so compute it first.
    if (!m_hash.addData(&m_file))
        return fail(tr("Cannot read %1: %2").arg(m_path, m_file.errorString()));
    m_file.seek(0);

    Connection *c = m_connection;
    connect(c, &Connection::uploadStarted, this, &UploadJob::onStarted);
    connect(c, &Connection::uploadAck, this, &UploadJob::onAck);
    connect(c, &Connection::uploadFinished, this, &UploadJob::onFinished);
    connect(c, &Connection::uploadProgress, this, &UploadJob::onProgress);
    connect(c, &Connection::newEmails, this, &UploadJob::onNewEmails);
    connect(c, &Connection::errorReceived, this, [this](const QString &id, const P::ErrorMessage &e) {
        if (!id.isEmpty() && (id == m_startId || id == m_finishId))
            fail(e.message);
        else if (id.isEmpty() && e.code == P::ErrorCode::UploadFailed && !m_uploadId.isEmpty()
                 && e.details.value(QLatin1String("upload_id")).toString() == m_uploadId)
            fail(e.message);
    });
    connect(c, &Connection::stateChanged, this, [this](Connection::State st) { onStateChanged(int(st)); });
    connect(c, &Connection::requestTimedOut, this, [this](const QString &id) {
        if (!id.isEmpty() && (id == m_startId || id == m_finishId))
            fail(tr("The server did not answer in time."));
    });
    connect(c, &Connection::uploadsListed, this, [this](const QString &id, const P::Uploads &list) {
        if (id != m_listId || m_over)
            return;
        for (const P::UploadInfo &u : list.uploads) {
            if (u.uploadId != m_uploadId)
                continue;
            if (u.status == P::UploadStatus::Completed)
                succeed(); // finished while we were away; the new-email count was missed
            else if (u.status == P::UploadStatus::Failed || u.status == P::UploadStatus::Cancelled)
                fail(u.error.value_or(tr("Processing failed.")));
        }
    });
    c->subscribe({P::Channel::Uploads});
    sendStart();
}

void UploadJob::sendStart()
{
    P::UploadStart s;
    s.filename = QFileInfo(m_path).fileName().left(P::Limits::MaxFilenameLength);
    s.size = m_size;
    if (!m_format.isEmpty())
        s.format = m_format;
    if (!m_uploadId.isEmpty())
        s.uploadId = m_uploadId; // resume: the server answers with what it already has
    m_finishId.clear();
    m_startId = m_connection->send(s);
}

void UploadJob::onStateChanged(int state)
{
    if (m_over || !m_connection)
        return;
    const auto st = Connection::State(state);
    if (st == Connection::State::Offline || st == Connection::State::Unauthorized)
        return fail(m_connection->lastError().isEmpty() ? tr("Disconnected from the server.") : m_connection->lastError());
    if (st != Connection::State::Connected) {
        // Frames in flight belong to the lost socket; the server keeps what it acknowledged.
        if (!m_transferred)
            m_resumePending = true;
        return;
    }
    if (m_resumePending) {
        m_resumePending = false;
        qCInfo(lcClient) << "resuming upload" << m_uploadId << "of" << m_path;
        sendStart();
    } else if (m_transferred) {
        m_listId = m_connection->listUploads();
    }
}

void UploadJob::cancel()
{
    if (m_connection && !m_uploadId.isEmpty())
        m_connection->cancelUpload(m_uploadId);
    fail(tr("Cancelled."));
}

void UploadJob::onStarted(const QString &requestId, const P::UploadStarted &m)
{
    if (requestId != m_startId || m_over)
        return;
    if (!m_uploadId.isEmpty() && m.uploadId != m_uploadId)
        return fail(tr("The server did not resume upload %1.").arg(m_uploadId));
    m_uploadId = m.uploadId;
    m_chunkSize = qMax<qint64>(1, m.chunkSize);
    m_nextOffset = m.offset;
    m_acked = m.offset;
    Q_EMIT started(m_uploadId);
    Q_EMIT bytesSent(m_acked, m_size);
    pump();
}

void UploadJob::pump()
{
    if (m_over || !m_connection)
        return;
    // Flow control: at most m_window chunks not yet acknowledged.
    while (m_nextOffset < m_size && m_nextOffset - m_acked < m_window * m_chunkSize) {
        if (!m_file.seek(m_nextOffset))
            return fail(tr("Cannot read %1: %2").arg(m_path, m_file.errorString()));
        const QByteArray data = m_file.read(qMin(m_chunkSize, m_size - m_nextOffset));
        if (data.isEmpty())
            return fail(tr("Cannot read %1: %2").arg(m_path, m_file.errorString()));
        m_connection->sendUploadChunk(quint64(m_nextOffset), data);
        m_nextOffset += data.size();
    }
    if (m_acked >= m_size && m_finishId.isEmpty())
        m_finishId = m_connection->send(P::UploadFinish{m_uploadId, QString::fromLatin1(m_hash.result().toHex())});
}

void UploadJob::onAck(const P::UploadAck &m)
{
    if (m.uploadId != m_uploadId || m_over)
        return;
    m_acked = qMax(m_acked, m.received);
    Q_EMIT bytesSent(m_acked, m_size);
    pump();
}

void UploadJob::onFinished(const QString &requestId, const P::UploadFinished &m)
{
    if (requestId != m_finishId || m_over)
        return;
    m_transferred = true;
    Q_EMIT transferred(m.uploadId);
}

void UploadJob::onProgress(const P::UploadProgress &m)
{
    if (m.uploadId != m_uploadId || m_over)
        return;
    Q_EMIT processing(m);
    if (m.status == P::UploadStatus::Failed || m.status == P::UploadStatus::Cancelled)
        return fail(m.error.value_or(tr("Processing failed.")));
    if (m.status == P::UploadStatus::Completed) {
        m_completed = true;
        if (m_newEmails >= 0)
            return succeed();
        // new_emails may follow the final progress message; wait a little for it.
        QTimer::singleShot(3000, this, [this] { succeed(); });
    }
}

void UploadJob::onNewEmails(const P::NewEmails &m)
{
    if (!m.uploadId || *m.uploadId != m_uploadId || m_over)
        return;
    m_newEmails = m.count;
    if (m_completed)
        succeed();
}

void UploadJob::fail(const QString &error)
{
    if (m_over)
        return;
    m_over = true;
    qCInfo(lcClient) << "upload of" << m_path << "failed:" << error;
    Q_EMIT failed(error);
}

void UploadJob::succeed()
{
    if (m_over)
        return;
    m_over = true;
    Q_EMIT finished(m_uploadId, m_newEmails);
}

} // namespace emailrag::client
