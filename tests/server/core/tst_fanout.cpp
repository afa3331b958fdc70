// The fan-out's direct writes: the frame FanoutWriter builds, its split over threads, full and
// failing receivers (socketpairs); and against the real Server: every subscriber gets every push
// once and in order, written straight to its socket, and a receiver that stops reading gets the
// rest of a push through Qt's buffer (whole and in order once it reads again) and is dropped at
// the send-queue bound without disturbing the others; TLS receivers get pushes through Qt.

#include "fanoutwriter.h"
#include "serverfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QProcess>
#include <QRegularExpression>
#include <QSslConfiguration>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace emailrag::server;

namespace {

struct Pair
{
    int writer = -1;
    int reader = -1;
    ~Pair()
    {
        if (writer >= 0)
            ::close(writer);
        if (reader >= 0)
            ::close(reader);
    }
};

QByteArray readAvailable(int fd)
{
    QByteArray out;
    char buf[65536];
    for (;;) {
        const ssize_t r = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (r <= 0)
            break;
        out.append(buf, r);
    }
    return out;
}

int httpPost(QNetworkAccessManager &nam, const QString &url, const QByteArray &body, const QByteArray &bearer,
             const QSslConfiguration &tls = QSslConfiguration::defaultConfiguration())
{
    QNetworkRequest req{QUrl(url)};
    req.setSslConfiguration(tls);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    req.setRawHeader("Authorization", "Bearer " + bearer);
    QNetworkReply *r = nam.post(req, body);
    QEventLoop loop;
    QObject::connect(r, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    loop.exec();
    const int status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    delete r;
    return status;
}

qint64 metric(const QString &base, const char *name, const QSslConfiguration &tls = QSslConfiguration::defaultConfiguration())
{
    QNetworkAccessManager nam;
    QNetworkRequest req(QUrl(base + QStringLiteral("/metrics")));
    req.setSslConfiguration(tls);
    QNetworkReply *r = nam.get(req);
    QEventLoop loop;
    QObject::connect(r, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    loop.exec();
    const QByteArray body = r->readAll();
    delete r;
    const QRegularExpression re(QStringLiteral("^%1 (\\d+)$").arg(QLatin1String(name)), QRegularExpression::MultilineOption);
    const auto m = re.match(QString::fromUtf8(body));
    return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}

QByteArray notification(const QString &text)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("level"), QStringLiteral("info")}, {QStringLiteral("message"), text}})
        .toJson(QJsonDocument::Compact);
}

// The sequence numbers ("n<k> ...") of the system_notification messages a client received.
QList<int> notificationNumbers(const WsClient &c)
{
    QList<int> out;
    for (const QJsonObject &m : c.ofType(QStringLiteral("system_notification"))) {
        const QString text = m.value(QStringLiteral("data")).toObject().value(QStringLiteral("message")).toString();
        out.append(text.section(QLatin1Char(' '), 0, 0).mid(1).toInt());
    }
    return out;
}

