#include "authclient.h"

#include "clientlog.h"
#include "serverurl.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPromise>

#include <memory>

namespace emailrag::client {

AuthClient::AuthClient(QObject *parent)
    : QObject(parent)
    , m_nam(new QNetworkAccessManager(this))
{
}

AuthClient::~AuthClient() = default;

QDateTime AuthClient::tokenExpiry(const QString &token)
{
    const QStringList parts = token.split(QLatin1Char('.'));
    if (parts.size() != 3)
        return {};
    const QByteArray payload = QByteArray::fromBase64(parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding);
    const QJsonObject claims = QJsonDocument::fromJson(payload).object();
    const qint64 exp = claims.value(QLatin1String("exp")).toInteger(-1);
    if (exp <= 0)
        return {};
    return QDateTime::fromSecsSinceEpoch(exp, Qt::UTC);
}

QFuture<AuthResult> AuthClient::login(const QUrl &server, const QString &user, const QString &password)
{
    QUrl url = serverurl::httpBase(server);
    url.setPath(QStringLiteral("/api/v1/auth/login"));
    const QJsonObject body{{QStringLiteral("username"), user}, {QStringLiteral("password"), password}};
    return post(url, QJsonDocument(body).toJson(QJsonDocument::Compact), {}, user);
}

QFuture<AuthResult> AuthClient::refresh(const QUrl &server, const QString &token)
{
    QUrl url = serverurl::httpBase(server);
    url.setPath(QStringLiteral("/api/v1/auth/refresh"));
    return post(url, QByteArrayLiteral("{}"), token, {});
}

QFuture<AuthResult> AuthClient::post(const QUrl &url, const QByteArray &body, const QString &bearer, const QString &user)
{
    auto promise = std::make_shared<QPromise<AuthResult>>();
    QFuture<AuthResult> future = promise->future();
    promise->start();
    if (!url.isValid()) {
        AuthResult r;
        r.status = AuthResult::Failed;
        r.error = tr("Not a valid server address.");
        promise->addResult(r);
        promise->finish();
        return future;
    }
    QNetworkRequest req(url);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    req.setTransferTimeout(m_timeoutMs);
    if (!bearer.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + bearer.toUtf8());
    QNetworkReply *reply = m_nam->post(req, body);
    connect(reply, &QNetworkReply::finished, this, [reply, promise, user] {
        reply->deleteLater();
        AuthResult r;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject obj = QJsonDocument::fromJson(reply->readAll()).object();
        const QString serverMessage = obj.value(QLatin1String("message")).toString(obj.value(QLatin1String("error")).toString());
        if (status == 200) {
            r.token = obj.value(QLatin1String("access_token")).toString(obj.value(QLatin1String("token")).toString());
            const qint64 expiresIn = obj.value(QLatin1String("expires_in")).toInteger(-1);
            r.expiresAt = tokenExpiry(r.token);
            if (!r.expiresAt.isValid() && expiresIn > 0)
                r.expiresAt = QDateTime::currentDateTimeUtc().addSecs(expiresIn);
            r.userName = obj.value(QLatin1String("user")).toString(user);
            if (r.token.isEmpty()) {
                r.status = AuthResult::Failed;
                r.error = tr("The server's answer holds no token.");
            } else {
                r.status = AuthResult::Ok;
            }
        } else if (status == 401 || status == 403) {
            r.status = AuthResult::Unauthorized;
            r.error = serverMessage.isEmpty() ? tr("Wrong user name or password.") : serverMessage;
        } else if (status == 0) {
            r.status = AuthResult::Unavailable;
            r.error = tr("Cannot reach the server: %1").arg(reply->errorString());
        } else {
            r.status = AuthResult::Failed;
            r.error = tr("The server answered %1: %2").arg(status).arg(serverMessage.isEmpty() ? reply->errorString() : serverMessage);
        }
        qCDebug(lcClient) << "auth request" << reply->url().path() << "->" << status;
        promise->addResult(r);
        promise->finish();
    });
    return future;
}

} // namespace emailrag::client
