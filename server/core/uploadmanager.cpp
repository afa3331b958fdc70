#include "uploadmanager.h"

#include "futurewatch.h"
#include "hub.h"
#include "logging.h"
#include "metrics.h"
#include "servercontext.h"
#include "session.h"

#include "dbworker.h"

#if defined(HAVE_EMAILRAG_INGEST)
#include "importer.h"
#include "importtypes.h"
#include "uploads.h"
#endif
#if defined(HAVE_EMAILRAG_SEARCH)
#include "searchengine.h"
#endif

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSqlQuery>
#include <QtConcurrent/QtConcurrentRun>

#include <sodium.h>

namespace emailrag::server {

using namespace emailrag::protocol;
using storage::Database;

namespace {

QString newUploadId()
{
    unsigned char raw[8];
    randombytes_buf(raw, sizeof raw);
    return QStringLiteral("upload_") + QString::fromLatin1(QByteArray(reinterpret_cast<char *>(raw), sizeof raw).toHex());
}

QString nowIso() { return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs); }

struct UploadRow
{
    bool found = false;
    qint64 userId = 0;
    QString filename;
    qint64 size = 0;
    QString status;
};

constexpr qint64 kProgressPushMs = 500;

} // namespace

UploadManager::UploadManager(ServerContext &context, QObject *parent) : QObject(parent), m_ctx(context)
{
    QDir().mkpath(m_ctx.config.uploadsDir());
    m_expiry.setInterval(std::max(1000, std::min(300000, m_ctx.config.uploadResumeWindowSecs * 1000 / 4)));
    connect(&m_expiry, &QTimer::timeout, this, &UploadManager::expireStale);
    m_expiry.start();
}

UploadManager::~UploadManager()
{
    checkpointAll();
    qDeleteAll(m_receiving);
}

QString UploadManager::partPath(const QString &uploadId) const
{
    return QDir(m_ctx.config.uploadsDir()).filePath(uploadId + QStringLiteral(".part"));
}

int UploadManager::running(qint64 userId) const
{
    int n = 0;
    for (const Receiving *r : m_receiving)
        n += (userId < 0 || r->userId == userId);
#if defined(HAVE_EMAILRAG_INGEST)
    for (auto it = m_importerUsers.cbegin(); it != m_importerUsers.cend(); ++it)
        n += (userId < 0 || it.value() == userId);
#endif
    return n;
}

void UploadManager::pushProgress(qint64 userId, const UploadProgress &p)
{
    m_ctx.hub->publishToUser(userId, Channel::Uploads, p);
}

void UploadManager::setStatus(const QString &uploadId, const QString &status, const QString &error)
{
    m_ctx.db->run([uploadId, status, error](QSqlDatabase &db) {
        QSqlQuery q(db);
        return Database::exec(q, QStringLiteral("UPDATE uploads SET status = ?, error = ?, updated_at = ? WHERE id = ?"),
                              {status, error.isEmpty() ? QVariant() : QVariant(error), nowIso(), uploadId});
    });
}

