#include "serverurl.h"

namespace emailrag::client::serverurl {

namespace {
constexpr int kDefaultPort = 8000;

QString wsScheme(const QString &scheme)
{
    if (scheme == QLatin1String("https") || scheme == QLatin1String("wss"))
        return QStringLiteral("wss");
    return QStringLiteral("ws");
}
} // namespace

QUrl webSocketUrl(const QString &input)
{
    QString text = input.trimmed();
    if (text.isEmpty())
        return {};
    if (!text.contains(QLatin1String("://")))
        text.prepend(QStringLiteral("ws://"));
    return webSocketUrl(QUrl(text, QUrl::StrictMode));
}

QUrl webSocketUrl(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty())
        return {};
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1String("ws") && scheme != QLatin1String("wss") && scheme != QLatin1String("http")
        && scheme != QLatin1String("https"))
        return {};
    QUrl out;
    out.setScheme(wsScheme(scheme));
    out.setHost(url.host().toLower());
    out.setPort(url.port(kDefaultPort));
    const QString path = url.path();
    out.setPath(path.isEmpty() || path == QLatin1String("/") ? QStringLiteral("/api/v1/ws") : path);
    return out;
}

QUrl httpBase(const QUrl &url)
{
    const QUrl ws = webSocketUrl(url);
    if (!ws.isValid())
        return {};
    QUrl out;
    out.setScheme(ws.scheme() == QLatin1String("wss") ? QStringLiteral("https") : QStringLiteral("http"));
    out.setHost(ws.host());
    out.setPort(ws.port());
    return out;
}

QString key(const QUrl &url)
{
    const QUrl ws = webSocketUrl(url);
    if (!ws.isValid())
        return {};
    return QStringLiteral("%1://%2:%3").arg(ws.scheme(), ws.host()).arg(ws.port());
}

} // namespace emailrag::client::serverurl
