#include "embedkey.h"

#include "embedtypes.h"

#include <QEventLoop>
#include <QTimer>

#include <qt6keychain/keychain.h>

namespace emailrag::embed {

QString embedKeyName(const QString &baseUrl)
{
    return QStringLiteral("apikey ") + baseUrl.trimmed().toLower();
}

std::optional<QString> readEmbedKeyFromKeychain(const QString &baseUrl, const EmbedKeySource &source)
{
    if (baseUrl.trimmed().isEmpty())
        return std::nullopt;
    // The job deletes itself when it finishes, even after a timeout here (a late answer then goes
    // nowhere: the connection's context, the local loop, is gone).
    auto *job = new QKeychain::ReadPasswordJob(source.service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(embedKeyName(baseUrl));
    QEventLoop loop;
    bool finished = false;
    QKeychain::Error error = QKeychain::OtherError;
    QString errorString;
    QString key;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&](QKeychain::Job *j) {
        finished = true;
        error = j->error();
        errorString = j->errorString();
        if (error == QKeychain::NoError)
            key = static_cast<QKeychain::ReadPasswordJob *>(j)->textData();
        loop.quit();
    });
    QTimer::singleShot(source.timeoutMs, &loop, &QEventLoop::quit);
    job->start();
    if (!finished)
        loop.exec();
    if (!finished) {
        qCWarning(lcEmbed) << "the keychain did not answer within" << source.timeoutMs
                           << "ms; no embedding API key from it";
        return std::nullopt;
    }
    if (error == QKeychain::EntryNotFound)
        return std::nullopt;
    if (error != QKeychain::NoError) {
        qCWarning(lcEmbed) << "no embedding API key from the keychain:" << errorString;
        return std::nullopt;
    }
    if (key.isEmpty())
        return std::nullopt;
    return key;
}

QString resolveEmbedApiKey(const QString &baseUrl, const EmbedKeySource &source)
{
    const QString env = qEnvironmentVariable("EMAILRAG_EMBED_API_KEY");
    if (!env.isEmpty())
        return env;
    if (auto key = readEmbedKeyFromKeychain(baseUrl, source)) {
        qCInfo(lcEmbed) << "embedding API key taken from the keychain";
        return *key;
    }
    return {};
}

} // namespace emailrag::embed
