// bench_server [--connections N] [--fanout N] [--pings N] [--seconds S] [--client-threads T]
// Starts `emailrag --server` on a free port with a fresh data directory, opens N authenticated
// WebSocket connections from T client threads (one event loop per thread, N/T connections each,
// so that the client side does not become the bottleneck at 10,000 connections) and prints:
//   - time to open and authenticate N, server RSS before/after and RSS per connection
//   - ping round trip p50/p99: sequential (one ping at a time, spread over the connections),
//     then concurrent (every connection pings at once)
//   - fan-out of one admin system_notification (HTTP) to --fanout subscribers: inside the server
//     (encode once + queue on every socket, reported by the server) and to the last receipt
//   - messages/s: ping/pong round trips per second with 4 in flight per connection, also per
//     second of server CPU (a figure that a busy shared machine disturbs less)
// The rate limiter and the idle timeout are relaxed for the run (EMAILRAG_* environment) so that
// it measures the server, not the limits. RLIMIT_NOFILE is raised to the hard limit. Not run by
// ctest; bench/server/run.sh runs it for 1,000, 3,000 and 10,000 connections.

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
#include <QSemaphore>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <vector>

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

namespace {

QElapsedTimer g_clock; // started before any thread; nsecsElapsed() only reads the monotonic clock

qint64 nowNs() { return g_clock.nsecsElapsed(); }
qint64 g_monotonicAtStart = 0; // CLOCK_MONOTONIC when g_clock started: converts the server's clock readings

qint64 monotonicNs()
{
    timespec ts {};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

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

// CPU time of this process (all its threads) in nanoseconds.
qint64 selfCpuNs()
{
    timespec ts {};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// User + system CPU time of a process in milliseconds.
qint64 cpuMs(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray s = f.readAll();
    const QList<QByteArray> fields = s.mid(s.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
    const qint64 ticks = fields.value(11).toLongLong() + fields.value(12).toLongLong(); // utime(14), stime(15)
    return ticks * 1000 / sysconf(_SC_CLK_TCK);
}

void raiseFileLimit()
{
    rlimit rl {};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
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
        QThread::usleep(200);
    }
    return true;
}

void spin(int ms)
{
    waitUntil([] { return false; }, ms);
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
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return x < 0; }), v.end());
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

// What the client threads report; every field is written by one thread at a time or atomic.
struct Shared
{
    std::atomic<int> authenticated{0};
    std::atomic<int> failed{0};
    std::atomic<int> subscribed{0};
    std::atomic<int> notified{0};
    std::atomic<qint64> lastNotificationNs{0};
    std::atomic<int> burstDone{0};
    std::atomic<qint64> pongs{0};
    std::atomic<bool> pipelining{false};
    QSemaphore sequentialDone;
    std::vector<double> burstMs; // per connection (global index), written by its thread
    double sequentialMs = 0;     // written by the thread of the pinged connection before release
};

enum class Mode { Idle, Sequential, Burst, Pipeline };

// One client thread: owns its connections (global indices first, first + stride, ...).
class ClientThread : public QObject
{
public:
    ClientThread(Shared &shared, QUrl url, int first, int stride, int total) : m_shared(shared), m_url(std::move(url))
    {
        for (int g = first; g < total; g += stride)
            m_global.push_back(g);
    }

