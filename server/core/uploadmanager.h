#pragma once

#include "servermessages.h"
#include "clientmessages.h"
#include "uploadframe.h"

#include <QFile>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>

namespace emailrag::ingest { class Importer; }

namespace emailrag::server {

class Session;
struct ServerContext;

// Uploads: receiving the bytes (WebSocket upload_start / binary frames / upload_finish, or one
// HTTP POST), checking size and SHA-256, and importing with the ingestion pipeline while pushing
// upload_progress and, at the end, new_emails to the owner's subscribed connections.
// The bytes go to DATA_DIR/uploads/<upload_id>.part; an interrupted upload (connection lost,
// server restarted) can be resumed from the bytes on disk for config.uploadResumeWindowSecs,
// after which it is discarded (status failed, file removed).
// Lives on the server thread, owned by the Server. Every call takes the requesting user and
// treats another user's upload exactly like an unknown one (NOT_FOUND).
class UploadManager : public QObject
{
    Q_OBJECT
public:
    UploadManager(ServerContext &context, QObject *parent = nullptr);
    ~UploadManager() override;

    // At start: restart imports interrupted by a crash or shutdown; expire stale receiving uploads.
    void resumeInterrupted();
    // At shutdown: stop running imports after their current batch, leaving them resumable.
    void checkpointAll();
    int running(qint64 userId = -1) const;

    void start(Session *session, const QString &rid, const protocol::UploadStart &m);
    void appendChunk(Session *session, const QString &uploadId, const protocol::UploadChunk &chunk);
    void finish(Session *session, const QString &rid, const protocol::UploadFinish &m);
    void cancel(Session *session, const QString &rid, const QString &uploadId);
    void list(Session *session, const QString &rid);
    void detach(Session *session); // connection closed: the upload stays resumable

    // HTTP POST /api/v1/uploads: takes over `path` (a complete file) and imports it.
    // Calls `done` with the upload_id, or an empty string on failure.
    void importFile(qint64 userId, const QString &filename, const QString &path, std::function<void(QString)> done);

private:
    struct Receiving
    {
        qint64 userId = 0;
        QString filename;
        qint64 expected = 0;
        qint64 received = 0;
        std::unique_ptr<QFile> file;
        QPointer<Session> owner;
        qint64 lastProgressPushMs = 0;
        bool finishing = false;
    };

    QString partPath(const QString &uploadId) const;
    void startImport(qint64 userId, const QString &uploadId, const QStringList &sources);
    void pushProgress(qint64 userId, const protocol::UploadProgress &p);
    void setStatus(const QString &uploadId, const QString &status, const QString &error = {});
    void expireStale();

    ServerContext &m_ctx;
    QHash<QString, Receiving *> m_receiving;
#if defined(HAVE_EMAILRAG_INGEST)
    QHash<QString, ingest::Importer *> m_importers;
    QHash<QString, qint64> m_importerUsers;
    QHash<QString, qint64> m_imported; // emails added so far per running import
#endif
    QTimer m_expiry;
    bool m_checkpointing = false;
};

} // namespace emailrag::server