void UploadManager::start(Session *session, const QString &rid, const UploadStart &m)
{
    if (m.size > m_ctx.config.maxUploadBytes) {
        session->sendError(ErrorCode::PayloadTooLarge,
                           QStringLiteral("upload of %1 bytes exceeds the server's limit of %2 bytes").arg(m.size).arg(m_ctx.config.maxUploadBytes),
                           rid, {{QStringLiteral("max_bytes"), double(m_ctx.config.maxUploadBytes)}});
        return;
    }
    const qint64 userId = session->userId();
    QPointer<Session> s(session);
    auto reply = [this, s, rid](const QString &id, qint64 offset) {
        if (!s)
            return;
        s->m_activeUpload = id;
        UploadStarted st;
        st.uploadId = id;
        st.chunkSize = m_ctx.config.uploadChunkBytes;
        st.offset = offset;
        s->send(st, rid);
    };

    if (m.uploadId) {
        const QString id = *m.uploadId;
        if (Receiving *r = m_receiving.value(id); r && r->userId == userId && !r->finishing) {
            if (r->expected != m.size)
                return session->sendError(ErrorCode::UploadFailed, QStringLiteral("size differs from the interrupted upload"), rid);
            r->owner = session;
            reply(id, r->received);
            return;
        }
        const QString path = partPath(id);
        const int window = m_ctx.config.uploadResumeWindowSecs;
        whenFinished(this, m_ctx.db->run([id](QSqlDatabase &db) {
            UploadRow row;
            QSqlQuery q(db);
            if (Database::exec(q, QStringLiteral("SELECT user_id, filename, size_bytes, status FROM uploads WHERE id = ?"), {id}) && q.next())
                row = {true, q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toLongLong(), q.value(3).toString()};
            return row;
        }),
            [this, s, rid, id, path, userId, window, size = m.size, reply](const UploadRow &row) {
                if (!s)
                    return;
                const QFileInfo fi(path);
                // Another user's upload is reported exactly like an unknown one.
                if (!row.found || row.userId != userId || row.status != QLatin1String("receiving") || !fi.exists()
                    || m_receiving.contains(id))
                    return s->sendError(ErrorCode::NotFound, QStringLiteral("no resumable upload with that id"), rid);
                if (fi.lastModified().secsTo(QDateTime::currentDateTime()) > window)
                    return s->sendError(ErrorCode::NotFound,
                        QStringLiteral("the upload was not resumed within the resume window"), rid);
                if (row.size != size)
                    return s->sendError(
                        ErrorCode::UploadFailed, QStringLiteral("size differs from the interrupted upload"), rid);
                auto *r = new Receiving;
                r->userId = userId;
                r->filename = row.filename;
                r->expected = row.size;
                r->file = std::make_unique<QFile>(path);
                if (!r->file->open(QIODevice::ReadWrite | QIODevice::Append)) {
                    delete r;
                    return s->sendError(ErrorCode::UploadFailed, QStringLiteral("cannot reopen the stored bytes"), rid);
                }
                r->received = r->file->size();
                r->owner = s;
                m_receiving.insert(id, r);
                reply(id, r->received);
            });
        return;
    }

    const QString id = newUploadId();
    auto *r = new Receiving;
    r->userId = userId;
    r->filename = m.filename;
    r->expected = m.size;
    r->owner = session;
    r->file = std::make_unique<QFile>(partPath(id));
    if (!r->file->open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        delete r;
        return session->sendError(ErrorCode::UploadFailed, QStringLiteral("cannot store the upload"), rid);
    }
    m_receiving.insert(id, r);
    m_ctx.metrics->uploadStarted();
    whenFinished(this,
        m_ctx.db->run([id, userId, filename = m.filename, format = m.format.value_or(QString()), size = m.size](
                          QSqlDatabase &db) {
            QSqlQuery q(db);
            const QString now = nowIso();
            return Database::exec(q,
                QStringLiteral(
                    "INSERT INTO uploads(id, user_id, filename, format, size_bytes, status, current_operation, "
                    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'receiving', 'receiving', ?, ?)"),
                { id, userId, filename, format.isEmpty() ? QVariant() : QVariant(format), size, now, now });
        }),
        [this, s, rid, id, userId, reply](bool ok) {
            if (!ok) {
                if (Receiving *rr = m_receiving.take(id)) {
                    rr->file->remove();
                    delete rr;
                }
                if (s)
                    s->sendError(ErrorCode::InternalError, QStringLiteral("cannot record the upload"), rid);
                return;
            }
            reply(id, 0);
            UploadProgress p;
            p.uploadId = id;
            p.status = UploadStatus::Receiving;
            p.currentOperation = QStringLiteral("receiving");
            pushProgress(userId, p);
            m_ctx.hub->systemStatusChanged();
        });
}

