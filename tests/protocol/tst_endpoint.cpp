// Endpoint over a real QWebSocketServer/QWebSocket pair on loopback (port 0): every message
// type in both directions, binary upload frames, decode failures answered with the seed's
// error, the socket size cap, close codes; and the RequestTracker.

#include "closecode.h"
#include "endpoint.h"
#include "requesttracker.h"
#include "samplemessages.h"
#include "timestamp.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocketServer>

#include <memory>

using namespace emailrag::protocol;
using namespace std::chrono_literals;

namespace {
QSet<QString> toSet(const QStringList &list)
{
    return QSet<QString>(list.begin(), list.end());
}

// A connected client/server endpoint pair plus everything they received.
struct Pair
{
    explicit Pair(const Limits &limits = {})
        : wsServer(QStringLiteral("test"), QWebSocketServer::NonSecureMode)
    {
        if (!wsServer.listen(QHostAddress::LocalHost, 0))
            qFatal("cannot listen");
        QObject::connect(&wsServer, &QWebSocketServer::newConnection, &wsServer, [this, limits] {
            server
                = std::make_unique<Endpoint>(Endpoint::Role::Server, wsServer.nextPendingConnection(), nullptr, limits);
            QObject::connect(server.get(), &Endpoint::clientMessageReceived, server.get(),
                [this](const ClientEnvelope &e) { fromClient.append(e); });
            QObject::connect(server.get(), &Endpoint::uploadChunkReceived, server.get(),
                [this](const UploadChunk &c) { chunks.append(c); });
            QObject::connect(server.get(), &Endpoint::decodeFailed, server.get(),
                [this](const DecodeError &e) { serverDecodeErrors.append(e); });
            QObject::connect(server.get(), &Endpoint::disconnected, server.get(),
                [this](quint16 code, const QString &) { serverCloseCode = code; });
        });
        client = std::make_unique<Endpoint>(Endpoint::Role::Client, new QWebSocket, nullptr, limits);
        QObject::connect(client.get(), &Endpoint::serverMessageReceived, client.get(),
            [this](const ServerEnvelope &e) { fromServer.append(e); });
        QObject::connect(
            client.get(), &Endpoint::disconnected, client.get(), [this](quint16 code, const QString &reason) {
                clientCloseCode = code;
                clientCloseReason = reason;
            });
        QObject::connect(client->socket(), &QWebSocket::textMessageReceived, client.get(),
            [this](const QString &text) { rawFromServer.append(text); });
        QSignalSpy connected(client.get(), &Endpoint::connected);
        client->socket()->open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/v1/ws").arg(wsServer.serverPort())));
        if (!connected.wait(5000) || !QTest::qWaitFor([this] { return server && server->isConnected(); }, 5000))
            qFatal("loopback connection failed");
    }

    QWebSocketServer wsServer;
    std::unique_ptr<Endpoint> server;
    std::unique_ptr<Endpoint> client;
    QList<ClientEnvelope> fromClient;
    QList<ServerEnvelope> fromServer;
    QStringList rawFromServer;
    QList<UploadChunk> chunks;
    QList<DecodeError> serverDecodeErrors;
    int serverCloseCode = -1;
    int clientCloseCode = -1;
    QString clientCloseReason;
};

} // namespace

class TestEndpoint : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void clientMessagesRoundTrip();
    void serverMessagesRoundTrip();
    void uploadChunks();
    void decodeFailureIsAnsweredWithSeedError();
    void oversizeMessageClosesWith1009();
    void wrongDirectionAndDisconnectedSendsFail();
    void closeCodeReachesPeer();
    void queuedConnectionsDeliverTypedValues();
    void requestTrackerIdsAndTimeouts();
};

void TestEndpoint::clientMessagesRoundTrip()
{
    Pair pair;
    const QList<ClientMessage> samples = test::sampleClientMessages();
    for (int i = 0; i < samples.size(); ++i)
        QVERIFY(pair.client->send(samples.at(i), QStringLiteral("req_%1").arg(i + 1)));
    QVERIFY(pair.client->send(Ping {})); // no request id at all
    QTRY_COMPARE(pair.fromClient.size(), samples.size() + 1);
    QSet<QString> types;
    for (int i = 0; i < samples.size(); ++i) {
        QCOMPARE(pair.fromClient.at(i).requestId, QStringLiteral("req_%1").arg(i + 1));
        QVERIFY2(pair.fromClient.at(i).message == samples.at(i), qPrintable(messageType(samples.at(i))));
        types.insert(messageType(pair.fromClient.at(i).message));
    }
    QVERIFY(pair.fromClient.last().requestId.isEmpty());
    QCOMPARE(types, toSet(clientMessageTypes()));
    QVERIFY(pair.serverDecodeErrors.isEmpty());
}

