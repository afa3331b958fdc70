#include "secretstore.h"

#include "clientlog.h"
#include "serverurl.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPromise>
#include <QStandardPaths>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace emailrag::client {

namespace {

QString defaultFallbackFile()
{
    QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.local/share");
    return base + QStringLiteral("/emailrag/secrets.json");
}

SecretResult okResult(const QString &value = {})
{
    SecretResult r;
    r.status = SecretResult::Ok;
    r.value = value;
    return r;
}

SecretResult failed(SecretResult::Status status, const QString &error)
{
    SecretResult r;
    r.status = status;
    r.error = error;
    return r;
}

// Reads the fallback file; refuses one that others could read (like ssh does with keys).
bool readFile(const QString &path, QJsonObject *out, QString *error)
{
    struct stat st {};
    const QByteArray native = QFile::encodeName(path);
    if (::stat(native.constData(), &st) != 0) {
        if (errno == ENOENT) {
            *out = {};
            return true;
        }
        *error = QCoreApplication::translate("SecretStore", "Cannot read %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    if ((st.st_mode & 077) != 0) {
        *error = QCoreApplication::translate("SecretStore", "%1 is readable by other users; refusing to use it (chmod 600 it).").arg(path);
        return false;
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QCoreApplication::translate("SecretStore", "Cannot read %1: %2").arg(path, f.errorString());
        return false;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll());
    *out = doc.object();
    return true;
}

// Writes via a temporary file created 0600 and renamed over the old one, so that the secret is
// never readable by others, not even for a moment.
bool writeFile(const QString &path, const QJsonObject &obj, QString *error)
{
    const QString dir = QFileInfo(path).absolutePath();
    QDir().mkpath(dir);
    ::chmod(QFile::encodeName(dir).constData(), 0700);
    const QByteArray tmp = QFile::encodeName(path + QStringLiteral(".tmp"));
    const int fd = ::open(tmp.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        *error = QString::fromLocal8Bit(std::strerror(errno));
        return false;
    }
    ::fchmod(fd, 0600);
    const QByteArray data = QJsonDocument(obj).toJson(QJsonDocument::Indented);
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + done, size_t(data.size() - done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *error = QString::fromLocal8Bit(std::strerror(errno));
            ::close(fd);
            ::unlink(tmp.constData());
            return false;
        }
        done += n;
    }
    ::fsync(fd);
    ::close(fd);
    if (::rename(tmp.constData(), QFile::encodeName(path).constData()) != 0) {
        *error = QString::fromLocal8Bit(std::strerror(errno));
        ::unlink(tmp.constData());
        return false;
    }
    return true;
}

} // namespace

SecretStore::SecretStore(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    if (m_options.fallbackFile.isEmpty())
        m_options.fallbackFile = defaultFallbackFile();
}

SecretStore::SecretStore(QObject *parent)
    : SecretStore(Options{}, parent)
{
}

SecretStore::~SecretStore() = default;

QString SecretStore::tokenKey(const QUrl &server)
{
    return QStringLiteral("token ") + serverurl::key(server);
}

QString SecretStore::apiKeyKey(const QString &provider)
{
    return QStringLiteral("apikey ") + provider.trimmed().toLower();
}

QFuture<SecretResult> SecretStore::read(const QString &key) { return start(Op::Read, key, {}); }

QFuture<SecretResult> SecretStore::write(const QString &key, const QString &secret)
{
    return start(Op::Write, key, secret);
}

QFuture<SecretResult> SecretStore::remove(const QString &key) { return start(Op::Remove, key, {}); }

SecretResult SecretStore::unavailable(const QString &reason) const
{
    return failed(SecretResult::Unavailable,
                  tr("No system keychain is available (%1). Secrets are not stored in plain text; to keep them in "
                     "a file readable only by you (%2), allow it explicitly (--secret-file, or the setting "
                     "\"Store secrets in a private file\").")
                      .arg(reason, m_options.fallbackFile));
}