void UploadManager::appendChunk(Session *session, const QString &uploadId, const UploadChunk &chunk)
{
    Receiving *r = m_receiving.value(uploadId);
    if (!r || r->userId != session->userId() || r->finishing) {
        session->sendError(ErrorCode::NotFound, QStringLiteral("the upload of this connection is not receiving"), {},
                           {{QStringLiteral("upload_id"), uploadId}});
        return;
    }
    r->owner = session;
    if (qint64(chunk.offset) != r->received) {
        session->sendError(ErrorCode::UploadFailed, QStringLiteral("chunk offset %1 does not continue the upload").arg(chunk.offset), {},
                           {{QStringLiteral("upload_id"), uploadId}, {QStringLiteral("expected_offset"), double(r->received)}});
        return;
    }
    if (r->received + chunk.payload.size() > r->expected) {
        session->sendError(ErrorCode::UploadFailed, QStringLiteral("more bytes than announced in upload_start"), {},
                           {{QStringLiteral("upload_id"), uploadId}});
        return;
    }
    if (r->file->write(chunk.payload) != chunk.payload.size() || !r->file->flush()) {
        session->sendError(ErrorCode::UploadFailed, QStringLiteral("cannot store the bytes (disk full?)"), {},
                           {{QStringLiteral("upload_id"), uploadId}});
        return;
    }
    r->received += chunk.payload.size();
    session->send(UploadAck{uploadId, r->received});
    const qint64 now = m_ctx.nowMs();
    if (now - r->lastProgressPushMs >= kProgressPushMs || r->received == r->expected) {
        r->lastProgressPushMs = now;
        UploadProgress p;
        p.uploadId = uploadId;
        p.status = UploadStatus::Receiving;
        p.progress = r->expected > 0 ? int(r->received * 100 / r->expected) : 100;
        p.currentOperation = QStringLiteral("receiving");
        pushProgress(r->userId, p);
    }
}

void UploadManager::finish(Session *session, const QString &rid, const UploadFinish &m)
{
    Receiving *r = m_receiving.value(m.uploadId);
    if (!r || r->userId != session->userId())
        return session->sendError(ErrorCode::NotFound, QStringLiteral("no upload with that id is receiving"), rid);
    if (r->finishing)
        return session->sendError(ErrorCode::Conflict, QStringLiteral("upload_finish already received"), rid);
    if (r->received != r->expected)
        return session->sendError(ErrorCode::UploadFailed,
                                  QStringLiteral("received %1 of %2 bytes").arg(r->received).arg(r->expected), rid,
                                  {{QStringLiteral("received"), double(r->received)}, {QStringLiteral("expected"), double(r->expected)}});
    r->finishing = true;
    r->file->close();
    const QString path = r->file->fileName();
    const QString id = m.uploadId;
    const QString expectedHash = m.sha256.toLower();
    QPointer<Session> s(session);
    // Hashing gigabytes takes seconds: off the event loop.
    whenFinished(this, QtConcurrent::run([path] {
        QFile f(path);
        QCryptographicHash h(QCryptographicHash::Sha256);
        if (!f.open(QIODevice::ReadOnly) || !h.addData(&f))
            return QString();
        return QString::fromLatin1(h.result().toHex());
    }),
        [this, s, rid, id, path, expectedHash](const QString &actual) {
            std::unique_ptr<Receiving> r(m_receiving.take(id));
            if (!r)
                return;
            if (actual != expectedHash) {
                QFile::remove(path);
                setStatus(id, QStringLiteral("failed"), QStringLiteral("checksum mismatch"));
                m_ctx.metrics->uploadFailed();
                if (s)
                    s->sendError(ErrorCode::UploadFailed,
                        QStringLiteral("SHA-256 mismatch: the file arrived damaged; upload it again"), rid,
                        { { QStringLiteral("upload_id"), id }, { QStringLiteral("sha256"), actual } });
                UploadProgress p;
                p.uploadId = id;
                p.status = UploadStatus::Failed;
                p.currentOperation = QStringLiteral("receiving");
                p.error = QStringLiteral("checksum mismatch");
                pushProgress(r->userId, p);
                m_ctx.hub->systemStatusChanged();
                return;
            }
            const qint64 userId = r->userId;
            const qint64 size = r->expected;
            whenFinished(this, m_ctx.db->run([id, path, actual](QSqlDatabase &db) {
                QSqlQuery q(db);
                return Database::exec(q,
                    QStringLiteral("UPDATE uploads SET status = 'queued', current_operation = 'parsing', sha256 = ?, "
                                   "source_path = ?, updated_at = ? WHERE id = ?"),
                    { actual, path, nowIso(), id });
            }),
                [this, s, rid, id, path, userId, size](bool) {
                    if (s) {
                        if (s->m_activeUpload == id)
                            s->m_activeUpload.clear();
                        s->send(UploadFinished { id, size }, rid);
                    }
                    startImport(userId, id, { path });
                });
        });
}