    // --- run on this object's thread (through QMetaObject::invokeMethod) ---
    void openAll()
    {
        m_conns.resize(m_global.size());
        for (size_t i = 0; i < m_conns.size(); ++i) {
            auto *ws = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
            m_conns[i].ws = ws;
            connect(ws, &QWebSocket::textMessageReceived, this, [this, i](const QString &text) { onText(i, text); });
            connect(ws, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this, i](QAbstractSocket::SocketError) {
                if (!m_conns[i].connected && !m_conns[i].failed) {
                    m_conns[i].failed = true;
                    ++m_shared.failed;
                    --m_inFlight;
                    openNext();
                }
            });
        }
        openNext();
    }
    void pingOne(size_t local)
    {
        m_mode = Mode::Sequential;
        m_conns[local].sentNs = nowNs();
        m_conns[local].ws->sendTextMessage(QStringLiteral("{\"type\":\"ping\",\"request_id\":\"s\"}"));
    }
    void pingAll()
    {
        m_mode = Mode::Burst;
        for (Conn &c : m_conns) {
            c.sentNs = nowNs();
            c.ws->sendTextMessage(QStringLiteral("{\"type\":\"ping\",\"request_id\":\"b\"}"));
        }
    }
    void subscribe(int below)
    {
        for (size_t i = 0; i < m_conns.size(); ++i) {
            if (m_global[i] < below)
                m_conns[i].ws->sendTextMessage(
                    QStringLiteral("{\"type\":\"subscribe\",\"data\":{\"channels\":[\"system_status\"]},\"request_id\":\"sub\"}"));
        }
    }
    void pipeline(int window)
    {
        m_mode = Mode::Pipeline;
        for (Conn &c : m_conns) {
            for (int k = 0; k < window; ++k)
                c.ws->sendTextMessage(QStringLiteral("{\"type\":\"ping\",\"request_id\":\"t\"}"));
        }
    }
    void closeAll()
    {
        for (Conn &c : m_conns)
            c.ws->abort();
        qDeleteAll(findChildren<QWebSocket *>());
        m_conns.clear();
    }

private:
    struct Conn
    {
        QWebSocket *ws = nullptr;
        bool connected = false;
        bool failed = false;
        bool subscribed = false;
        qint64 sentNs = -1;
    };
    static constexpr int kMaxHandshakesInFlight = 64;

    void openNext()
    {
        while (m_inFlight < kMaxHandshakesInFlight && m_next < m_conns.size()) {
            m_conns[m_next++].ws->open(m_url);
            ++m_inFlight;
        }
    }

    void onText(size_t i, const QString &text)
    {
        Conn &c = m_conns[i];
        // Cheap checks on the raw text: this is a load generator, not a validator.
        if (text.contains(QLatin1String("\"type\":\"pong\""))) {
            switch (m_mode) {
            case Mode::Sequential:
                if (c.sentNs >= 0) {
                    m_shared.sequentialMs = double(nowNs() - c.sentNs) / 1e6;
                    c.sentNs = -1;
                    m_shared.sequentialDone.release();
                }
                break;
            case Mode::Burst:
                if (c.sentNs >= 0) {
                    m_shared.burstMs[size_t(m_global[i])] = double(nowNs() - c.sentNs) / 1e6;
                    c.sentNs = -1;
                    ++m_shared.burstDone;
                }
                break;
            case Mode::Pipeline:
                if (m_shared.pipelining.load(std::memory_order_relaxed)) {
                    ++m_shared.pongs;
                    c.ws->sendTextMessage(QStringLiteral("{\"type\":\"ping\",\"request_id\":\"t\"}"));
                }
                break;
            case Mode::Idle:
                break;
            }
        } else if (text.contains(QLatin1String("\"type\":\"system_notification\""))) {
            const qint64 t = nowNs();
            qint64 prev = m_shared.lastNotificationNs.load();
            while (prev < t && !m_shared.lastNotificationNs.compare_exchange_weak(prev, t)) { }
            ++m_shared.notified;
        } else if (!c.subscribed && text.contains(QLatin1String("\"type\":\"subscribed\""))) {
            c.subscribed = true;
            ++m_shared.subscribed;
        } else if (!c.connected && text.contains(QLatin1String("\"type\":\"connected\""))) {
            c.connected = true;
            ++m_shared.authenticated;
            --m_inFlight;
            openNext();
        }
    }

    Shared &m_shared;
    QUrl m_url;
    std::vector<int> m_global; // global index of each local connection
    std::vector<Conn> m_conns;
    size_t m_next = 0;
    int m_inFlight = 0;
    Mode m_mode = Mode::Idle;
};

} // namespace

