#include "corpora.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QProcess>

namespace emailrag::test {

QString corporaDir()
{
    QString dir = qEnvironmentVariable("EMAILRAG_CORPORA");
    if (dir.isEmpty() || !QFileInfo(dir).isDir())
        return {};
    return dir;
}

QString unpackCorpus(const QString &archive)
{
    const QString src = corporaDir() + QLatin1Char('/') + archive;
    const QFileInfo info(src);
    if (!info.isFile())
        return {};
    // Key the cache by name, size and mtime: cheap, and a changed archive gets a fresh folder.
    const QByteArray key = QCryptographicHash::hash(
        (archive + QString::number(info.size()) + QString::number(info.lastModified().toSecsSinceEpoch())).toUtf8(),
        QCryptographicHash::Sha1).toHex().left(12);
    const QString cacheRoot = QDir::tempPath() + QStringLiteral("/emailrag-test-corpora");
    QDir().mkpath(cacheRoot);
    const QString target = cacheRoot + QLatin1Char('/') + QString::fromLatin1(key);
    const bool isTar = archive.endsWith(QLatin1String(".tar.zst"));
    const QString result = isTar ? target : target + QLatin1Char('/') + archive.chopped(4);

    QLockFile lock(target + QStringLiteral(".lock")); // tests run in parallel under ctest -j
    lock.setStaleLockTime(0);
    lock.lock();
    if (QFile::exists(target + QStringLiteral("/.complete")))
        return result;

    QDir(target).removeRecursively();
    QDir().mkpath(target);
    QProcess p;
    if (isTar) {
        p.start(QStringLiteral("tar"), {QStringLiteral("--zstd"), QStringLiteral("-xf"), src, QStringLiteral("-C"), target});
    } else {
        p.setStandardOutputFile(result);
        p.start(QStringLiteral("zstd"), {QStringLiteral("-dc"), src});
    }
    if (!p.waitForFinished(600000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return {};
    QFile done(target + QStringLiteral("/.complete"));
    done.open(QIODevice::WriteOnly);
    return result;
}

} // namespace emailrag::test