void UploadManager::startImport(qint64 userId, const QString &uploadId, const QStringList &sources)
{
#if defined(HAVE_EMAILRAG_INGEST)
    if (m_importers.contains(uploadId) || m_checkpointing)
        return;
    auto *importer = new ingest::Importer(m_ctx.database, userId, uploadId, sources, this);
    m_importers.insert(uploadId, importer);
    m_importerUsers.insert(uploadId, userId);
    m_imported.insert(uploadId, 0);
    connect(importer, &ingest::Importer::progressChanged, this, [this, userId](const ingest::ImportProgress &ip) {
        UploadProgress p;
        p.uploadId = ip.uploadId;
        p.status = uploadStatusFromName(ingest::toString(ip.status)).value_or(UploadStatus::Processing);
        p.progress = std::clamp(ip.percent(), 0, 100);
        p.emailsProcessed = ip.emailsProcessed;
        p.totalEmails = ip.totalEmails;
        p.currentOperation = ingest::toString(ip.operation);
        pushProgress(userId, p);
    });
    connect(importer, &ingest::Importer::emailsImported, this, [this, userId](const QString &id, const QList<qint64> &ids) {
        m_imported[id] += ids.size();
        m_ctx.metrics->emailsIndexed(ids.size());
        for (Session *s : m_ctx.hub->sessionsOf(userId))
            s->onEmailsIndexed(ids);
    });
    connect(importer, &ingest::Importer::finished, this, [this, userId, importer](const ingest::ImportSummary &sum) {
        const QString id = importer->uploadId();
        m_importers.remove(id);
        m_importerUsers.remove(id);
        const qint64 added = m_imported.take(id);
        importer->deleteLater();
        if (m_checkpointing && sum.status == ingest::ImportStatus::Cancelled) {
            // Stopped by shutdown, not by the user: leave it for resumeInterrupted() at the next start.
            setStatus(id, QStringLiteral("processing"));
            return;
        }
        UploadProgress p;
        p.uploadId = id;
        p.status = uploadStatusFromName(ingest::toString(sum.status)).value_or(UploadStatus::Failed);
        p.progress = sum.status == ingest::ImportStatus::Completed ? 100 : 0;
        p.emailsProcessed = sum.processed;
        p.totalEmails = sum.processed;
        p.currentOperation = QStringLiteral("done");
        if (sum.status == ingest::ImportStatus::Failed)
            p.error = sum.error.isEmpty() ? QStringLiteral("import failed") : sum.error;
        pushProgress(userId, p);
#if defined(HAVE_EMAILRAG_SEARCH)
        // Embedding stage after indexing (docs/search.md): searchable already; progress as "embedding".
        if (sum.status == ingest::ImportStatus::Completed && m_ctx.search)
            m_ctx.search->embed(userId, this, [this, userId, p](qint64 done, qint64 total, bool finished) {
                if (total == 0)
                    return;
                UploadProgress e = p;
                e.progress = finished ? 100 : int(done * 100 / total);
                e.currentOperation = finished ? QStringLiteral("done") : QStringLiteral("embedding");
                pushProgress(userId, e);
            });
#endif
        if (sum.status == ingest::ImportStatus::Completed)
            m_ctx.metrics->uploadCompleted();
        else if (sum.status == ingest::ImportStatus::Failed)
            m_ctx.metrics->uploadFailed();
        NewEmails n;
        n.count = added;
        n.uploadId = id;
        m_ctx.hub->publishToUser(userId, QStringList{Channel::Uploads, Channel::SearchResults}, n);
        m_ctx.hub->systemStatusChanged();
    });
    importer->start();
    m_ctx.hub->systemStatusChanged();
#else
    Q_UNUSED(sources);
    setStatus(uploadId, QStringLiteral("failed"), QStringLiteral("ingestion is not part of this build"));
    UploadProgress p;
    p.uploadId = uploadId;
    p.status = UploadStatus::Failed;
    p.currentOperation = QStringLiteral("parsing");
    p.error = QStringLiteral("ingestion is not part of this build");
    pushProgress(userId, p);
#endif
}