// A client that connects, subscribes and then never reads: its receive buffer is tiny and
// nothing drains it, so the server's writes to it back up (a reader that never drains).
class StalledClient
{
public:
    bool connectAndSubscribe(quint16 port, const QString &token)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        const int small = 4096;
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small); // before connect: no autotuning
        sockaddr_in addr {};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
            return false;
        const QByteArray head = "GET /api/v1/ws?token=" + token.toLatin1() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                                "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        if (::send(m_fd, head.constData(), size_t(head.size()), 0) != head.size())
            return false;
        // Wait for the handshake answer and `connected`, then subscribe (a masked client frame).
        QByteArray got;
        for (int i = 0; i < 500 && !got.contains("\"connected\""); ++i) {
            QTest::qWait(10);
            got += readAvailable(m_fd);
        }
        if (!got.startsWith("HTTP/1.1 101"))
            return false;
        const QByteArray payload = R"({"type":"subscribe","data":{"channels":["system_status"]},"request_id":"st"})";
        QByteArray frame;
        frame.append(char(0x81));
        frame.append(char(0x80 | payload.size())); // < 126
        const quint32 mask = QRandomGenerator::global()->generate();
        const char *m = reinterpret_cast<const char *>(&mask);
        frame.append(m, 4);
        for (qsizetype i = 0; i < payload.size(); ++i)
            frame.append(char(payload[i] ^ m[i % 4]));
        if (::send(m_fd, frame.constData(), size_t(frame.size()), 0) != frame.size())
            return false;
        for (int i = 0; i < 500 && !got.contains("\"subscribed\""); ++i) {
            QTest::qWait(10);
            got += readAvailable(m_fd);
        }
        m_stream = got.mid(got.indexOf("\r\n\r\n") + 4); // the frames after the handshake answer
        return got.contains("\"subscribed\"");
    }
    // Reads what has arrived (the reader resumes) and returns the sequence numbers of the
    // complete system_notification frames received so far; false if the stream is not a clean
    // sequence of unmasked text frames.
    bool drain(QList<int> *numbers)
    {
        m_stream += readAvailable(m_fd);
        numbers->clear();
        qsizetype at = 0;
        while (at + 2 <= m_stream.size()) {
            const auto b = [this](qsizetype i) { return quint8(m_stream[i]); };
            if (b(at) != 0x81 || (b(at + 1) & 0x80))
                return false;
            qint64 len = b(at + 1) & 0x7f;
            qsizetype head = 2;
            if (len == 126) {
                if (at + 4 > m_stream.size())
                    break;
                len = (b(at + 2) << 8) | b(at + 3);
                head = 4;
            } else if (len == 127) {
                if (at + 10 > m_stream.size())
                    break;
                len = 0;
                for (int i = 0; i < 8; ++i)
                    len = (len << 8) | b(at + 2 + i);
                head = 10;
            }
            if (at + head + len > m_stream.size())
                break;
            const QJsonObject o = QJsonDocument::fromJson(m_stream.mid(at + head, len)).object();
            if (o.isEmpty())
                return false;
            if (o.value(QStringLiteral("type")).toString() == QLatin1String("system_notification")) {
                const QString text = o.value(QStringLiteral("data")).toObject().value(QStringLiteral("message")).toString();
                numbers->append(text.section(QLatin1Char(' '), 0, 0).mid(1).toInt());
            }
            at += head + len;
        }
        return true;
    }
    ~StalledClient()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }

private:
    int m_fd = -1;
    QByteArray m_stream; // everything read after the handshake answer
};

} // namespace