QFuture<SecretResult> SecretStore::start(Op op, const QString &key, const QString &secret)
{
    auto promise = std::make_shared<QPromise<SecretResult>>();
    QFuture<SecretResult> future = promise->future();
    promise->start();

    auto finish = [promise](SecretResult r) {
        promise->addResult(std::move(r));
        promise->finish();
    };

    if (!m_keychainAvailable) {
        finish(m_options.allowFileFallback ? fileOp(op, key, secret) : unavailable(m_unavailableReason));
        return future;
    }

    QKeychain::Job *job = nullptr;
    switch (op) {
    case Op::Read:
        job = new QKeychain::ReadPasswordJob(m_options.service, this);
        break;
    case Op::Write: {
        auto *w = new QKeychain::WritePasswordJob(m_options.service, this);
        w->setTextData(secret);
        job = w;
        break;
    }
    case Op::Remove:
        job = new QKeychain::DeletePasswordJob(m_options.service, this);
        break;
    }
    job->setKey(key);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);

    auto done = std::make_shared<bool>(false);
    auto *timer = new QTimer(job);
    timer->setSingleShot(true);
    // A locked keyring with no prompter can leave a job hanging: treat silence as "unavailable".
    connect(timer, &QTimer::timeout, this, [this, op, key, secret, finish, done] {
        if (*done)
            return;
        *done = true;
        if (m_keychainAvailable) {
            m_keychainAvailable = false;
            m_unavailableReason = tr("the keychain did not answer");
            Q_EMIT keychainUnavailable(m_unavailableReason);
        }
        finish(m_options.allowFileFallback ? fileOp(op, key, secret) : unavailable(m_unavailableReason));
    });
    timer->start(m_options.timeoutMs);

    connect(job, &QKeychain::Job::finished, this, [this, op, key, secret, finish, done](QKeychain::Job *j) {
        if (*done)
            return;
        *done = true;
        switch (j->error()) {
        case QKeychain::NoError:
            if (op == Op::Read)
                finish(okResult(static_cast<QKeychain::ReadPasswordJob *>(j)->textData()));
            else
                finish(okResult());
            return;
        case QKeychain::EntryNotFound:
            if (op == Op::Remove)
                finish(okResult()); // removing what is not there is success
            else
                finish(failed(SecretResult::NotFound, tr("No secret stored for %1.").arg(key)));
            return;
        case QKeychain::AccessDeniedByUser:
        case QKeychain::AccessDenied:
            finish(failed(SecretResult::Denied, tr("The keychain refused access: %1").arg(j->errorString())));
            return;
        case QKeychain::CouldNotDeleteEntry:
            finish(failed(SecretResult::Failed, tr("The keychain could not delete %1: %2").arg(key, j->errorString())));
            return;
        case QKeychain::NoBackendAvailable:
        case QKeychain::NotImplemented:
        case QKeychain::OtherError:
            break;
        }
        // No D-Bus session, no Secret Service, or no unlocked collection: the keychain is unusable.
        qCWarning(lcClient) << "keychain unavailable:" << j->errorString();
        if (m_keychainAvailable) {
            m_keychainAvailable = false;
            m_unavailableReason = j->errorString();
            Q_EMIT keychainUnavailable(m_unavailableReason);
        }
        finish(m_options.allowFileFallback ? fileOp(op, key, secret) : unavailable(m_unavailableReason));
    });
    job->start();
    return future;
}

SecretResult SecretStore::fileOp(Op op, const QString &key, const QString &secret) const
{
    QJsonObject obj;
    QString error;
    if (!readFile(m_options.fallbackFile, &obj, &error))
        return failed(SecretResult::Failed, error);
    SecretResult r;
    switch (op) {
    case Op::Read:
        if (!obj.contains(key))
            r = failed(SecretResult::NotFound, tr("No secret stored for %1.").arg(key));
        else
            r = okResult(obj.value(key).toString());
        break;
    case Op::Write:
        obj.insert(key, secret);
        r = writeFile(m_options.fallbackFile, obj, &error) ? okResult()
                                                           : failed(SecretResult::Failed, tr("Cannot write %1: %2").arg(m_options.fallbackFile, error));
        break;
    case Op::Remove:
        if (obj.contains(key)) {
            obj.remove(key);
            r = writeFile(m_options.fallbackFile, obj, &error) ? okResult()
                                                               : failed(SecretResult::Failed, tr("Cannot write %1: %2").arg(m_options.fallbackFile, error));
        } else {
            r = okResult();
        }
        break;
    }
    r.fromFile = true;
    return r;
}

} // namespace emailrag::client
