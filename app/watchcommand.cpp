// `emailrag watch`: follows every channel and prints each event as a line or as JSON.
#include "clientsession.h"
#include "cliutil.h"

#include "codec.h"
#include "connection.h"
#include "signalwatcher.h"
#include "timestamp.h"

#include <cstdio>

namespace emailrag::app {

namespace {

QString describe(const protocol::ServerMessage &m)
{
    return std::visit(
        [](const auto &v) -> QString {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, protocol::UploadProgress>)
                return QStringLiteral("%1 %2 %3% (%4/%5 emails) %6%7")
                    .arg(v.uploadId, protocol::uploadStatusName(v.status))
                    .arg(v.progress)
                    .arg(v.emailsProcessed)
                    .arg(v.totalEmails)
                    .arg(v.currentOperation, v.error ? QStringLiteral(" error: ") + *v.error : QString());
            else if constexpr (std::is_same_v<T, protocol::NewEmails>)
                return QStringLiteral("%1 new email(s)%2").arg(v.count).arg(v.uploadId ? QStringLiteral(" from ") + *v.uploadId : QString());
            else if constexpr (std::is_same_v<T, protocol::SystemNotification>)
                return QStringLiteral("[%1]%2 %3")
                    .arg(protocol::notificationLevelName(v.level), v.actionRequired ? QStringLiteral(" (action required)") : QString(), v.message);
            else if constexpr (std::is_same_v<T, protocol::SystemStatus>)
                return QStringLiteral("%1 emails indexed, %2 upload(s) running, %3 connection(s)")
                    .arg(v.emailsIndexed)
                    .arg(v.uploadsRunning)
                    .arg(v.connections);
            else if constexpr (std::is_same_v<T, protocol::Subscribed>)
                return v.channels.join(QLatin1Char(','));
            else if constexpr (std::is_same_v<T, protocol::Disconnecting>)
                return QStringLiteral("%1 (back in %2 ms)").arg(v.reason).arg(v.reconnectDelayMs.value_or(0));
            else if constexpr (std::is_same_v<T, protocol::ErrorMessage>)
                return QStringLiteral("%1: %2").arg(protocol::errorCodeName(v.code), v.message);
            else
                return {};
        },
        m);
}

} // namespace

int runWatchCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Follow the server's events (uploads, new emails, system status and notifications) until\n"
        "interrupted (Ctrl+C). One line per event, or with --json each message as the WebSocket API\n"
        "sends it. Connection changes (reconnecting ...) go to standard error."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("One JSON message per line.")});
    parser.addOption({QStringLiteral("channels"), QStringLiteral("Comma-separated channels (default: all)."), QStringLiteral("LIST")});
    ClientSession::addOptions(parser);
    if (const int rc = parseOrExit(parser, args); rc >= 0)
        return rc;
    QStringList channels = protocol::Channel::all();
    if (parser.isSet(QStringLiteral("channels"))) {
        channels = parser.value(QStringLiteral("channels")).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString &ch : channels) {
            if (!protocol::Channel::all().contains(ch)) {
                std::fprintf(stderr, "emailrag watch: unknown channel '%s' (known: %s)\n", qPrintable(ch),
                             qPrintable(protocol::Channel::all().join(QStringLiteral(", "))));
                return ExitUsage;
            }
        }
    }
    const bool json = parser.isSet(QStringLiteral("json"));

    ClientSession session;
    if (const int rc = session.open(parser); rc >= 0)
        return rc;
    client::Connection *c = session.connection();
    server::SignalWatcher termination;
    QObject::connect(&termination, &server::SignalWatcher::terminationRequested, c, [&session] { session.done(ExitOk); });

    QObject::connect(c, &client::Connection::messageReceived, c, [json](const protocol::ServerEnvelope &env) {
        const QString type = protocol::messageType(env.message);
        if (type == QLatin1String("pong"))
            return; // our own heartbeat
        if (json) {
            std::printf("%s\n", qPrintable(protocol::encodeText(env)));
        } else {
            const QDateTime when = env.timestamp.isValid() ? env.timestamp : protocol::currentTimestamp();
            std::printf("%s %s %s\n", qPrintable(protocol::formatTimestamp(when)), qPrintable(type), qPrintable(describe(env.message)));
        }
        std::fflush(stdout);
    });
    QObject::connect(c, &client::Connection::stateChanged, c, [c](client::Connection::State s) {
        if (s == client::Connection::State::Reconnecting)
            std::fprintf(stderr, "emailrag watch: connection lost (%s); reconnecting in %d s\n", qPrintable(c->lastError()),
                         (c->reconnectRemainingMs() + 999) / 1000);
        else if (s == client::Connection::State::Connected)
            std::fprintf(stderr, "emailrag watch: connected\n");
    });
    c->subscribe(channels);
    std::fprintf(stderr, "emailrag watch: following %s on %s (Ctrl+C to stop)\n", qPrintable(channels.join(QStringLiteral(", "))),
                 qPrintable(session.serverUrl()));
    // Watching waits through long outages: give up only after 10 minutes without the server.
    return session.exec(10 * 60 * 1000);
}

} // namespace emailrag::app
