#pragma once

#include "servermessages.h"

#include <QCryptographicHash>
#include <QFile>
#include <QObject>
#include <QPointer>

namespace emailrag::client {

class Connection;

// Sends one file to the server and follows it until it is indexed: upload_start ->
// upload_started (chunk size, resume offset) -> binary frames, at most a few un-acknowledged ->
// upload_finish (SHA-256) -> upload_finished -> upload_progress pushes until completed/failed,
// then new_emails for this upload. The connection must be subscribed to "uploads" for the
// processing part (start() subscribes).
//
// A lost connection does not end the job: once the Connection is back, the transfer resumes
// from the server's offset (upload_start with the upload id), or, after the bytes were
// verified, the upload's state is looked up (list_uploads). Only Offline/Unauthorized fail it.
//
// Thread: the connection's thread. Owner: its parent. Failures: failed(error) once, with the
// server's message or the local reason; after finished() or failed() the job is inert.
class UploadJob : public QObject
{
    Q_OBJECT
public:
    UploadJob(Connection *connection, const QString &path, QObject *parent = nullptr);

    void setFormat(const QString &format) { m_format = format; } // mbox|maildir|eml|zip; default: server detects
    void setWindow(int chunks) { m_window = chunks; }
    void start();
    void cancel();

    QString uploadId() const { return m_uploadId; }
    QString path() const { return m_path; }
    qint64 size() const { return m_size; }
    qint64 newEmails() const { return m_newEmails; }

Q_SIGNALS:
    void started(const QString &uploadId);
    void bytesSent(qint64 sent, qint64 total);    // sent and acknowledged by the server
    void transferred(const QString &uploadId);     // all bytes verified (upload_finished)
    void processing(const emailrag::protocol::UploadProgress &progress);
    void finished(const QString &uploadId, qint64 newEmails);
    void failed(const QString &error);

private:
    void onStarted(const QString &requestId, const protocol::UploadStarted &m);
    void onAck(const protocol::UploadAck &m);
    void onFinished(const QString &requestId, const protocol::UploadFinished &m);
    void onProgress(const protocol::UploadProgress &m);
    void onNewEmails(const protocol::NewEmails &m);
    void pump();
    void sendStart();
    void onStateChanged(int state);
    void fail(const QString &error);
    void succeed();

    QPointer<Connection> m_connection;
    QString m_path;
    QString m_format;
    QFile m_file;
    qint64 m_size = 0;
    qint64 m_chunkSize = 0;
    qint64 m_nextOffset = 0; // next byte to send
    qint64 m_acked = 0;
    int m_window = 4;
    QString m_startId;
    QString m_finishId;
    QString m_uploadId;
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
    bool m_processingDone = false;
    bool m_completed = false;
    qint64 m_newEmails = -1;
    bool m_over = false;
    bool m_transferred = false;   // upload_finished received
    bool m_resumePending = false; // connection lost; resume when it is back
    QString m_listId;             // list_uploads after a reconnect while processing
};

} // namespace emailrag::client