void UploadManager::cancel(Session *session, const QString &rid, const QString &uploadId)
{
    const qint64 userId = session->userId();
    if (Receiving *r = m_receiving.value(uploadId); r && r->userId == userId && !r->finishing) {
        std::unique_ptr<Receiving> owned(m_receiving.take(uploadId));
        owned->file->remove();
        setStatus(uploadId, QStringLiteral("cancelled"));
        if (session->m_activeUpload == uploadId)
            session->m_activeUpload.clear();
        Cancelled c;
        c.uploadId = uploadId;
        session->send(c, rid);
        UploadProgress p;
        p.uploadId = uploadId;
        p.status = UploadStatus::Cancelled;
        p.progress = owned->expected > 0 ? int(owned->received * 100 / owned->expected) : 0;
        p.currentOperation = QStringLiteral("receiving");
        pushProgress(userId, p);
        m_ctx.hub->systemStatusChanged();
        return;
    }
#if defined(HAVE_EMAILRAG_INGEST)
    if (auto *imp = m_importers.value(uploadId); imp && m_importerUsers.value(uploadId) == userId) {
        imp->cancel(); // finished(Cancelled) -> upload_progress cancelled
        Cancelled c;
        c.uploadId = uploadId;
        session->send(c, rid);
        return;
    }
#endif
    session->sendError(ErrorCode::NotFound, QStringLiteral("no running upload with that id"), rid);
}

void UploadManager::list(Session *session, const QString &rid)
{
    QPointer<Session> s(session);
    whenFinished(this, m_ctx.db->run([userId = session->userId()](QSqlDatabase &db) {
        QList<UploadInfo> out;
        QSqlQuery q(db);
        if (!Database::exec(q, QStringLiteral("SELECT id, filename, status, emails_processed, total_emails, current_operation, error, "
                                              "created_at FROM uploads WHERE user_id = ? ORDER BY created_at DESC, id LIMIT 500"),
                            {userId}))
            return out;
        while (q.next()) {
            UploadInfo u;
            u.uploadId = q.value(0).toString();
            u.filename = q.value(1).toString();
            u.status = uploadStatusFromName(q.value(2).toString()).value_or(UploadStatus::Failed);
            u.emailsProcessed = q.value(3).toLongLong();
            u.totalEmails = q.value(4).toLongLong();
            u.progress = u.status == UploadStatus::Completed ? 100
                : u.totalEmails > 0 ? int(std::min<qint64>(100, u.emailsProcessed * 100 / u.totalEmails)) : 0;
            u.currentOperation = q.value(5).toString();
            if (!q.value(6).isNull())
                u.error = q.value(6).toString();
            u.createdAt = QDateTime::fromString(q.value(7).toString(), Qt::ISODateWithMs).toUTC();
            out.append(u);
        }
        return out;
    }),
        [this, s, rid](QList<UploadInfo> uploads) {
            if (!s)
                return;
            for (UploadInfo &u : uploads) {
                if (const Receiving *r = m_receiving.value(u.uploadId))
                    u.progress = r->expected > 0 ? int(r->received * 100 / r->expected) : 0;
            }
            s->send(Uploads { uploads }, rid);
        });
}

void UploadManager::detach(Session *session)
{
    for (Receiving *r : std::as_const(m_receiving)) {
        if (r->owner == session) {
            r->file->flush();
            r->owner = nullptr;
        }
    }
}

