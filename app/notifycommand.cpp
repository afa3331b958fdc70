// emailrag notify [--level info|warning|error] [--action-required] TEXT
// Sends a system_notification to every client of the running server subscribed to
// system_status. Runs on the server's machine: it signs a short-lived token for an admin user
// with the data directory's key and posts to the server's HTTP API
// (POST /api/v1/admin/notifications, docs/server.md).

#include "adminstore.h"
#include "cliutil.h"

#include "tokenservice.h"
#include "userstore.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

#include <cstdio>

namespace emailrag::app {

int runNotifyCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Send a system notification to the clients of the running server."));
    addDataOption(parser);
    parser.addOption({QStringLiteral("level"), QStringLiteral("info, warning or error (default info)."), QStringLiteral("LEVEL"),
                      QStringLiteral("info")});
    parser.addOption({QStringLiteral("action-required"), QStringLiteral("Mark the notification as needing action.")});
    parser.addOption({QStringLiteral("user"), QStringLiteral("Admin user to send as (default: the first admin)."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("server"), QStringLiteral("Server HTTP address (default http://127.0.0.1:8000)."),
                      QStringLiteral("URL"), QStringLiteral("http://127.0.0.1:8000")});
    parser.addPositionalArgument(QStringLiteral("TEXT"), QStringLiteral("The message."));
    if (const int rc = parseOrExit(parser, args); rc >= 0)
        return rc;
    const QString level = parser.value(QStringLiteral("level"));
    if (level != QLatin1String("info") && level != QLatin1String("warning") && level != QLatin1String("error")) {
        std::fprintf(stderr, "emailrag: --level must be info, warning or error\n");
        return ExitUsage;
    }
    const QString text = parser.positionalArguments().join(QLatin1Char(' ')).trimmed();
    if (text.isEmpty()) {
        std::fprintf(stderr, "usage: emailrag notify [--level L] TEXT\n");
        return ExitUsage;
    }

    auto store = openAdminStore(parser, false);
    if (!store)
        return ExitFailure;
    const QString dir = store->dir;
    QSqlDatabase &db = store->db;
    std::optional<server::User> admin;
    if (parser.isSet(QStringLiteral("user"))) {
        admin = server::UserStore::byName(db, parser.value(QStringLiteral("user")));
    } else {
        for (const auto &u : server::UserStore::list(db)) {
            if (u.isAdmin) {
                admin = u;
                break;
            }
        }
    }
    if (!admin || !admin->isAdmin) {
        std::fprintf(stderr, "emailrag: no admin user; create one with 'emailrag user add NAME --admin'\n");
        return ExitUnauthorized;
    }
    QString error;
    const auto tokens = server::TokenService::load(dir, &error);
    if (!tokens) {
        std::fprintf(stderr, "emailrag: %s\n", qPrintable(error));
        return ExitFailure;
    }
    const QString token = tokens->issue(admin->id, admin->name, admin->createdAt, std::chrono::seconds(60));

    QNetworkAccessManager nam;
    QUrl url(parser.value(QStringLiteral("server")));
    url.setPath(QStringLiteral("/api/v1/admin/notifications"));
    QNetworkRequest req(url);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    req.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    req.setTransferTimeout(10000);
    const QJsonObject body{{QStringLiteral("level"), level},
                           {QStringLiteral("message"), text},
                           {QStringLiteral("action_required"), parser.isSet(QStringLiteral("action-required"))}};
    QNetworkReply *reply = nam.post(req, QJsonDocument(body).toJson(QJsonDocument::Compact));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() != QNetworkReply::NoError && status == 0) {
        std::fprintf(stderr, "emailrag: server unreachable at %s: %s\n", qPrintable(url.toString()), qPrintable(reply->errorString()));
        return ExitUnavailable;
    }
    if (status == 401 || status == 403) {
        std::fprintf(stderr, "emailrag: the server refused the token (HTTP %d)\n", status);
        return ExitUnauthorized;
    }
    if (status != 200) {
        std::fprintf(stderr, "emailrag: the server answered HTTP %d: %s\n", status, reply->readAll().constData());
        return ExitFailure;
    }
    const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
    std::printf("sent to %d connection(s)\n", answer.value(QStringLiteral("delivered")).toInt());
    return ExitOk;
}

} // namespace emailrag::app