int main(int argc, char **argv)
{
    g_clock.start();
    g_monotonicAtStart = monotonicNs() - g_clock.nsecsElapsed();
    raiseFileLimit();
    // The client threads use Qt's own poll dispatcher, like the server's thread: glib's walks a
    // list of every socket notifier on each write (docs/server.md "Threads and limits").
    qputenv("QT_NO_THREADED_GLIB", "1");
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // figures appear as they are measured
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("connections"), QStringLiteral("Connections to hold (default 1000)."), QStringLiteral("N"), QStringLiteral("1000")});
    parser.addOption({QStringLiteral("fanout"), QStringLiteral("Subscribers for the fan-out (default 1000)."), QStringLiteral("N"), QStringLiteral("1000")});
    parser.addOption({QStringLiteral("pings"), QStringLiteral("Sequential pings (default 2000)."), QStringLiteral("N"), QStringLiteral("2000")});
    parser.addOption({QStringLiteral("seconds"), QStringLiteral("Throughput run length (default 5)."), QStringLiteral("S"), QStringLiteral("5")});
    parser.addOption({QStringLiteral("client-threads"), QStringLiteral("Client threads (default 4)."), QStringLiteral("T"), QStringLiteral("4")});
    parser.addOption({QStringLiteral("binary"), QStringLiteral("The emailrag binary."), QStringLiteral("PATH"), QStringLiteral(EMAILRAG_BINARY_PATH)});
    parser.addOption({QStringLiteral("server-arg"), QStringLiteral("Extra argument for emailrag --server (repeatable)."), QStringLiteral("ARG")});
    parser.process(app);
    const int n = parser.value(QStringLiteral("connections")).toInt();
    const int fanout = std::min(n, parser.value(QStringLiteral("fanout")).toInt());
    const int pings = parser.value(QStringLiteral("pings")).toInt();
    const int seconds = parser.value(QStringLiteral("seconds")).toInt();
    const int threads = std::clamp(parser.value(QStringLiteral("client-threads")).toInt(), 1, 64);
    const QString bin = parser.value(QStringLiteral("binary"));

    rlimit rl {};
    getrlimit(RLIMIT_NOFILE, &rl);
    std::printf("machine: %d cores; open-file limit %llu; %d client threads\n", int(QThread::idealThreadCount()),
                (unsigned long long)rl.rlim_cur, threads);
    {
        QFile la(QStringLiteral("/proc/loadavg"));
        if (la.open(QIODevice::ReadOnly))
            std::printf("load average at start: %s", la.readLine().constData());
    }

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
    env.insert(QStringLiteral("EMAILRAG_HEARTBEAT_MS"), QStringLiteral("3600000")); // idle connections are the point
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("emailrag.core.info=false"));
    server.setProcessEnvironment(env);
    server.setProcessChannelMode(QProcess::SeparateChannels);
    QStringList serverArgs{QStringLiteral("--server"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data"), dir.path()};
    serverArgs += parser.values(QStringLiteral("server-arg"));
    server.start(bin, serverArgs);
    QString url;
    QByteArray err;
    waitUntil([&] {
        err += server.readAllStandardError();
        const auto m = QRegularExpression(QStringLiteral("serving (ws://\\S+)")).match(QString::fromUtf8(err));
        if (m.hasMatch())
            url = m.captured(1);
        return !url.isEmpty() || server.state() == QProcess::NotRunning;
    }, 20000);
    if (url.isEmpty()) {
        std::fprintf(stderr, "server did not start: %s\n", err.constData());
        return 1;
    }
    const qint64 pid = server.processId();
    spin(300);
    const qint64 rssBefore = rssKb(pid);

    // --- connections -------------------------------------------------------------------------
    QUrl wsUrl(url);
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("token"), token);
    wsUrl.setQuery(q);
    Shared shared;
    shared.burstMs.assign(size_t(n), -1);
    std::vector<std::unique_ptr<QThread>> pool;
    std::vector<ClientThread *> clients;
    for (int t = 0; t < threads; ++t) {
        pool.push_back(std::make_unique<QThread>());
        auto *c = new ClientThread(shared, wsUrl, t, threads, n);
        c->moveToThread(pool.back().get());
        QObject::connect(pool.back().get(), &QThread::finished, c, &QObject::deleteLater);
        pool.back()->start();
        clients.push_back(c);
    }
    auto owner = [&](int global) { return clients[size_t(global % threads)]; };
    auto local = [&](int global) { return size_t(global / threads); };

    const qint64 cpu0 = cpuMs(pid);
    const qint64 t0 = nowNs();
    for (ClientThread *c : clients)
        QMetaObject::invokeMethod(c, [c] { c->openAll(); });
    const bool all = waitUntil([&] { return shared.authenticated + shared.failed == n; }, 600000);
    const double connectSecs = double(nowNs() - t0) / 1e9;
    const qint64 cpuOpen = cpuMs(pid) - cpu0;
    spin(1000);
    const qint64 rssAfter = rssKb(pid);
    const int connected = shared.authenticated;
    std::printf("connections: %d of %d authenticated in %.2f s (%d failed; server CPU %.2f s = %.0f us per connection)\n", connected, n,
                connectSecs, int(shared.failed), double(cpuOpen) / 1000, connected ? double(cpuOpen) * 1000 / connected : 0.0);
    std::printf("server RSS: %.1f MB idle -> %.1f MB with %d connections = %.1f KB per connection\n", double(rssBefore) / 1024,
                double(rssAfter) / 1024, connected, connected > 0 ? double(rssAfter - rssBefore) / connected : 0.0);
    if (!all || connected != n) {
        server.kill();
        server.waitForFinished(5000);
        return 1;
    }

    // --- ping round trips --------------------------------------------------------------------
    std::vector<double> seq;
    const qint64 cpuSeq0 = cpuMs(pid);
    for (int i = 0; i < pings; ++i) {
        const int g = int((qint64(i) * 7919) % n); // spread over the connections and the threads
        ClientThread *c = owner(g);
        const size_t l = local(g);
        QMetaObject::invokeMethod(c, [c, l] { c->pingOne(l); });
        if (!shared.sequentialDone.tryAcquire(1, 10000)) {
            std::fprintf(stderr, "ping %d: no pong within 10 s\n", i);
            break;
        }
        seq.push_back(shared.sequentialMs);
    }
    const double cpuSeq = double(cpuMs(pid) - cpuSeq0);
    std::printf("ping round trip, sequential over %d connections (%d pings): p50 %.3f ms, p99 %.3f ms; server CPU %.0f us per ping\n", n,
                int(seq.size()), percentile(seq, 0.5), percentile(seq, 0.99), seq.empty() ? 0.0 : cpuSeq * 1000 / double(seq.size()));

    for (ClientThread *c : clients)
        QMetaObject::invokeMethod(c, [c] { c->pingAll(); });
    waitUntil([&] { return shared.burstDone == n; }, 60000);
    std::printf("ping round trip, all %d connections at once: p50 %.3f ms, p99 %.3f ms (%d answered)\n", n, percentile(shared.burstMs, 0.5),
                percentile(shared.burstMs, 0.99), int(shared.burstDone));

    // --- fan-out -----------------------------------------------------------------------------
    for (ClientThread *c : clients)
        QMetaObject::invokeMethod(c, [c, fanout] { c->subscribe(fanout); });
    waitUntil([&] { return shared.subscribed == fanout; }, 60000);
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
    std::vector<double> serverQueuedMs;
    std::vector<double> serverCpuMs;
    std::vector<double> serverProcessCpuMs;
    std::vector<double> clientCpuMs; // this process (the client threads) from send to last receipt
    std::vector<double> fromStartMs; // the server began the fan-out -> last receipt
    qint64 serverStartNs = 0;        // on g_clock
    for (int round = 0; round < 7; ++round) {
        shared.notified = 0;
        shared.lastNotificationNs = 0;
        bool answered = false;
        const qint64 sent = nowNs();
        const qint64 clientCpu0 = selfCpuNs();
        QNetworkReply *reply = nam.post(req, R"({"level":"info","message":"bench"})");
        QObject::connect(reply, &QNetworkReply::finished, reply, [&answered, &serverFanoutMs, &serverQueuedMs, &serverCpuMs, &serverProcessCpuMs, &serverStartNs, reply] {
            answered = true;
            const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
            serverFanoutMs.push_back(o.value(QStringLiteral("fanout_us")).toDouble() / 1000.0);
            serverQueuedMs.push_back(o.value(QStringLiteral("fanout_queued_us")).toDouble() / 1000.0);
            serverCpuMs.push_back(o.value(QStringLiteral("fanout_cpu_us")).toDouble() / 1000.0);
            serverProcessCpuMs.push_back(o.value(QStringLiteral("fanout_process_cpu_us")).toDouble() / 1000.0);
            serverStartNs = o.value(QStringLiteral("fanout_start_monotonic_ns")).toString().toLongLong() - g_monotonicAtStart;
        });
        waitUntil([&] { return shared.notified >= fanout && answered; }, 30000);
        clientCpuMs.push_back(double(selfCpuNs() - clientCpu0) / 1e6);
        fromStartMs.push_back(double(shared.lastNotificationNs - serverStartNs) / 1e6);
        reply->deleteLater();
        fanoutMs.push_back(double(shared.lastNotificationNs - sent) / 1e6);
        spin(200);
    }
    std::printf("fan-out of one system_notification to %d subscribers, inside the server: encode once + queue on every socket median %.2f ms (max %.2f); "
                "+ write() to every socket median %.2f ms (max %.2f), of which server thread CPU median %.2f ms, server process CPU median %.2f ms\n",
                fanout, percentile(serverQueuedMs, 0.5), percentile(serverQueuedMs, 1.0), percentile(serverFanoutMs, 0.5), percentile(serverFanoutMs, 1.0),
                percentile(serverCpuMs, 0.5), percentile(serverProcessCpuMs, 0.5));
    std::printf("fan-out, HTTP request sent -> last subscriber received: median %.2f ms, max %.2f ms; bench client CPU meanwhile median %.2f ms\n",
                percentile(fanoutMs, 0.5), percentile(fanoutMs, 1.0), percentile(clientCpuMs, 0.5));
    std::printf("fan-out, server begins it (request read, user checked) -> last subscriber received: median %.2f ms, max %.2f ms\n",
                percentile(fromStartMs, 0.5), percentile(fromStartMs, 1.0));

    // --- throughput --------------------------------------------------------------------------
    const int window = 4; // pings in flight per connection
    shared.pongs = 0;
    shared.pipelining = true;
    const qint64 cpuTp0 = cpuMs(pid);
    const qint64 tp0 = nowNs();
    for (ClientThread *c : clients)
        QMetaObject::invokeMethod(c, [c, window] { c->pipeline(window); });
    spin(seconds * 1000);
    shared.pipelining = false;
    const double tpSecs = double(nowNs() - tp0) / 1e9;
    const double tpCpu = double(cpuMs(pid) - cpuTp0) / 1000;
    const double rounds = double(shared.pongs);
    std::printf("throughput: %.0f ping/pong round trips per second (%d connections, %d in flight each, %.1f s); server CPU %.2f s = %.0f round trips per server CPU second\n",
                rounds / tpSecs, n, window, tpSecs, tpCpu, tpCpu > 0 ? rounds / tpCpu : 0.0);
    spin(500);

    // Graceful shutdown with every connection open: SIGTERM -> disconnecting + close to each
    // (the client threads answer the close frames) -> exit.
    const qint64 stop0 = nowNs();
    server.terminate();
    const bool exited = server.waitForFinished(60000);
    std::printf("graceful shutdown with %d connections: %s in %.2f s\n", n, exited && server.exitCode() == 0 ? "exit 0" : "NOT finished",
                double(nowNs() - stop0) / 1e9);
    if (!exited) {
        server.kill();
        server.waitForFinished(5000);
    }
    for (ClientThread *c : clients)
        QMetaObject::invokeMethod(c, [c] { c->closeAll(); }, Qt::BlockingQueuedConnection);
    for (auto &t : pool) {
        t->quit();
        t->wait();
    }
    return 0;
}
