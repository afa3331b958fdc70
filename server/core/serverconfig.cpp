#include "serverconfig.h"

#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QSettings>

namespace emailrag::server {

QString ServerConfig::databasePath() const { return QDir(dataDir).filePath(QStringLiteral("emailrag.db")); }
QString ServerConfig::uploadsDir() const { return QDir(dataDir).filePath(QStringLiteral("uploads")); }

QMap<QString, QString> ServerConfig::keys()
{
    return {
        {QStringLiteral("listen"), QStringLiteral("HOST:PORT to listen on (default 127.0.0.1:8000)")},
        {QStringLiteral("tls-cert"), QStringLiteral("PEM certificate file; enables wss:// and https://")},
        {QStringLiteral("tls-key"), QStringLiteral("PEM private key file for tls-cert")},
        {QStringLiteral("max-upload-bytes"), QStringLiteral("largest upload accepted (default 8589934592 = 8 GiB)")},
        {QStringLiteral("upload-chunk-bytes"), QStringLiteral("chunk_size announced in upload_started (default 1048576)")},
        {QStringLiteral("upload-resume-secs"), QStringLiteral("how long an interrupted upload can be resumed (default 3600)")},
        {QStringLiteral("max-http-upload-bytes"), QStringLiteral("largest POST /api/v1/uploads body (default 536870912)")},
        {QStringLiteral("rate-limit-per-minute"), QStringLiteral("client messages per minute per connection (default 100)")},
        {QStringLiteral("user-rate-multiplier"), QStringLiteral("a user's connections together may send N x the limit (default 4)")},
        {QStringLiteral("flood-disconnect-after"), QStringLiteral("refused messages within a minute before disconnecting (default 20)")},
        {QStringLiteral("heartbeat-ms"), QStringLiteral("expected ping interval; silence for twice this closes (default 30000)")},
        {QStringLiteral("reconnect-delay-ms"), QStringLiteral("reconnect_delay_ms sent in disconnecting (default 5000)")},
        {QStringLiteral("max-message-bytes"), QStringLiteral("largest text message accepted (default 1048576)")},
        {QStringLiteral("max-send-queue-bytes"), QStringLiteral("unsent bytes per connection before it is dropped (default 16777216)")},
        {QStringLiteral("max-connections"), QStringLiteral("simultaneous WebSocket connections (default 20000)")},
        {QStringLiteral("token-ttl-secs"), QStringLiteral("lifetime of tokens from login/refresh (default 43200)")},
        {QStringLiteral("fanout-threads"), QStringLiteral("threads writing one push to many sockets, the server thread included (default 0 = one per core, at most 4)")},
    };
}

void ServerConfig::apply(const QMap<QString, QString> &values, QStringList *errors)
{
    auto bad = [errors](const QString &k, const QString &v) {
        if (errors)
            errors->append(QStringLiteral("invalid value for %1: '%2'").arg(k, v));
    };
    auto setInt = [&](const QString &k, const QString &v, auto &field, qint64 min, qint64 max) {
        bool ok = false;
        const qint64 n = v.trimmed().toLongLong(&ok);
        if (!ok || n < min || n > max)
            return bad(k, v);
        field = static_cast<std::remove_reference_t<decltype(field)>>(n);
    };
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        const QString &k = it.key();
        const QString &v = it.value();
        if (k == QLatin1String("listen")) {
            const int colon = v.lastIndexOf(QLatin1Char(':'));
            QString host = colon >= 0 ? v.left(colon) : v;
            const QString portText = colon >= 0 ? v.mid(colon + 1) : QString();
            if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
                host = host.mid(1, host.size() - 2);
            QHostAddress addr;
            if (host == QLatin1String("localhost"))
                addr = QHostAddress::LocalHost;
            else if (host == QLatin1String("*") || host.isEmpty())
                addr = QHostAddress::Any;
            else if (!addr.setAddress(host))
                return bad(k, v);
            quint16 p = port;
            if (!portText.isEmpty()) {
                bool ok = false;
                const int n = portText.toInt(&ok);
                if (!ok || n < 0 || n > 65535)
                    return bad(k, v);
                p = quint16(n);
            }
            listenAddress = addr;
            port = p;
        } else if (k == QLatin1String("tls-cert")) {
            tlsCert = v;
        } else if (k == QLatin1String("tls-key")) {
            tlsKey = v;
        } else if (k == QLatin1String("max-upload-bytes")) {
            setInt(k, v, maxUploadBytes, 1, std::numeric_limits<qint64>::max());
        } else if (k == QLatin1String("upload-chunk-bytes")) {
            setInt(k, v, uploadChunkBytes, 4096, 16 * 1024 * 1024);
        } else if (k == QLatin1String("upload-resume-secs")) {
            setInt(k, v, uploadResumeWindowSecs, 0, 30 * 86400);
        } else if (k == QLatin1String("max-http-upload-bytes")) {
            setInt(k, v, maxHttpUploadBytes, 1, std::numeric_limits<qint64>::max());
        } else if (k == QLatin1String("rate-limit-per-minute")) {
            setInt(k, v, rateLimitPerMinute, 1, 1000000);
        } else if (k == QLatin1String("user-rate-multiplier")) {
            setInt(k, v, userRateMultiplier, 1, 1000);
        } else if (k == QLatin1String("flood-disconnect-after")) {
            setInt(k, v, floodDisconnectAfter, 1, 1000000);
        } else if (k == QLatin1String("heartbeat-ms")) {
            setInt(k, v, heartbeatIntervalMs, 100, 3600 * 1000);
        } else if (k == QLatin1String("reconnect-delay-ms")) {
            setInt(k, v, reconnectDelayMs, 0, 3600 * 1000);
        } else if (k == QLatin1String("max-message-bytes")) {
            setInt(k, v, maxMessageBytes, 1024, 256LL * 1024 * 1024);
        } else if (k == QLatin1String("max-send-queue-bytes")) {
            setInt(k, v, maxSendQueueBytes, 64 * 1024, 4LL * 1024 * 1024 * 1024);
        } else if (k == QLatin1String("max-connections")) {
            setInt(k, v, maxConnections, 1, 1000000);
        } else if (k == QLatin1String("token-ttl-secs")) {
            setInt(k, v, tokenTtlSecs, 1, 365 * 86400);
        } else if (k == QLatin1String("fanout-threads")) {
            setInt(k, v, fanoutThreads, 0, 64);
        } else if (errors) {
            errors->append(QStringLiteral("unknown option %1").arg(k));
        }
    }
}

QMap<QString, QString> ServerConfig::fromFile(const QString &path, QStringList *errors)
{
    QMap<QString, QString> out;
    if (path.isEmpty() || !QFileInfo::exists(path))
        return out;
    QSettings s(path, QSettings::IniFormat);
    if (s.status() != QSettings::NoError) {
        if (errors)
            errors->append(QStringLiteral("cannot parse config file %1").arg(path));
        return out;
    }
    s.beginGroup(QStringLiteral("server"));
    for (const QString &k : s.childKeys())
        out.insert(k, s.value(k).toString());
    s.endGroup();
    return out;
}

QMap<QString, QString> ServerConfig::fromEnvironment()
{
    QMap<QString, QString> out;
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &k : keys().keys()) {
        const QString name = QStringLiteral("EMAILRAG_") + QString(k).replace(QLatin1Char('-'), QLatin1Char('_')).toUpper();
        if (env.contains(name))
            out.insert(k, env.value(name));
    }
    return out;
}

} // namespace emailrag::server