class TestFanout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void textFrameHeaders()
    {
        // RFC 6455 5.2: FIN + opcode 1, no mask bit, 7-bit / 16-bit / 64-bit lengths.
        struct Case
        {
            int size;
            QByteArray head;
        };
        const QList<Case> cases = {
            {0, QByteArray("\x81\x00", 2)},
            {125, QByteArray("\x81\x7d", 2)},
            {126, QByteArray("\x81\x7e\x00\x7e", 4)},
            {65535, QByteArray("\x81\x7e\xff\xff", 4)},
            {65536, QByteArray("\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10)},
        };
        for (const Case &c : cases) {
            const QByteArray payload(c.size, 'x');
            const QByteArray frame = FanoutWriter::textFrame(payload);
            QCOMPARE(frame.size(), c.head.size() + c.size);
            QCOMPARE(frame.left(c.head.size()), c.head);
            QCOMPARE(frame.mid(c.head.size()), payload);
        }
    }

    void writesEveryTargetOnceOverThreads()
    {
        FanoutWriter writer(3);
        QCOMPARE(writer.threads(), 3);
        const QByteArray frame = FanoutWriter::textFrame(QByteArray(300, 'a'));
        std::vector<Pair> pairs(200); // above kParallelFrom: the helpers write too
        std::vector<FanoutWriter::Target> targets;
        for (Pair &p : pairs) {
            int fds[2];
            QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
            p.writer = fds[0];
            p.reader = fds[1];
            targets.push_back({p.writer, 0});
        }
        for (int round = 0; round < 3; ++round) {
            writer.write(frame, targets);
            for (size_t i = 0; i < pairs.size(); ++i) {
                QCOMPARE(targets[i].sent, qint64(frame.size()));
                QCOMPARE(readAvailable(pairs[i].reader), frame);
            }
        }
    }

    void fullAndFailingTargetsAreReported()
    {
        FanoutWriter writer(2);
        Pair full, gone, fine;
        int fds[2];
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
        full.writer = fds[0];
        full.reader = fds[1];
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
        gone.writer = fds[0];
        ::close(fds[1]); // the peer went away: EPIPE, no SIGPIPE
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
        fine.writer = fds[0];
        fine.reader = fds[1];
        const int small = 4096;
        ::setsockopt(full.writer, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
        const QByteArray big = FanoutWriter::textFrame(QByteArray(1 << 20, 'b'));
        std::vector<FanoutWriter::Target> targets{{full.writer, 0}, {gone.writer, 0}, {fine.writer, 0}};
        writer.write(big, targets);
        QVERIFY2(targets[0].sent >= 0 && targets[0].sent < big.size(), qPrintable(QString::number(targets[0].sent)));
        QCOMPARE(targets[1].sent, qint64(-1));
        QVERIFY(targets[2].sent >= 0 && targets[2].sent < big.size()); // 1 MiB does not fit either; never blocks
        // What was taken is exactly the start of the frame.
        const QByteArray got = readAvailable(full.reader);
        QCOMPARE(got, big.left(targets[0].sent));
    }

    void everySubscriberGetsEveryPushInOrder()
    {
        ServerConfig cfg;
        cfg.rateLimitPerMinute = 100000;
        cfg.fanoutThreads = 2;
        ServerFixture fx(cfg);
        QVERIFY2(fx.ok(), qPrintable(fx.error));
        const QString token = fx.tokenFor(QStringLiteral("anna"));
        constexpr int kClients = 100; // above FanoutWriter::kParallelFrom
        std::vector<std::unique_ptr<WsClient>> clients;
        for (int i = 0; i < kClients; ++i) {
            clients.push_back(std::make_unique<WsClient>());
            QVERIFY(clients.back()->openAndWaitConnected(fx.url(), token));
            clients.back()->sendJson(QJsonObject{{QStringLiteral("type"), QStringLiteral("subscribe")},
                                                 {QStringLiteral("data"), QJsonObject{{QStringLiteral("channels"), QJsonArray{QStringLiteral("system_status")}}}},
                                                 {QStringLiteral("request_id"), QStringLiteral("s")}});
        }
        for (auto &c : clients)
            QVERIFY(!c->waitFor(QStringLiteral("subscribed"), QStringLiteral("s")).isEmpty());
        const qint64 direct0 = metric(fx.httpBase(), "emailrag_fanout_direct_total");
        QNetworkAccessManager nam;
        constexpr int kPushes = 5;
        for (int n = 0; n < kPushes; ++n) {
            // Interleaved with each push: a ping per client, answered through the ordinary path.
            for (int i = 0; i < kClients; i += 7)
                clients[size_t(i)]->sendJson(QJsonObject{{QStringLiteral("type"), QStringLiteral("ping")}, {QStringLiteral("request_id"), QStringLiteral("p%1").arg(n)}});
            QCOMPARE(httpPost(nam, fx.httpBase() + QStringLiteral("/api/v1/admin/notifications"), notification(QStringLiteral("n%1 hello").arg(n)),
                              token.toLatin1()),
                     200);
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(clients.begin(), clients.end(), [](const auto &c) { return c->ofType(QStringLiteral("system_notification")).size() >= kPushes; }),
                                 20000);
        QTest::qWait(100); // nothing more (no duplicates) arrives
        const QList<int> expected{0, 1, 2, 3, 4};
        for (auto &c : clients) {
            QCOMPARE(notificationNumbers(*c), expected);
            for (const QJsonObject &m : c->ofType(QStringLiteral("system_notification"))) {
                QCOMPARE(m.value(QStringLiteral("data")).toObject().value(QStringLiteral("level")).toString(), QStringLiteral("info"));
                QVERIFY(isSeedTimestamp(m.value(QStringLiteral("timestamp"))));
                QVERIFY(!m.contains(QStringLiteral("request_id")));
            }
        }
        for (int i = 0; i < kClients; i += 7) {
            for (int n = 0; n < kPushes; ++n)
                QVERIFY(!clients[size_t(i)]->waitFor(QStringLiteral("pong"), QStringLiteral("p%1").arg(n)).isEmpty());
        }
        // They went straight to the sockets, except to a client whose pong was still queued in
        // Qt when a push came (then behind it, through Qt): at most the 15 pinging clients.
        QVERIFY(metric(fx.httpBase(), "emailrag_fanout_direct_total") - direct0 >= (kClients - 15) * kPushes);
    }

    void tlsReceiversGetPushesThroughQt()
    {
        // TLS sockets cannot take raw bytes: every push to them goes through QWebSocket.
        if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
            QSKIP("openssl CLI not installed");
        QTemporaryDir dir;
        const QString cert = dir.filePath(QStringLiteral("cert.pem")), key = dir.filePath(QStringLiteral("key.pem"));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
                       QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert, QStringLiteral("-days"), QStringLiteral("1"),
                       QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1")});
        QVERIFY(openssl.waitForFinished(60000));
        QCOMPARE(openssl.exitCode(), 0);
        ServerConfig cfg;
        cfg.rateLimitPerMinute = 100000;
        cfg.fanoutThreads = 2;
        cfg.tlsCert = cert;
        cfg.tlsKey = key;
        ServerFixture fx(cfg);
        QVERIFY2(fx.ok(), qPrintable(fx.error));
        QVERIFY(fx.url().startsWith(QLatin1String("wss://")));
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.addCaCertificates(cert);
        const QString base = fx.httpBase().replace(QLatin1String("http://"), QLatin1String("https://"));
        const QString token = fx.tokenFor(QStringLiteral("anna"));
        constexpr int kClients = 70;
        std::vector<std::unique_ptr<WsClient>> clients;
        for (int i = 0; i < kClients; ++i) {
            clients.push_back(std::make_unique<WsClient>());
            clients.back()->socket().setSslConfiguration(tls);
            QVERIFY(clients.back()->openAndWaitConnected(fx.url(), token));
            clients.back()->sendJson(QJsonObject{{QStringLiteral("type"), QStringLiteral("subscribe")},
                                                 {QStringLiteral("data"), QJsonObject{{QStringLiteral("channels"), QJsonArray{QStringLiteral("system_status")}}}},
                                                 {QStringLiteral("request_id"), QStringLiteral("s")}});
        }
        for (auto &c : clients)
            QVERIFY(!c->waitFor(QStringLiteral("subscribed"), QStringLiteral("s")).isEmpty());
        QNetworkAccessManager nam;
        for (int n = 0; n < 2; ++n)
            QCOMPARE(httpPost(nam, base + QStringLiteral("/api/v1/admin/notifications"), notification(QStringLiteral("n%1 tls").arg(n)), token.toLatin1(), tls),
                     200);
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(clients.begin(), clients.end(), [](const auto &c) { return c->ofType(QStringLiteral("system_notification")).size() >= 2; }),
                                 20000);
        for (auto &c : clients)
            QCOMPARE(notificationNumbers(*c), (QList<int>{0, 1}));
        QCOMPARE(metric(base, "emailrag_fanout_direct_total", tls), 0);
        QCOMPARE(metric(base, "emailrag_fanout_queued_total", tls), 2 * kClients);
    }

    void stalledReaderThatResumesGetsEveryPushIntact()
    {
        ServerConfig cfg;
        cfg.rateLimitPerMinute = 100000;
        cfg.fanoutThreads = 2;
        ServerFixture fx(cfg);
        QVERIFY2(fx.ok(), qPrintable(fx.error));
        const QString token = fx.tokenFor(QStringLiteral("anna"));
        StalledClient reader;
        QVERIFY(reader.connectAndSubscribe(fx.server().serverPort(), token));
        // Pushes until the kernel refuses part of one (the rest is queued in Qt), then three
        // more (queued behind it), then the reader resumes: every push arrives, whole, in order.
        const QString filler(4000, QLatin1Char('y'));
        QNetworkAccessManager nam;
        const auto post = [&](int n) {
            return httpPost(nam, fx.httpBase() + QStringLiteral("/api/v1/admin/notifications"), notification(QStringLiteral("n%1 ").arg(n) + filler),
                            token.toLatin1());
        };
        int sent = 0;
        const qint64 partial0 = metric(fx.httpBase(), "emailrag_fanout_partial_total");
        while (sent < 5000 && metric(fx.httpBase(), "emailrag_fanout_partial_total") == partial0)
            QCOMPARE(post(sent++), 200);
        QVERIFY2(sent < 5000, "the kernel never refused part of a push");
        const qint64 queued0 = metric(fx.httpBase(), "emailrag_fanout_queued_total");
        for (int i = 0; i < 3; ++i)
            QCOMPARE(post(sent++), 200);
        QCOMPARE(metric(fx.httpBase(), "emailrag_fanout_queued_total") - queued0, 3); // behind the rest, through Qt
        QList<int> expected;
        for (int n = 0; n < sent; ++n)
            expected.append(n);
        QList<int> got;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 20000) {
            QVERIFY2(reader.drain(&got), "the stream is not a clean sequence of frames");
            if (got.size() >= sent)
                break;
            QTest::qWait(5);
        }
        QCOMPARE(got, expected);
        QCOMPARE(fx.server().connectionCount(), 1);
    }

    void stalledReaderIsQueuedThenDroppedOthersUnharmed()
    {
        ServerConfig cfg;
        cfg.rateLimitPerMinute = 100000;
        cfg.fanoutThreads = 2;
        cfg.maxSendQueueBytes = 64 * 1024; // the smallest allowed
        ServerFixture fx(cfg);
        QVERIFY2(fx.ok(), qPrintable(fx.error));
        const QString token = fx.tokenFor(QStringLiteral("anna"));
        StalledClient stalled;
        QVERIFY(stalled.connectAndSubscribe(fx.server().serverPort(), token));
        WsClient good;
        QVERIFY(good.openAndWaitConnected(fx.url(), token));
        good.sendJson(QJsonObject{{QStringLiteral("type"), QStringLiteral("subscribe")},
                                  {QStringLiteral("data"), QJsonObject{{QStringLiteral("channels"), QJsonArray{QStringLiteral("system_status")}}}},
                                  {QStringLiteral("request_id"), QStringLiteral("s")}});
        QVERIFY(!good.waitFor(QStringLiteral("subscribed"), QStringLiteral("s")).isEmpty());
        QCOMPARE(fx.server().connectionCount(), 2);

        // 4,000-character pushes until the stalled client's kernel buffers are full (a partial
        // or refused direct write), its Qt queue passes 64 KiB and it is dropped.
        const QString filler(4000, QLatin1Char('z'));
        QNetworkAccessManager nam;
        int sent = 0;
        for (; sent < 5000 && fx.server().connectionCount() == 2; ++sent)
            QCOMPARE(httpPost(nam, fx.httpBase() + QStringLiteral("/api/v1/admin/notifications"),
                              notification(QStringLiteral("n%1 ").arg(sent) + filler), token.toLatin1()),
                     200);
        qInfo() << "stalled reader dropped after" << sent << "pushes";
        QTRY_COMPARE_WITH_TIMEOUT(fx.server().connectionCount(), 1, 10000);
        QVERIFY2(metric(fx.httpBase(), "emailrag_fanout_partial_total") >= 1, "the kernel never refused part of a push");
        QCOMPARE(metric(fx.httpBase(), "emailrag_slow_clients_dropped_total"), 1);
        // The reading client got every push, in order, exactly once.
        QTRY_COMPARE_WITH_TIMEOUT(good.ofType(QStringLiteral("system_notification")).size(), sent, 20000);
        QList<int> expected;
        for (int n = 0; n < sent; ++n)
            expected.append(n);
        QCOMPARE(notificationNumbers(good), expected);
        QVERIFY(!good.isClosed());
    }
};

QTEST_MAIN(TestFanout)
#include "tst_fanout.moc"
