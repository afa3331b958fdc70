// Codec: the seed's examples decode to their typed values and re-encode to equal JSON; every
// message type round-trips; every malformed case yields its documented reason; timestamps;
// docs/protocol.md examples are valid.

#include "codec.h"
#include "samplemessages.h"
#include "seedexamples.h"
#include "timestamp.h"
#include "uploadframe.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace emailrag::protocol;

namespace {
QSet<QString> toSet(const QStringList &list)
{
    return QSet<QString>(list.begin(), list.end());
}

QJsonObject parse(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("test JSON does not parse: %s\n%s", qPrintable(error.errorString()), json.constData());
    return document.object();
}

QString dump(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

// The doc examples: every ```json block of docs/protocol.md.
QList<QByteArray> docExamples()
{
    QFile file(qEnvironmentVariable("EMAILRAG_SOURCE_DIR") + QStringLiteral("/docs/protocol.md"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(file.readAll());
    static const QRegularExpression block(
        QStringLiteral("```json\\n(.*?)```"), QRegularExpression::DotMatchesEverythingOption);
    QList<QByteArray> examples;
    for (auto it = block.globalMatch(text); it.hasNext();)
        examples.append(it.next().captured(1).toUtf8());
    return examples;
}
} // namespace

class TestCodec : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void seedExample_data();
    void seedExample();
    void seedExamplesCoverSeedTypes();
    void clientSamplesRoundTrip();
    void serverSamplesRoundTrip();
    void absentOptionalsAreNotEmitted();
    void malformed_data();
    void malformed();
    void tooLargeAndTooDeep();
    void decodeErrorBecomesSeedError();
    void unknownErrorCodeIsReadable();
    void errorCodeNames();
    void timestamps_data();
    void timestamps();
    void formatTimestamp();
    void uploadFrames();
    void docExamplesAreValid();
    void mutationsNeverCrashAndStayConsistent();
};

void TestCodec::seedExample_data()
{
    QTest::addColumn<int>("index");
    const auto examples = test::seedExamples();
    for (int i = 0; i < examples.size(); ++i)
        QTest::newRow(examples.at(i).name) << i;
}

void TestCodec::seedExample()
{
    QFETCH(int, index);
    const test::SeedExample example = test::seedExamples().at(index);
    const QByteArray json(example.json);
    const QJsonObject original = parse(json);

    if (const auto *expected = std::get_if<ClientEnvelope>(&example.expected)) {
        const auto decoded = decodeClientMessage(json);
        QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
        QCOMPARE(messageType(decoded.value().message), messageType(expected->message));
        QVERIFY(decoded.value() == *expected);
        QCOMPARE(encodeObject(decoded.value()), original);
        // The server never mistakes a client message for a server one and vice versa.
        QCOMPARE(decodeServerMessage(json).error().reason, DecodeReason::UnknownType);
    } else {
        const auto &expectedServer = std::get<ServerEnvelope>(example.expected);
        const auto decoded = decodeServerMessage(json);
        QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
        QCOMPARE(messageType(decoded.value().message), messageType(expectedServer.message));
        QCOMPARE(decoded.value().timestamp, expectedServer.timestamp);
        QVERIFY(decoded.value() == expectedServer);
        QCOMPARE(encodeObject(decoded.value()), original);
        QCOMPARE(decodeClientMessage(json).error().reason, DecodeReason::UnknownType);
    }
}

void TestCodec::seedExamplesCoverSeedTypes()
{
    const QSet<QString> seedTypes { QStringLiteral("subscribe"), QStringLiteral("subscribed"),
        QStringLiteral("unsubscribe"), QStringLiteral("upload_progress"), QStringLiteral("stream_search"),
        QStringLiteral("search_result"), QStringLiteral("search_complete"), QStringLiteral("chat_message"),
        QStringLiteral("chat_response_chunk"), QStringLiteral("chat_response_complete"),
        QStringLiteral("system_notification"), QStringLiteral("new_emails"), QStringLiteral("ping"),
        QStringLiteral("pong"), QStringLiteral("error"), QStringLiteral("connected"), QStringLiteral("disconnecting") };
    QSet<QString> covered;
    for (const auto &example : test::seedExamples())
        covered.insert(parse(example.json).value(QStringLiteral("type")).toString());
    QCOMPARE(covered, seedTypes);
    // And every seed type has a struct in the right direction.
    const QSet<QString> known = toSet(clientMessageTypes()).unite(toSet(serverMessageTypes()));
    QVERIFY(known.contains(seedTypes));
}

void TestCodec::clientSamplesRoundTrip()
{
    QSet<QString> covered;
    for (const ClientMessage &message : test::sampleClientMessages()) {
        const ClientEnvelope envelope { message, QStringLiteral("req_7") };
        const QString text = encodeText(envelope);
        const auto decoded = decodeClientMessage(text);
        QVERIFY2(decoded.ok(),
            qPrintable(text + QStringLiteral(": ") + (decoded.ok() ? QString() : decoded.error().message)));
        QVERIFY2(decoded.value() == envelope, qPrintable(text));
        QCOMPARE(encodeText(decoded.value()), text);
        covered.insert(messageType(message));
    }
    QCOMPARE(covered, toSet(clientMessageTypes()));
}

void TestCodec::serverSamplesRoundTrip()
{
    QSet<QString> covered;
    for (const ServerMessage &message : test::sampleServerMessages()) {
        const ServerEnvelope envelope { message, QStringLiteral("req_7"), currentTimestamp() };
        const QString text = encodeText(envelope);
        const auto decoded = decodeServerMessage(text);
        QVERIFY2(decoded.ok(),
            qPrintable(text + QStringLiteral(": ") + (decoded.ok() ? QString() : decoded.error().message)));
        QVERIFY2(decoded.value() == envelope, qPrintable(text));
        QCOMPARE(encodeText(decoded.value()), text);
        covered.insert(messageType(message));
    }
    QCOMPARE(covered, toSet(serverMessageTypes()));
}

void TestCodec::absentOptionalsAreNotEmitted()
{
    const QJsonObject search = encodeObject(ClientEnvelope { StreamSearch { QStringLiteral("q"), std::nullopt }, {} });
    QCOMPARE(dump(search), QStringLiteral(R"({"data":{"query":"q"},"type":"stream_search"})"));
    QCOMPARE(
        decodeClientObject(search).value().message, ClientMessage(StreamSearch { QStringLiteral("q"), std::nullopt }));
    QCOMPARE(std::get<StreamSearch>(decodeClientObject(search).value().message).effectiveLimit(), 50);

    QCOMPARE(dump(encodeObject(ClientEnvelope { Ping {}, {} })), QStringLiteral(R"({"type":"ping"})"));
    QCOMPARE(dump(encodeObject(ServerEnvelope { Pong {}, {}, {} })), QStringLiteral(R"({"type":"pong"})"));
    QCOMPARE(dump(encodeObject(ServerEnvelope { NewEmails { 3, std::nullopt }, {}, {} })),
        QStringLiteral(R"({"data":{"count":3},"type":"new_emails"})"));
    // The seed sends details: {} even when empty.
    QCOMPARE(dump(encodeObject(
                 ServerEnvelope { ErrorMessage { ErrorCode::NotFound, QStringLiteral("x"), {}, {} }, {}, {} })),
        QStringLiteral(R"({"data":{"details":{},"error_code":"NOT_FOUND","message":"x"},"type":"error"})"));
    // Field-less messages accept data: {} and data: null from lenient clients.
    QVERIFY(decodeClientMessage(QByteArray(R"({"type":"ping","data":{}})")).ok());
    QVERIFY(decodeClientMessage(QByteArray(R"({"type":"ping","data":null})")).ok());
    // Unknown fields are ignored (forward compatibility).
    const auto extra = decodeClientMessage(QByteArray(R"({"type":"get_email","data":{"email_id":"e","x":1},"y":2})"));
    QVERIFY(extra.ok());
    QCOMPARE(std::get<GetEmail>(extra.value().message).emailId, QStringLiteral("e"));
}

void TestCodec::malformed_data()
{
    QTest::addColumn<bool>("fromClient");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("requestId");

    auto client = [](const char *name, const char *json, const char *reason, const char *field, const char *rid = "") {
        QTest::newRow(name) << true << QByteArray(json) << QString::fromLatin1(reason) << QString::fromLatin1(field)
                            << QString::fromLatin1(rid);
    };
    auto server = [](const char *name, const char *json, const char *reason, const char *field, const char *rid = "") {
        QTest::newRow(name) << false << QByteArray(json) << QString::fromLatin1(reason) << QString::fromLatin1(field)
                            << QString::fromLatin1(rid);
    };

    client("not json", R"({"type": "ping")", "invalid_json", "");
    client("empty text", "", "invalid_json", "");
    client("trailing garbage", R"({"type":"ping"} x)", "invalid_json", "");
    client("array", R"([{"type":"ping"}])", "not_object", "");
    client("string", R"("ping")", "not_object", "");
    client("number", "42", "not_object", "");
    client("null", "null", "not_object", "");
    client("two objects", R"({"type":"ping"},{"type":"ping"})", "invalid_json", "");
    client("no type", R"({"data":{},"request_id":"r1"})", "missing_type", "type", "r1");
    client("type not string", R"({"type":5})", "missing_type", "type");
    client("empty type", R"({"type":""})", "missing_type", "type");
    client("unknown type", R"({"type":"frobnicate","request_id":"r2"})", "unknown_type", "type", "r2");
    client("server type from client", R"({"type":"pong","request_id":"p"})", "unknown_type", "type", "p");
    client("request_id number", R"({"type":"ping","request_id":7})", "wrong_type", "request_id");
    client("request_id empty", R"({"type":"ping","request_id":""})", "out_of_range", "request_id");
    client("data array", R"({"type":"subscribe","data":[],"request_id":"r"})", "wrong_type", "data", "r");
    client("data string", R"({"type":"ping","data":"x"})", "wrong_type", "data");
    client("subscribe no data", R"({"type":"subscribe","request_id":"r"})", "missing_field", "data.channels", "r");
    client("channels missing", R"({"type":"subscribe","data":{}})", "missing_field", "data.channels");
    client("channels null", R"({"type":"subscribe","data":{"channels":null}})", "missing_field", "data.channels");
    client("channels string", R"({"type":"subscribe","data":{"channels":"uploads"}})", "wrong_type", "data.channels");
    client("channel number", R"({"type":"subscribe","data":{"channels":["uploads",1]}})", "wrong_type",
        "data.channels[1]");
    client("channel unknown", R"({"type":"unsubscribe","data":{"channels":["weather"]}})", "invalid_value",
        "data.channels[0]");
    client("channels empty", R"({"type":"subscribe","data":{"channels":[]}})", "out_of_range", "data.channels");
    client("query missing", R"({"type":"stream_search","data":{"limit":5}})", "missing_field", "data.query");
    client("query empty", R"({"type":"stream_search","data":{"query":""}})", "out_of_range", "data.query");
    client("query number", R"({"type":"stream_search","data":{"query":42}})", "wrong_type", "data.query");
    client("limit zero", R"({"type":"stream_search","data":{"query":"q","limit":0},"request_id":"s"})", "out_of_range",
        "data.limit", "s");
    client("limit 501", R"({"type":"stream_search","data":{"query":"q","limit":501}})", "out_of_range", "data.limit");
    client(
        "limit negative", R"({"type":"stream_search","data":{"query":"q","limit":-1}})", "out_of_range", "data.limit");
    client(
        "limit fraction", R"({"type":"stream_search","data":{"query":"q","limit":1.5}})", "wrong_type", "data.limit");
    client("limit string", R"({"type":"stream_search","data":{"query":"q","limit":"50"}})", "wrong_type", "data.limit");
    client("chat message missing", R"({"type":"chat_message","data":{"conversation_id":"c"}})", "missing_field",
        "data.message");
    client("conversation_id number", R"({"type":"chat_message","data":{"message":"m","conversation_id":1}})",
        "wrong_type", "data.conversation_id");
    client("upload size negative", R"({"type":"upload_start","data":{"filename":"a","size":-1}})", "out_of_range",
        "data.size");
    client("upload format unknown", R"({"type":"upload_start","data":{"filename":"a","size":1,"format":"pst"}})",
        "invalid_value", "data.format");
    client("upload filename empty", R"({"type":"upload_start","data":{"filename":"","size":1}})", "out_of_range",
        "data.filename");
    client("sha256 uppercase", R"({"type":"upload_finish","data":{"upload_id":"u","sha256":"ABCDEF"}})",
        "invalid_value", "data.sha256");
    client("cancel nothing", R"({"type":"cancel","data":{}})", "missing_field", "data.request_id");
    client("cancel both", R"({"type":"cancel","data":{"request_id":"a","upload_id":"b"}})", "invalid_value",
        "data.request_id");
    client("email_id bool", R"({"type":"get_email","data":{"email_id":true}})", "wrong_type", "data.email_id");
    client("email_id too long",
        QByteArray(R"({"type":"get_email","data":{"email_id":")" + QByteArray(129, 'x') + R"("}})").constData(),
        "out_of_range", "data.email_id");

    server("progress 101",
        R"({"type":"upload_progress","data":{"upload_id":"u","status":"processing","progress":101,"emails_processed":0,"total_emails":0,"current_operation":""}})",
        "out_of_range", "data.progress");
    server("status unknown",
        R"({"type":"upload_progress","data":{"upload_id":"u","status":"thinking","progress":1,"emails_processed":0,"total_emails":0,"current_operation":""}})",
        "invalid_value", "data.status");
    server("score above 1",
        R"({"type":"search_result","data":{"email_id":"e","subject":"s","score":1.5},"request_id":"s1"})",
        "out_of_range", "data.score", "s1");
    server("relevance string",
        R"({"type":"chat_response_complete","data":{"conversation_id":"c","sources":[{"email_id":"e","relevance":"high"}]}})",
        "wrong_type", "data.sources[0].relevance");
    server("source not object", R"({"type":"chat_response_complete","data":{"conversation_id":"c","sources":["e"]}})",
        "wrong_type", "data.sources[0]");
    server("level unknown", R"({"type":"system_notification","data":{"level":"fatal","message":"m"}})", "invalid_value",
        "data.level");
    server("error without message", R"({"type":"error","data":{"error_code":"NOT_FOUND"}})", "missing_field",
        "data.message");
    server("timestamp with offset", R"({"type":"pong","timestamp":"2026-01-11T10:00:00+01:00"})", "invalid_value",
        "timestamp");
    server(
        "timestamp without zone", R"({"type":"pong","timestamp":"2026-01-11T10:00:00"})", "invalid_value", "timestamp");
    server("timestamp invalid date", R"({"type":"pong","timestamp":"2026-02-30T10:00:00Z"})", "invalid_value",
        "timestamp");
    server("timestamp number", R"({"type":"pong","timestamp":1736589600})", "wrong_type", "timestamp");
    server("client type from server", R"({"type":"ping"})", "unknown_type", "type");
    server("turn role unknown",
        R"({"type":"conversation","data":{"conversation_id":"c","title":"t","turns":[{"role":"system","text":"x","sources":[],"created_at":"2026-01-11T10:00:00Z"}]}})",
        "invalid_value", "data.turns[0].role");
    server("email date bad",
        R"({"type":"email","data":{"email_id":"e","subject":"s","from":{"name":"","address":"a"},"date":"yesterday","text":"","thread_id":"t"}})",
        "invalid_value", "data.date");
    server("retry_after_ms negative",
        R"({"type":"error","data":{"error_code":"RATE_LIMITED","message":"m","details":{"retry_after_ms":-5}}})",
        "out_of_range", "data.details.retry_after_ms");
}

void TestCodec::malformed()
{
    QFETCH(bool, fromClient);
    QFETCH(QByteArray, json);
    QFETCH(QString, reason);
    QFETCH(QString, field);
    QFETCH(QString, requestId);

    const DecodeError error = fromClient ? decodeClientMessage(json).error() : decodeServerMessage(json).error();
    QCOMPARE(error.code, ErrorCode::InvalidRequest);
    QCOMPARE(decodeReasonName(error.reason), reason);
    QCOMPARE(error.field, field);
    QCOMPARE(error.requestId, requestId);
    QVERIFY(!error.message.isEmpty());
}

void TestCodec::tooLargeAndTooDeep()
{
    Limits limits;
    limits.maxMessageBytes = 1000;
    const QByteArray big = R"({"type":"stream_search","data":{"query":")" + QByteArray(990, 'a') + R"("}})";
    QCOMPARE(decodeClientMessage(big, limits).error().reason, DecodeReason::TooLarge);
    QCOMPARE(decodeClientMessage(QString::fromUtf8(big), limits).error().reason, DecodeReason::TooLarge);
    QVERIFY(decodeClientMessage(big).ok()); // default 1 MiB cap
    // Multi-byte characters count as bytes: 400 × "é" is 800 bytes, 400 × "€" is 1200.
    const QString euros
        = QStringLiteral(R"({"type":"stream_search","data":{"query":"%1"}})").arg(QString(400, QChar(0x20AC)));
    QCOMPARE(decodeClientMessage(euros, limits).error().reason, DecodeReason::TooLarge);
    const QString accents
        = QStringLiteral(R"({"type":"stream_search","data":{"query":"%1"}})").arg(QString(400, QChar(0xE9)));
    QVERIFY(decodeClientMessage(accents, limits).ok());
    // Default cap: 1 MiB.
    const QByteArray huge = R"({"type":"chat_message","data":{"message":")" + QByteArray(1024 * 1024, 'a') + R"("}})";
    QCOMPARE(decodeClientMessage(huge).error().reason, DecodeReason::TooLarge);

    // Envelope is depth 1, data 2; 14 more arrays reach 16 (allowed), 15 exceed it.
    auto nested = [](int arrays) {
        return R"({"type":"ping","request_id":"d","data":{"x":)" + QByteArray(arrays, '[') + QByteArray(arrays, ']')
            + "}}";
    };
    QVERIFY(decodeClientMessage(nested(14)).ok());
    const DecodeError deep = decodeClientMessage(nested(15)).error();
    QCOMPARE(deep.reason, DecodeReason::TooDeep);
    QCOMPARE(deep.requestId, QStringLiteral("d"));
    // Far beyond Qt's own parser limit.
    QCOMPARE(decodeClientMessage(nested(5000)).error().reason, DecodeReason::TooDeep);
}

void TestCodec::decodeErrorBecomesSeedError()
{
    const DecodeError error = decodeClientMessage(
        QByteArray(R"({"type":"stream_search","data":{"query":"q","limit":0},"request_id":"s9"})"))
                                  .error();
    const ErrorMessage message = toErrorMessage(error);
    const QJsonObject wire = encodeObject(ServerEnvelope { message, error.requestId, {} });
    QCOMPARE(wire.value(QStringLiteral("request_id")).toString(), QStringLiteral("s9"));
    const QJsonObject data = wire.value(QStringLiteral("data")).toObject();
    QCOMPARE(data.value(QStringLiteral("error_code")).toString(), QStringLiteral("INVALID_REQUEST"));
    QCOMPARE(data.value(QStringLiteral("details")).toObject().value(QStringLiteral("reason")).toString(),
        QStringLiteral("out_of_range"));
    QCOMPARE(data.value(QStringLiteral("details")).toObject().value(QStringLiteral("field")).toString(),
        QStringLiteral("data.limit"));
    QVERIFY(data.value(QStringLiteral("message")).toString().contains(QStringLiteral("data.limit")));

    // Invalid JSON has no field: details has the reason only.
    const ErrorMessage invalid = toErrorMessage(decodeClientMessage(QByteArray("nope")).error());
    QCOMPARE(invalid.details, (QJsonObject { { QStringLiteral("reason"), QStringLiteral("invalid_json") } }));
}

void TestCodec::unknownErrorCodeIsReadable()
{
    const auto decoded = decodeServerMessage(QByteArray(
        R"({"type":"error","data":{"error_code":"FUTURE_CODE","message":"m","details":{"retry_after_ms":250,"x":1}}})"));
    QVERIFY(decoded.ok());
    const auto &error = std::get<ErrorMessage>(decoded.value().message);
    QCOMPARE(error.code, ErrorCode::Unknown);
    QCOMPARE(error.retryAfterMs, std::optional<qint64>(250));
    QCOMPARE(error.details, (QJsonObject { { QStringLiteral("x"), 1 } }));
}

void TestCodec::errorCodeNames()
{
    QSet<QString> names;
    for (int i = int(ErrorCode::Unknown); i <= int(ErrorCode::InternalError); ++i) {
        const auto code = ErrorCode(i);
        const QString name = errorCodeName(code);
        QVERIFY(QRegularExpression(QStringLiteral("^[A-Z_]+$")).match(name).hasMatch());
        QCOMPARE(errorCodeFromName(name), code);
        names.insert(name);
    }
    QCOMPARE(names.size(), int(ErrorCode::InternalError) + 1);
    QCOMPARE(errorCodeName(ErrorCode::InvalidRequest), QStringLiteral("INVALID_REQUEST"));
    QCOMPARE(errorCodeFromName(QStringLiteral("invalid_request")), ErrorCode::Unknown);
}

void TestCodec::timestamps_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("msecs");
    QTest::newRow("seed") << QStringLiteral("2026-01-11T10:00:00Z") << true << qint64(1768125600000);
    QTest::newRow("millis") << QStringLiteral("2026-01-11T10:00:00.250Z") << true << qint64(1768125600250);
    QTest::newRow("offset") << QStringLiteral("2026-01-11T11:00:00+01:00") << false << qint64(0);
    QTest::newRow("no zone") << QStringLiteral("2026-01-11T10:00:00") << false << qint64(0);
    QTest::newRow("lower z") << QStringLiteral("2026-01-11T10:00:00z") << false << qint64(0);
    QTest::newRow("date only") << QStringLiteral("2026-01-11") << false << qint64(0);
    QTest::newRow("hour 25") << QStringLiteral("2026-01-11T25:00:00Z") << false << qint64(0);
    QTest::newRow("space") << QStringLiteral("2026-01-11 10:00:00Z") << false << qint64(0);
}

void TestCodec::timestamps()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(qint64, msecs);
    const auto parsed = parseTimestamp(text);
    QCOMPARE(parsed.has_value(), valid);
    if (valid) {
        QCOMPARE(parsed->toMSecsSinceEpoch(), msecs);
        QCOMPARE(parsed->timeSpec(), Qt::UTC);
    }
}

