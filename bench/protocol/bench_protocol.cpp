// Throughput of the protocol layer: encode/decode of typical messages, and typed messages
// through an Endpoint pair on loopback. Prints one line per figure.
//   bench_protocol [iterations]

#include "codec.h"
#include "endpoint.h"
#include "timestamp.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QWebSocketServer>

#include <cstdio>
#include <memory>

using namespace emailrag::protocol;

namespace {

SearchResult searchHit(int i)
{
    return { QStringLiteral("email_%1").arg(i), QStringLiteral("Re: quarterly budget review %1").arg(i), 0.87,
        Address { QStringLiteral("Alice Example"), QStringLiteral("alice@example.org") }, currentTimestamp(),
        QStringLiteral("…the [budget] for the next quarter was approved by the board…"),
        QStringLiteral("thread_%1").arg(i % 97) };
}

Email bigEmail()
{
    Email e;
    e.emailId = QStringLiteral("email_1");
    e.subject = QStringLiteral("A long message");
    e.from = { QStringLiteral("Alice"), QStringLiteral("alice@example.org") };
    e.to = { { QString(), QStringLiteral("bob@example.org") } };
    e.text = QString(20000, QLatin1Char('w'));
    e.quotedText = QString(20000, QLatin1Char('q'));
    e.threadId = QStringLiteral("thread_1");
    for (int i = 0; i < 50; ++i)
        e.thread.append(
            { QStringLiteral("email_%1").arg(i), QStringLiteral("Subject %1").arg(i), e.from, currentTimestamp() });
    return e;
}

template<typename F> void report(const char *what, int n, qint64 bytes, F &&work)
{
    QElapsedTimer timer;
    timer.start();
    work();
    const double secs = double(timer.nsecsElapsed()) / 1e9;
    std::printf("%-46s %9.0f msg/s  %8.1f MB/s  (%d messages, %.3f s)\n", what, n / secs, bytes / secs / 1e6, n, secs);
}

void codecFigures(int n)
{
    const QString hitText = encodeText(ServerEnvelope { searchHit(1), QStringLiteral("search_1"), currentTimestamp() });
    report("encode search_result (all optional fields)", n, qint64(hitText.toUtf8().size()) * n, [&] {
        qsizetype sink = 0;
        for (int i = 0; i < n; ++i)
            sink += encodeText(ServerEnvelope { searchHit(i), QStringLiteral("search_1"), currentTimestamp() }).size();
        if (sink == 0)
            std::puts("?");
    });
    const QByteArray hitUtf8 = hitText.toUtf8();
    report("decode search_result (client side)", n, qint64(hitUtf8.size()) * n, [&] {
        int ok = 0;
        for (int i = 0; i < n; ++i)
            ok += decodeServerMessage(hitUtf8).ok();
        if (ok != n)
            std::puts("decode failed");
    });
    const QByteArray search
        = encodeText(ClientEnvelope { StreamSearch { QStringLiteral("budget review"), 50 }, QStringLiteral("req_1") })
              .toUtf8();
    report("decode stream_search (server side)", n, qint64(search.size()) * n, [&] {
        int ok = 0;
        for (int i = 0; i < n; ++i)
            ok += decodeClientMessage(search).ok();
        if (ok != n)
            std::puts("decode failed");
    });
    const QByteArray email
        = encodeText(ServerEnvelope { bigEmail(), QStringLiteral("req_2"), currentTimestamp() }).toUtf8();
    const int emails = std::max(1, n / 20);
    report("decode email (45 KB, 50-message thread)", emails, qint64(email.size()) * emails, [&] {
        int ok = 0;
        for (int i = 0; i < emails; ++i)
            ok += decodeServerMessage(email).ok();
        if (ok != emails)
            std::puts("decode failed");
    });
}

void endpointFigures(int n)
{
    QWebSocketServer wsServer(QStringLiteral("bench"), QWebSocketServer::NonSecureMode);
    if (!wsServer.listen(QHostAddress::LocalHost, 0))
        qFatal("cannot listen");
    std::unique_ptr<Endpoint> server;
    QObject::connect(&wsServer, &QWebSocketServer::newConnection, &wsServer,
        [&] { server = std::make_unique<Endpoint>(Endpoint::Role::Server, wsServer.nextPendingConnection()); });
    Endpoint client(Endpoint::Role::Client, new QWebSocket);
    int received = 0;
    QObject::connect(&client, &Endpoint::serverMessageReceived, &client, [&](const ServerEnvelope &) { ++received; });
    client.socket()->open(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(wsServer.serverPort())));
    QElapsedTimer wait;
    wait.start();
    while (!(server && server->isConnected() && client.isConnected()) && wait.elapsed() < 5000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    if (!server)
        qFatal("no connection");

    const qint64 bytes
        = encodeText(ServerEnvelope { searchHit(1), QStringLiteral("search_1"), currentTimestamp() }).toUtf8().size();
    report("search_result server->client over loopback", n, bytes * n, [&] {
        for (int i = 0; i < n; ++i)
            server->send(searchHit(i), QStringLiteral("search_1"));
        while (received < n)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    });

    int chunks = 0;
    QObject::connect(
        server.get(), &Endpoint::uploadChunkReceived, server.get(), [&](const UploadChunk &) { ++chunks; });
    const QByteArray payload(256 * 1024, 'm');
    const int frames = 200;
    report("upload frames 256 KiB client->server", frames, qint64(payload.size()) * frames, [&] {
        for (int i = 0; i < frames; ++i)
            client.sendUploadChunk(quint64(i) * quint64(payload.size()), payload);
        while (chunks < frames)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    });
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? std::max(100, atoi(argv[1])) : 20000;
    codecFigures(n);
    endpointFigures(n);
    return 0;
}