void TestEndpoint::serverMessagesRoundTrip()
{
    Pair pair;
    const QList<ServerMessage> samples = test::sampleServerMessages();
    const QDateTime before = currentTimestamp();
    for (int i = 0; i < samples.size(); ++i)
        QVERIFY(pair.server->send(samples.at(i), i % 2 ? QStringLiteral("req_%1").arg(i) : QString()));
    QTRY_COMPARE(pair.fromServer.size(), samples.size());
    QSet<QString> types;
    for (int i = 0; i < samples.size(); ++i) {
        const ServerEnvelope &received = pair.fromServer.at(i);
        QVERIFY2(received.message == samples.at(i), qPrintable(messageType(samples.at(i))));
        QCOMPARE(received.requestId, i % 2 ? QStringLiteral("req_%1").arg(i) : QString());
        QVERIFY(received.timestamp.isValid());
        QVERIFY(received.timestamp >= before && received.timestamp <= QDateTime::currentDateTimeUtc());
        types.insert(messageType(received.message));
    }
    QCOMPARE(types, toSet(serverMessageTypes()));
    // On the wire: the seed's timestamp form, and no request_id on pushes.
    const QRegularExpression seedTimestamp(QStringLiteral(R"("timestamp":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")"));
    QCOMPARE(pair.rawFromServer.size(), samples.size());
    for (int i = 0; i < samples.size(); ++i) {
        QVERIFY2(seedTimestamp.match(pair.rawFromServer.at(i)).hasMatch(), qPrintable(pair.rawFromServer.at(i)));
        const QJsonObject raw = QJsonDocument::fromJson(pair.rawFromServer.at(i).toUtf8()).object();
        QCOMPARE(raw.contains(QStringLiteral("request_id")), bool(i % 2));
    }
}

void TestEndpoint::uploadChunks()
{
    Pair pair;
    QByteArray first(300 * 1024, 'm');
    first[0] = '\0';
    const QByteArray second("tail\r\n", 6);
    QVERIFY(pair.client->sendUploadChunk(0, first));
    QVERIFY(pair.client->sendUploadChunk(quint64(first.size()), second));
    QVERIFY(!pair.client->sendUploadChunk(10, {})); // empty payloads are not sent
    QTRY_COMPARE(pair.chunks.size(), 2);
    QCOMPARE(pair.chunks.at(0), (UploadChunk { 0, first }));
    QCOMPARE(pair.chunks.at(1), (UploadChunk { quint64(first.size()), second }));

    // A frame too short for the header is a decode failure, not a chunk.
    pair.client->socket()->sendBinaryMessage(QByteArray(5, 'x'));
    QTRY_COMPARE(pair.serverDecodeErrors.size(), 1);
    QCOMPARE(pair.serverDecodeErrors.at(0).reason, DecodeReason::BadFrame);
    QCOMPARE(pair.chunks.size(), 2);
}

void TestEndpoint::decodeFailureIsAnsweredWithSeedError()
{
    Pair pair;
    QObject::connect(pair.server.get(), &Endpoint::decodeFailed, pair.server.get(),
        [&pair](const DecodeError &e) { pair.server->sendDecodeError(e); });
    pair.client->socket()->sendTextMessage(QStringLiteral("this is not json"));
    pair.client->socket()->sendTextMessage(
        QStringLiteral(R"({"type":"stream_search","data":{"query":"q","limit":0},"request_id":"search_9"})"));
    QTRY_COMPARE(pair.fromServer.size(), 2);

    const auto &first = std::get<ErrorMessage>(pair.fromServer.at(0).message);
    QCOMPARE(first.code, ErrorCode::InvalidRequest);
    QCOMPARE(first.details.value(QStringLiteral("reason")).toString(), QStringLiteral("invalid_json"));
    QVERIFY(pair.fromServer.at(0).requestId.isEmpty());

    const auto &second = std::get<ErrorMessage>(pair.fromServer.at(1).message);
    QCOMPARE(pair.fromServer.at(1).requestId, QStringLiteral("search_9"));
    QCOMPARE(second.code, ErrorCode::InvalidRequest);
    QCOMPARE(second.details.value(QStringLiteral("reason")).toString(), QStringLiteral("out_of_range"));
    QCOMPARE(second.details.value(QStringLiteral("field")).toString(), QStringLiteral("data.limit"));
    QVERIFY(pair.server->isConnected());
}

void TestEndpoint::oversizeMessageClosesWith1009()
{
    Limits limits;
    limits.maxMessageBytes = 64 * 1024;
    Pair pair(limits);
    // Below the cap: fine (30 Ki characters of two UTF-8 bytes each).
    QVERIFY(pair.client->send(ChatMessage { QString(30 * 1024, QChar(0xE9)), std::nullopt }));
    QTRY_COMPARE(pair.fromClient.size(), 1);
    // Above it: Qt closes the connection before buffering it, with 1009.
    pair.client->socket()->sendTextMessage(QString(100 * 1024, QLatin1Char('a')));
    QTRY_COMPARE(pair.clientCloseCode, int(CloseCode::MessageTooBig));
    QTRY_VERIFY(!pair.server->isConnected());
    QCOMPARE(pair.fromClient.size(), 1);
}

void TestEndpoint::wrongDirectionAndDisconnectedSendsFail()
{
    Pair pair;
    QVERIFY(!pair.server->send(ClientMessage(Ping {})));
    QVERIFY(!pair.client->send(ServerMessage(Pong {})));
    QVERIFY(!pair.server->sendUploadChunk(0, "x"));
    Endpoint lonely(Endpoint::Role::Client, new QWebSocket);
    QVERIFY(!lonely.isConnected());
    QVERIFY(!lonely.send(Ping {}, QStringLiteral("p")));
    // Nothing arrived from the refused sends.
    QVERIFY(pair.client->send(Ping {}, QStringLiteral("after")));
    QTRY_COMPARE(pair.fromClient.size(), 1);
    QCOMPARE(pair.fromClient.at(0).requestId, QStringLiteral("after"));
    QVERIFY(pair.fromServer.isEmpty());
}

void TestEndpoint::closeCodeReachesPeer()
{
    Pair pair;
    QVERIFY(pair.server->send(Disconnecting { QStringLiteral("token_expired"), 0 }));
    pair.server->close(CloseCode::TokenExpired, QStringLiteral("token expired"));
    QTRY_COMPARE(pair.clientCloseCode, int(CloseCode::TokenExpired));
    QCOMPARE(pair.clientCloseReason, QStringLiteral("token expired"));
    QCOMPARE(pair.fromServer.size(), 1);
    QCOMPARE(std::get<Disconnecting>(pair.fromServer.at(0).message).reason, QStringLiteral("token_expired"));
}

void TestEndpoint::queuedConnectionsDeliverTypedValues()
{
    // Sessions may hand messages to objects on other threads: the signal argument types must be
    // usable in queued connections without any registration by the user.
    Pair pair;
    QObject receiver;
    QList<ClientEnvelope> queued;
    QList<DecodeError> queuedErrors;
    connect(
        pair.server.get(), &Endpoint::clientMessageReceived, &receiver,
        [&queued](const ClientEnvelope &e) { queued.append(e); }, Qt::QueuedConnection);
    connect(
        pair.server.get(), &Endpoint::decodeFailed, &receiver,
        [&queuedErrors](const DecodeError &e) { queuedErrors.append(e); }, Qt::QueuedConnection);
    QVERIFY(pair.client->send(GetEmail { QStringLiteral("email_5") }, QStringLiteral("q1")));
    pair.client->socket()->sendTextMessage(QStringLiteral("[]"));
    QTRY_COMPARE(queued.size(), 1);
    QCOMPARE(queued.at(0), (ClientEnvelope { GetEmail { QStringLiteral("email_5") }, QStringLiteral("q1") }));
    QTRY_COMPARE(queuedErrors.size(), 1);
    QCOMPARE(queuedErrors.at(0).reason, DecodeReason::NotObject);
}

void TestEndpoint::requestTrackerIdsAndTimeouts()
{
    RequestTracker tracker;
    QCOMPARE(tracker.nextId(), QStringLiteral("req_1"));
    QCOMPARE(tracker.nextId(), QStringLiteral("req_2"));
    QSignalSpy timedOut(&tracker, &RequestTracker::requestTimedOut);

    tracker.track(QStringLiteral("fast"), 30ms);
    tracker.track(QStringLiteral("done"), 30ms);
    tracker.track(QStringLiteral("kept"), 200ms);
    QCOMPARE(tracker.pendingCount(), 3);
    QVERIFY(tracker.finish(QStringLiteral("done")));
    QVERIFY(!tracker.finish(QStringLiteral("done")));
    QTRY_COMPARE(timedOut.size(), 1);
    QCOMPARE(timedOut.at(0).at(0).toString(), QStringLiteral("fast"));
    QVERIFY(!tracker.isPending(QStringLiteral("fast")));
    QVERIFY(tracker.isPending(QStringLiteral("kept")));

    // touch() restarts the timer: keep touching past its original deadline.
    for (int i = 0; i < 4; ++i) {
        QTest::qWait(80);
        QVERIFY(tracker.touch(QStringLiteral("kept")));
    }
    QCOMPARE(timedOut.size(), 1);
    QTRY_COMPARE(timedOut.size(), 2);
    QCOMPARE(timedOut.at(1).at(0).toString(), QStringLiteral("kept"));
    QVERIFY(!tracker.touch(QStringLiteral("kept")));

    tracker.track(QStringLiteral("cleared"), 20ms);
    tracker.clear();
    QCOMPARE(tracker.pendingCount(), 0);
    QTest::qWait(60);
    QCOMPARE(timedOut.size(), 2);
}

QTEST_GUILESS_MAIN(TestEndpoint)
#include "tst_endpoint.moc"