void TestCodec::formatTimestamp()
{
    const QDateTime plusOne(QDate(2026, 1, 11), QTime(11, 0, 0, 999), Qt::OffsetFromUTC, 3600);
    QCOMPARE(emailrag::protocol::formatTimestamp(plusOne), QStringLiteral("2026-01-11T10:00:00Z"));
    const QRegularExpression seedForm(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$"));
    QVERIFY(seedForm.match(emailrag::protocol::formatTimestamp(currentTimestamp())).hasMatch());
    QVERIFY(qAbs(currentTimestamp().secsTo(QDateTime::currentDateTimeUtc())) <= 1);
    // A server envelope's timestamp goes out in exactly the seed's form.
    const QJsonObject wire = encodeObject(ServerEnvelope { Pong {}, {}, plusOne });
    QCOMPARE(wire.value(QStringLiteral("timestamp")).toString(), QStringLiteral("2026-01-11T10:00:00Z"));
}

void TestCodec::uploadFrames()
{
    const QByteArray payload("From alice@example.org\n\0binary", 31);
    const QByteArray frame = encodeUploadFrame(0x0102030405060708ULL, payload);
    QCOMPARE(frame.size(), UploadFrameHeaderSize + payload.size());
    QCOMPARE(frame.left(8), QByteArray::fromHex("0102030405060708"));
    const auto chunk = decodeUploadFrame(frame);
    QVERIFY(chunk.ok());
    QCOMPARE(chunk.value().offset, 0x0102030405060708ULL);
    QCOMPARE(chunk.value().payload, payload);
    QCOMPARE(decodeUploadFrame(QByteArray(8, '\0')).error().reason, DecodeReason::BadFrame);
    QCOMPARE(decodeUploadFrame(QByteArray(3, '\0')).error().reason, DecodeReason::BadFrame);
}

void TestCodec::docExamplesAreValid()
{
    const QList<QByteArray> examples = docExamples();
    QVERIFY2(examples.size() > 40, "docs/protocol.md examples not found (EMAILRAG_SOURCE_DIR?)");
    const QStringList clientTypes = clientMessageTypes();
    const QStringList serverTypes = serverMessageTypes();
    QSet<QString> covered;
    for (const QByteArray &json : examples) {
        const QJsonObject original = parse(json);
        const QString type = original.value(QStringLiteral("type")).toString();
        if (type == QStringLiteral("message_type"))
            continue; // the envelope illustrations
        QJsonObject reencoded;
        if (clientTypes.contains(type)) {
            const auto decoded = decodeClientMessage(json);
            QVERIFY2(decoded.ok(),
                qPrintable(QString::fromUtf8(json) + (decoded.ok() ? QString() : decoded.error().message)));
            reencoded = encodeObject(decoded.value());
        } else {
            const auto decoded = decodeServerMessage(json);
            QVERIFY2(decoded.ok(),
                qPrintable(QString::fromUtf8(json) + (decoded.ok() ? QString() : decoded.error().message)));
            reencoded = encodeObject(decoded.value());
        }
        QVERIFY2(reencoded == original,
            qPrintable(QString::fromUtf8(json) + QStringLiteral("\nre-encoded: ") + dump(reencoded)));
        covered.insert(type);
    }
    for (const QString &type : clientTypes + serverTypes)
        QVERIFY2(covered.contains(type), qPrintable(QStringLiteral("no example in docs/protocol.md for ") + type));
}

namespace {
// Replaces one value somewhere in the tree (chosen by `pick`) with `replacement`, or removes it.
QJsonValue mutate(const QJsonValue &value, int &pick, const QJsonValue &replacement, bool remove)
{
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (const QString &key : object.keys()) {
            if (pick-- == 0) {
                if (remove)
                    object.remove(key);
                else
                    object.insert(key, replacement);
                return object;
            }
            object.insert(key, mutate(object.value(key), pick, replacement, remove));
        }
        return object;
    }
    if (value.isArray()) {
        QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (pick-- == 0) {
                if (remove)
                    array.removeAt(i);
                else
                    array.replace(i, replacement);
                return array;
            }
            array.replace(i, mutate(array.at(i), pick, replacement, remove));
        }
        return array;
    }
    return value;
}
} // namespace