void UploadManager::importFile(qint64 userId, const QString &filename, const QString &path, std::function<void(QString)> done)
{
#if defined(HAVE_EMAILRAG_INGEST)
    const qint64 size = QFileInfo(path).size();
    m_ctx.metrics->uploadStarted();
    whenFinished(this, m_ctx.db->run([userId, filename, path, size](QSqlDatabase &db) {
        return ingest::createUpload(db, userId, filename, {path}, size).value_or(QString());
    }),
        [this, userId, path, done](const QString &id) {
            if (id.isEmpty()) {
                QFile::remove(path);
                done(QString());
                return;
            }
            startImport(userId, id, { path });
            done(id);
        });
#else
    Q_UNUSED(userId);
    Q_UNUSED(filename);
    QFile::remove(path);
    done(QString());
#endif
}

void UploadManager::resumeInterrupted()
{
#if defined(HAVE_EMAILRAG_INGEST)
    whenFinished(this, m_ctx.db->run([](QSqlDatabase &db) { return ingest::interruptedUploads(db); }),
        [this](const QList<ingest::InterruptedUpload> &list) {
            for (const auto &u : list) {
                qCInfo(lcCore) << "resuming interrupted import" << u.uploadId;
                startImport(u.userId, u.uploadId, {});
            }
        });
#endif
    expireStale();
}

void UploadManager::expireStale()
{
    const int window = m_ctx.config.uploadResumeWindowSecs;
    const QDateTime now = QDateTime::currentDateTime();
    for (auto it = m_receiving.begin(); it != m_receiving.end();) {
        Receiving *r = it.value();
        if (!r->owner && !r->finishing && QFileInfo(r->file->fileName()).lastModified().secsTo(now) > window) {
            r->file->remove();
            setStatus(it.key(), QStringLiteral("failed"), QStringLiteral("upload not resumed within the resume window"));
            delete r;
            it = m_receiving.erase(it);
        } else {
            ++it;
        }
    }
    // Rows left in 'receiving' by an earlier run and never resumed.
    const QString dir = m_ctx.config.uploadsDir();
    const QStringList live = m_receiving.keys();
    m_ctx.db->run([dir, live, window](QSqlDatabase &db) {
        QSqlQuery q(db);
        QStringList expired;
        if (!Database::exec(q, QStringLiteral("SELECT id FROM uploads WHERE status = 'receiving'")))
            return expired;
        while (q.next()) {
            const QString id = q.value(0).toString();
            if (live.contains(id))
                continue;
            const QFileInfo fi(QDir(dir).filePath(id + QStringLiteral(".part")));
            if (!fi.exists() || fi.lastModified().secsTo(QDateTime::currentDateTime()) > window)
                expired << id;
        }
        for (const QString &id : expired) {
            QFile::remove(QDir(dir).filePath(id + QStringLiteral(".part")));
            QSqlQuery u(db);
            Database::exec(u, QStringLiteral("UPDATE uploads SET status = 'failed', error = 'upload not resumed within the resume window', "
                                             "updated_at = ? WHERE id = ?"),
                           {nowIso(), id});
        }
        return expired;
    });
}

void UploadManager::checkpointAll()
{
    m_checkpointing = true;
#if defined(HAVE_EMAILRAG_INGEST)
    const auto importers = m_importers;
    for (ingest::Importer *imp : importers) {
        imp->cancel();
        imp->wait(30000);
    }
    // The finished() signals are queued; mark the rows resumable here, synchronously, so that a
    // process exit right after this cannot lose the state.
    const QStringList ids = importers.keys();
    if (!ids.isEmpty()) {
        m_ctx.db->run([ids](QSqlDatabase &db) {
            for (const QString &id : ids) {
                QSqlQuery q(db);
                Database::exec(q, QStringLiteral("UPDATE uploads SET status = 'processing', updated_at = ? WHERE id = ? AND status IN "
                                                 "('cancelled', 'processing', 'queued')"),
                               {nowIso(), id});
            }
            return true;
        }).waitForFinished();
    }
#endif
    for (Receiving *r : std::as_const(m_receiving))
        r->file->flush();
}

} // namespace emailrag::server
