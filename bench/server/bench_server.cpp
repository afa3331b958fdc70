// bench_server [--connections N] [--fanout N] [--pings N] [--seconds S]
// Starts `emailrag --server` on a free port with a fresh data directory, opens N authenticated
// WebSocket connections from this process and prints:
//   - time to connect N, server RSS before/after and RSS per connection
//   - ping round trip p50/p99 (sequential pings spread over the connections, then a burst where
//     every connection pings at once)
//   - fan-out: time from an admin system notification (HTTP) to its arrival at the last of
//     --fanout subscribers
//   - messages/s: pings answered per second with every connection pipelining
// The rate limiter is relaxed for the run (EMAILRAG_RATE_LIMIT_PER_MINUTE) so that it measures
// the server, not the limit. Not run by ctest.

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

namespace {

qint64 rssKb(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

template<typename Pred>
bool waitUntil(Pred pred, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!pred()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

QString run(const QString &bin, const QStringList &args, const QByteArray &input = {})
{
    QProcess p;
    p.start(bin, args);
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(60000);
    if (p.exitCode() != 0)
        std::fprintf(stderr, "%s failed: %s\n", qPrintable(args.join(QLatin1Char(' '))), p.readAllStandardError().constData());
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

struct Client
{
    std::unique_ptr<QWebSocket> ws;
    bool connected = false;
    bool subscribed = false;
    int pongs = 0;
    qint64 lastNotificationNs = -1;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // figures appear as they are measured
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("connections"), QStringLiteral("Connections to hold (default 1000)."), QStringLiteral("N"), QStringLiteral("1000")});
    parser.addOption({QStringLiteral("fanout"), QStringLiteral("Subscribers for the fan-out (default 1000)."), QStringLiteral("N"), QStringLiteral("1000")});
    parser.addOption({QStringLiteral("pings"), QStringLiteral("Sequential pings (default 2000)."), QStringLiteral("N"), QStringLiteral("2000")});
    parser.addOption({QStringLiteral("seconds"), QStringLiteral("Throughput run length (default 5)."), QStringLiteral("S"), QStringLiteral("5")});
    parser.addOption({QStringLiteral("binary"), QStringLiteral("The emailrag binary."), QStringLiteral("PATH"), QStringLiteral(EMAILRAG_BINARY_PATH)});
    parser.process(app);
    const int n = parser.value(QStringLiteral("connections")).toInt();
    const int fanout = std::min(n, parser.value(QStringLiteral("fanout")).toInt());
    const int pings = parser.value(QStringLiteral("pings")).toInt();
    const int seconds = parser.value(QStringLiteral("seconds")).toInt();
    const QString bin = parser.value(QStringLiteral("binary"));

    QTemporaryDir dir;
    run(bin, {QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("bench"), QStringLiteral("--admin"), QStringLiteral("--password-stdin"),
              QStringLiteral("--data"), dir.path()},
        "bench-password\n");
    const QString token = run(bin, {QStringLiteral("token"), QStringLiteral("bench"), QStringLiteral("--ttl"), QStringLiteral("2h"), QStringLiteral("--data"), dir.path()});

    QProcess server;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("EMAILRAG_RATE_LIMIT_PER_MINUTE"), QStringLiteral("1000000"));
    env.insert(QStringLiteral("EMAILRAG_USER_RATE_MULTIPLIER"), QStringLiteral("1000"));
    env.insert(QStringLiteral("EMAILRAG_MAX_CONNECTIONS"), QString::number(n + 100));
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("emailrag.core.info=false"));
    server.setProcessEnvironment(env);
    server.start(bin, {QStringLiteral("--server"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data"), dir.path()});
    QString url;
    QByteArray err;
    waitUntil([&] {
        err += server.readAllStandardError();
        const auto m = QRegularExpression(QStringLiteral("serving (ws://\\S+)")).match(QString::fromUtf8(err));
        if (m.hasMatch())
            url = m.captured(1);
        return !url.isEmpty();
    }, 20000);
    if (url.isEmpty()) {
        std::fprintf(stderr, "server did not start: %s\n", err.constData());
        return 1;
    }
    const qint64 pid = server.processId();
    spin(300);
    const qint64 rssBefore = rssKb(pid);

    // --- connections -----------------------------------------------------------------------
    QUrl wsUrl(url);
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("token"), token);
    wsUrl.setQuery(q);
    std::vector<Client> clients(static_cast<size_t>(n));
    QElapsedTimer clock;
    clock.start();
    int connected = 0;
    for (int i = 0; i < n; ++i) {
        Client &c = clients[size_t(i)];
        c.ws = std::make_unique<QWebSocket>();
        QObject::connect(c.ws.get(), &QWebSocket::textMessageReceived, c.ws.get(), [&c, &connected, &clock](const QString &text) {
            // Cheap checks on the raw text: this is a load generator, not a validator.
            if (text.contains(QLatin1String("\"type\":\"pong\"")))
                ++c.pongs;
            else if (text.contains(QLatin1String("\"type\":\"system_notification\"")))
                c.lastNotificationNs = clock.nsecsElapsed();
            else if (text.contains(QLatin1String("\"type\":\"subscribed\"")))
                c.subscribed = true;
            else if (!c.connected && text.contains(QLatin1String("\"type\":\"connected\""))) {
                c.connected = true;
                ++connected;
            }
        });
        c.ws->open(wsUrl);
        if (i % 200 == 199)
            QCoreApplication::processEvents(); // let handshakes progress while opening
    }
    const bool all = waitUntil([&] { return connected == n; }, 120000);
    const double connectSecs = double(clock.elapsed()) / 1000.0;
    spin(500);
    const qint64 rssAfter = rssKb(pid);
    std::printf("connections: %d of %d authenticated in %.2f s\n", connected, n, connectSecs);
    std::printf("server RSS: %.1f MB idle -> %.1f MB with %d connections = %.1f KB per connection\n", double(rssBefore) / 1024,
                double(rssAfter) / 1024, connected, connected > 0 ? double(rssAfter - rssBefore) / connected : 0.0);
    if (!all)
        return 1;

    // --- ping round trips --------------------------------------------------------------------
    std::vector<double> seq;
    for (int i = 0; i < pings; ++i) {
        Client &c = clients[size_t(i % n)];
        const int before = c.pongs;
        const qint64 t0 = clock.nsecsElapsed();
        c.ws->sendTextMessage(QStringLiteral("{\"type\":\"ping\",\"request_id\":\"p%1\"}").arg(i));
        c.ws->flush();
        waitUntil([&] { return c.pongs > before; }, 10000);
        seq.push_back(double(clock.nsecsElapsed() - t0) / 1e6);
    }
    std::printf("ping round trip, sequential over %d connections (%d pings): p50 %.3f ms, p99 %.3f ms\n", n, pings, percentile(seq, 0.5),
                percentile(seq, 0.99));

    std::vector<qint64> sent(static_cast<size_t>(n));
    std::vector<int> base(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
        base[size_t(i)] = clients[size_t(i)].pongs;
    for (int i = 0; i < n; ++i) {
        sent[size_t(i)] = clock.nsecsElapsed();
        clients[size_t(i)].ws->sendTextMessage(QStringLiteral("{\"type\":\"ping\",\"request_id\":\"b%1\"}").arg(i));
    }
    std::vector<double> burst(size_t(n), -1);
    waitUntil([&] {
        bool done = true;
        const qint64 now = clock.nsecsElapsed();
        for (int i = 0; i < n; ++i) {
            if (burst[size_t(i)] < 0 && clients[size_t(i)].pongs > base[size_t(i)])
                burst[size_t(i)] = double(now - sent[size_t(i)]) / 1e6;
            done = done && burst[size_t(i)] >= 0;
        }
        return done;
    }, 30000);
    std::printf("ping round trip, all %d connections at once: p50 %.3f ms, p99 %.3f ms\n", n, percentile(burst, 0.5), percentile(burst, 0.99));

    // --- fan-out -----------------------------------------------------------------------------
    for (int i = 0; i < fanout; ++i)
        clients[size_t(i)].ws->sendTextMessage(QStringLiteral("{\"type\":\"subscribe\",\"data\":{\"channels\":[\"system_status\"]},\"request_id\":\"s\"}"));
    waitUntil([&] { return std::all_of(clients.begin(), clients.begin() + fanout, [](const Client &c) { return c.subscribed; }); }, 60000);
    spin(1500); // let the system_status pushes that follow subscribe settle
    QNetworkAccessManager nam;
    QUrl http(url);
    http.setScheme(QStringLiteral("http"));
    http.setPath(QStringLiteral("/api/v1/admin/notifications"));
    QNetworkRequest req(http);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    req.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    std::vector<double> fanoutMs;
    std::vector<double> serverFanoutMs;
    for (int round = 0; round < 5; ++round) {
        for (Client &c : clients)
            c.lastNotificationNs = -1;
        qint64 answeredNs = 0;
        QNetworkReply *reply = nam.post(req, R"({"level":"info","message":"bench"})");
        QObject::connect(reply, &QNetworkReply::finished, reply, [&answeredNs, &clock, &serverFanoutMs, reply] {
            answeredNs = clock.nsecsElapsed();
            serverFanoutMs.push_back(QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("fanout_us")).toDouble() / 1000.0);
        });
        const qint64 t0 = clock.nsecsElapsed();
        waitUntil([&] {
            return std::all_of(clients.begin(), clients.begin() + fanout, [](const Client &c) { return c.lastNotificationNs >= 0; });
        }, 30000);
        qint64 last = 0;
        for (int i = 0; i < fanout; ++i)
            last = std::max(last, clients[size_t(i)].lastNotificationNs);
        waitUntil([&] { return answeredNs > 0; }, 10000);
        reply->deleteLater();
        fanoutMs.push_back(double(last - t0) / 1e6);
        spin(200);
    }
    std::printf("fan-out of one system_notification to %d subscribers (request sent -> last subscriber received): median %.2f ms, max %.2f ms\n",
                fanout, percentile(fanoutMs, 0.5), percentile(fanoutMs, 1.0));
    std::printf("fan-out inside the server (encode once + queue on %d sockets, from the HTTP reply): median %.2f ms, max %.2f ms\n", fanout,
                percentile(serverFanoutMs, 0.5), percentile(serverFanoutMs, 1.0));

    // --- throughput --------------------------------------------------------------------------
    int totalBefore = 0;
    for (const Client &c : clients)
        totalBefore += c.pongs;
    const int window = 4; // pings in flight per connection
    for (Client &c : clients) {
        for (int k = 0; k < window; ++k)
            c.ws->sendTextMessage(QStringLiteral("{\"type\":\"ping\",\"request_id\":\"t\"}"));
    }
    std::vector<int> seen(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
        seen[size_t(i)] = clients[size_t(i)].pongs;
    QElapsedTimer tp;
    tp.start();
    while (tp.elapsed() < seconds * 1000) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        for (int i = 0; i < n; ++i) {
            Client &c = clients[size_t(i)];
            for (; seen[size_t(i)] < c.pongs; ++seen[size_t(i)])
                c.ws->sendTextMessage(QStringLiteral("{\"type\":\"ping\",\"request_id\":\"t\"}"));
        }
    }
    int totalAfter = 0;
    for (const Client &c : clients)
        totalAfter += c.pongs;
    std::printf("throughput: %.0f ping/pong round trips per second (%d connections, %d in flight each, %d s; client and server share the 2 cores)\n",
                double(totalAfter - totalBefore) / (double(tp.elapsed()) / 1000.0), n, window, seconds);

    for (Client &c : clients)
        c.ws->abort();
    server.terminate();
    server.waitForFinished(10000);
    return 0;
}