void TestCodec::mutationsNeverCrashAndStayConsistent()
{
    // Deterministic: the same mutations on every run. Each mutated message either decodes —
    // and then re-encodes and decodes to the same value — or yields a described DecodeError.
    QRandomGenerator random(20260111);
    const QList<QJsonValue> replacements { QJsonValue(), QJsonValue(-1), QJsonValue(0), QJsonValue(1e300),
        QJsonValue(0.5), QJsonValue(true), QJsonValue(QString()), QJsonValue(QStringLiteral("x")),
        QJsonValue(QJsonArray {}), QJsonValue(QJsonObject {}), QJsonValue(QString(200, QLatin1Char('z'))) };
    QList<QByteArray> inputs = docExamples();
    for (const auto &example : test::seedExamples())
        inputs.append(QByteArray(example.json));
    int decoded = 0;
    int rejected = 0;
    for (const QByteArray &json : inputs) {
        const QJsonObject original = parse(json);
        for (int round = 0; round < 60; ++round) {
            int pick = int(random.bounded(40));
            const bool remove = random.bounded(4) == 0;
            const QJsonValue replacement = replacements.at(int(random.bounded(int(replacements.size()))));
            const QJsonObject mutated = mutate(original, pick, replacement, remove).toObject();
            QByteArray text = QJsonDocument(mutated).toJson(QJsonDocument::Compact);
            if (round % 10 == 9)
                text.truncate(qsizetype(random.bounded(int(text.size())))); // cut short
            const auto asClient = decodeClientMessage(text);
            const auto asServer = decodeServerMessage(text);
            QVERIFY(!(asClient.ok() && asServer.ok())); // a type belongs to one direction
            if (asClient.ok()) {
                const auto again = decodeClientMessage(encodeText(asClient.value()));
                QVERIFY2(again.ok() && again.value() == asClient.value(), text.constData());
                ++decoded;
            } else if (asServer.ok()) {
                const auto again = decodeServerMessage(encodeText(asServer.value()));
                QVERIFY2(again.ok() && again.value() == asServer.value(), text.constData());
                ++decoded;
            } else {
                QVERIFY(!asClient.error().message.isEmpty());
                QVERIFY(!asServer.error().message.isEmpty());
                QCOMPARE(asClient.error().code, ErrorCode::InvalidRequest);
                ++rejected;
            }
        }
    }
    // Both outcomes must really occur, or the mutations test nothing.
    QVERIFY(decoded > 100);
    QVERIFY(rejected > 100);
}

QTEST_GUILESS_MAIN(TestCodec)
#include "tst_codec.moc"
