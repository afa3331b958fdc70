// Integration tests of the server core: the real Server on 127.0.0.1 port 0, driven by real
// QWebSocket clients and HTTP requests. Messages are checked as raw JSON against the seed
// document (names, types, request_id echo, timestamp format).

#include "serverfixture.h"
#include "corpora.h"

#include "database.h"
#include "embeddedserver.h"
#include "uploadframe.h"
#include "userstore.h"

#include <QDir>
#include <QEventLoop>
#include <QStandardPaths>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QRegularExpression>

#include <csignal>

#include <jwt/jwt.hpp>

using namespace emailrag::server;

namespace {

const QString T = QStringLiteral("type");
const QString D = QStringLiteral("data");
const QString R = QStringLiteral("request_id");

QJsonObject msg(const QString &type, const QJsonObject &data = {}, const QString &rid = {})
{
    QJsonObject o{{T, type}};
    if (!data.isEmpty())
        o.insert(D, data);
    if (!rid.isEmpty())
        o.insert(R, rid);
    return o;
}

struct HttpResult
{
    int status = 0;
    QByteArray body;
};

HttpResult http(const QByteArray &method, const QString &url, const QByteArray &body = {}, const QByteArray &bearer = {})
{
    QNetworkAccessManager nam;
    QNetworkRequest req{QUrl(url)};
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    if (!bearer.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + bearer);
    QNetworkReply *r = nam.sendCustomRequest(req, method, body);
    QEventLoop loop;
    QObject::connect(r, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    loop.exec();
    HttpResult out{r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), r->readAll()};
    delete r;
    return out;
}

// Uploads `data` over the WebSocket like a client does; returns the upload_id.
QString uploadOverWs(WsClient &c, const QByteArray &data, const QString &name, const QString &rid)
{
    c.sendJson(msg(QStringLiteral("upload_start"), {{QStringLiteral("filename"), name}, {QStringLiteral("size"), data.size()}}, rid));
    const QJsonObject started = c.waitFor(QStringLiteral("upload_started"), rid);
    const QString id = started.value(D).toObject().value(QStringLiteral("upload_id")).toString();
    const int chunk = started.value(D).toObject().value(QStringLiteral("chunk_size")).toInt();
    if (id.isEmpty() || chunk <= 0)
        return {};
    for (qint64 off = 0; off < data.size(); off += chunk)
        c.sendBinary(emailrag::protocol::encodeUploadFrame(quint64(off), data.mid(off, chunk)));
    c.sendJson(msg(QStringLiteral("upload_finish"), {{QStringLiteral("upload_id"), id}, {QStringLiteral("sha256"), sha256Hex(data)}},
                   rid + QStringLiteral("_fin")));
    if (c.waitFor(QStringLiteral("upload_finished"), rid + QStringLiteral("_fin")).isEmpty())
        return {};
    return id;
}

bool waitUploadDone(WsClient &c, const QString &uploadId, int timeoutMs = 60000)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        for (const auto &m : c.ofType(QStringLiteral("new_emails"))) {
            if (m.value(D).toObject().value(QStringLiteral("upload_id")).toString() == uploadId)
                return true;
        }
        QTest::qWait(20);
    }
    return false;
}

// Runs curl (a real HTTP client outside Qt) without blocking the event loop the in-process server
// needs; returns {exit code, stdout, stderr}.
struct CurlResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

CurlResult curl(const QStringList &args, const QByteArray &input)
{
    QProcess p;
    p.start(QStringLiteral("curl"), args);
    p.write(input);
    p.closeWriteChannel();
    QElapsedTimer t;
    t.start();
    while (p.state() != QProcess::NotRunning && t.elapsed() < 30000)
        QTest::qWait(10);
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished();
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError()};
}

} // namespace

class TestServer : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<ServerFixture> m_fx;
    QString m_annaUpload;
    QString m_annaEmailId;

private Q_SLOTS:
    void initTestCase()
    {
        ServerConfig cfg;
        cfg.maxUploadBytes = 4 * 1024 * 1024;
        cfg.uploadChunkBytes = 64 * 1024;
        cfg.rateLimitPerMinute = 1000; // the rate-limit test has its own server
        m_fx = std::make_unique<ServerFixture>(cfg);
        QVERIFY2(m_fx->ok(), qPrintable(m_fx->error));
    }
    void cleanupTestCase() { m_fx.reset(); }

    void connectedComesFirstWithSeedFields()
    {
        WsClient c;
        QVERIFY(c.open(m_fx->url(), m_fx->tokenFor(QStringLiteral("anna"))));
        const QJsonObject m = c.waitFor(QString());
        QCOMPARE(m.value(T).toString(), QStringLiteral("connected"));
        const QJsonObject d = m.value(D).toObject();
        QVERIFY(d.value(QStringLiteral("session_id")).toString().startsWith(QStringLiteral("session_")));
        QCOMPARE(d.value(QStringLiteral("user_id")).toString(), QStringLiteral("user_%1").arg(m_fx->userId(QStringLiteral("anna"))));
        QVERIFY(isSeedTimestamp(m.value(QStringLiteral("timestamp"))));
        QVERIFY(!m.contains(R));
    }

    void bearerHeaderIsAccepted()
    {
        WsClient c;
        QVERIFY(c.open(m_fx->url(), QString(), m_fx->tokenFor(QStringLiteral("bob")).toLatin1()));
        QCOMPARE(c.waitFor(QString()).value(T).toString(), QStringLiteral("connected"));
    }

    void refusedTokens_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("missing") << "missing";
        QTest::newRow("garbage") << "garbage";
        QTest::newRow("expired") << "expired";
        QTest::newRow("alg none") << "none";
        QTest::newRow("tampered") << "tampered";
        QTest::newRow("removed user") << "removed";
    }

    void refusedTokens()
    {
        QFETCH(QString, kind);
        QString token;
        if (kind == QLatin1String("garbage")) {
            token = QStringLiteral("abc.def.ghi");
        } else if (kind == QLatin1String("expired")) {
            QFile f(m_fx->dataDir() + QStringLiteral("/jwt-signing.key"));
            QVERIFY(f.open(QIODevice::ReadOnly));
            const auto now = std::chrono::system_clock::now();
            jwt::jwt_object o{jwt::params::algorithm("HS256"), jwt::params::secret(f.readAll().trimmed().toStdString())};
            o.add_claim("sub", std::to_string(m_fx->userId(QStringLiteral("anna")))).add_claim("name", "anna").add_claim("ver", "x")
                .add_claim("iat", now - std::chrono::hours(2)).add_claim("nbf", now - std::chrono::hours(2))
                .add_claim("exp", now - std::chrono::hours(1));
            token = QString::fromStdString(o.signature());
        } else if (kind == QLatin1String("none")) {
            const QStringList parts = m_fx->tokenFor(QStringLiteral("anna")).split(QLatin1Char('.'));
            token = QString::fromLatin1(QByteArray(R"({"alg":"none","typ":"JWT"})").toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals))
                + QLatin1Char('.') + parts[1] + QLatin1Char('.');
        } else if (kind == QLatin1String("tampered")) {
            const QStringList parts = m_fx->tokenFor(QStringLiteral("bob")).split(QLatin1Char('.'));
            QByteArray payload = QByteArray::fromBase64(parts[1].toLatin1(), QByteArray::Base64UrlEncoding);
            payload.replace("\"name\":\"bob\"", "\"name\":\"ann\"");
            token = parts[0] + QLatin1Char('.') + QString::fromLatin1(payload.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals))
                + QLatin1Char('.') + parts[2];
        } else if (kind == QLatin1String("removed")) {
            // A valid signature for a user that is then removed.
            const auto db = emailrag::storage::DatabaseConfig::sqliteFile(m_fx->dataDir() + QStringLiteral("/emailrag.db"));
            QSqlDatabase c = emailrag::storage::Database::connection(db, m_fx->connectionName());
            QCOMPARE(UserStore::add(c, QStringLiteral("carl"), "carl-password"), UserStore::AddResult::Added);
            token = m_fx->tokenFor(QStringLiteral("carl"));
            WsClient ok;
            QVERIFY(ok.openAndWaitConnected(m_fx->url(), token)); // valid before removal
            QVERIFY(UserStore::remove(c, QStringLiteral("carl")));
        }
        WsClient c;
        QVERIFY(c.open(m_fx->url(), kind == QLatin1String("missing") ? QString() : token));
        c.sendJson(msg(QStringLiteral("ping"), {}, QStringLiteral("p1"))); // must not be processed
        QVERIFY(c.waitClosed());
        QCOMPARE(c.closeCode(), 4001);
        QCOMPARE(c.messages().size(), 1);
        const QJsonObject e = c.messages().first();
        QCOMPARE(e.value(T).toString(), QStringLiteral("error"));
        QCOMPARE(e.value(D).toObject().value(QStringLiteral("error_code")).toString(), QStringLiteral("UNAUTHORIZED"));
        QVERIFY(e.value(D).toObject().value(QStringLiteral("message")).isString());
        QVERIFY(e.value(D).toObject().value(QStringLiteral("details")).isObject());
        QVERIFY(c.ofType(QStringLiteral("pong")).isEmpty());
    }

    void pingPongEchoesRequestId()
    {
        WsClient c;
        QVERIFY(c.openAndWaitConnected(m_fx->url(), m_fx->tokenFor(QStringLiteral("anna"))));
        c.sendJson(msg(QStringLiteral("ping"), {}, QStringLiteral("ping_1")));
        const QJsonObject p = c.waitFor(QStringLiteral("pong"), QStringLiteral("ping_1"));
        QCOMPARE(p.value(R).toString(), QStringLiteral("ping_1"));
        QVERIFY(isSeedTimestamp(p.value(QStringLiteral("timestamp"))));
    }

    void subscribeUnsubscribeAndUnknownChannel()
    {
        WsClient c;
        QVERIFY(c.openAndWaitConnected(m_fx->url(), m_fx->tokenFor(QStringLiteral("anna"))));
        c.sendJson(msg(QStringLiteral("subscribe"),
                       {{QStringLiteral("channels"), QJsonArray{QStringLiteral("uploads"), QStringLiteral("search_results"), QStringLiteral("system_status")}}},
                       QStringLiteral("req_1")));
        const QJsonObject s = c.waitFor(QStringLiteral("subscribed"), QStringLiteral("req_1"));
        QCOMPARE(s.value(D).toObject().value(QStringLiteral("channels")).toArray().size(), 3);
        QVERIFY(isSeedTimestamp(s.value(QStringLiteral("timestamp"))));
        // system_status follows a subscription to it.
        const QJsonObject st = c.waitFor(QStringLiteral("system_status"));
        QVERIFY(st.value(D).toObject().value(QStringLiteral("emails_indexed")).isDouble());
        QVERIFY(st.value(D).toObject().value(QStringLiteral("connections")).toInt() >= 1);

        c.sendJson(msg(QStringLiteral("unsubscribe"), {{QStringLiteral("channels"), QJsonArray{QStringLiteral("uploads")}}}, QStringLiteral("req_2")));
        const QJsonObject u = c.waitFor(QStringLiteral("unsubscribed"), QStringLiteral("req_2"));
        const QJsonArray left = u.value(D).toObject().value(QStringLiteral("channels")).toArray();
        QCOMPARE(left.size(), 2);
        QVERIFY(!left.contains(QStringLiteral("uploads")));

        // Unknown channel: an error for it, and the valid one is still subscribed.
        c.sendJson(msg(QStringLiteral("subscribe"), {{QStringLiteral("channels"), QJsonArray{QStringLiteral("bogus"), QStringLiteral("uploads")}}},
                       QStringLiteral("req_3")));
        const QJsonObject e = c.waitFor(QStringLiteral("error"), QStringLiteral("req_3"));
        QCOMPARE(e.value(D).toObject().value(QStringLiteral("error_code")).toString(), QStringLiteral("INVALID_REQUEST"));
        QVERIFY(e.value(D).toObject().value(QStringLiteral("message")).toString().contains(QStringLiteral("bogus")));
        const QJsonObject again = c.waitFor(QStringLiteral("subscribed"), QStringLiteral("req_3"));
        QVERIFY(again.value(D).toObject().value(QStringLiteral("channels")).toArray().contains(QStringLiteral("uploads")));
    }

    void invalidMessagesGetErrorsWithRequestId()
    {
        WsClient c;
        QVERIFY(c.openAndWaitConnected(m_fx->url(), m_fx->tokenFor(QStringLiteral("anna"))));
        c.sendRaw(QStringLiteral("this is not json"));
        QJsonObject e = c.waitFor(QStringLiteral("error"));
        QCOMPARE(e.value(D).toObject().value(QStringLiteral("error_code")).toString(), QStringLiteral("INVALID_REQUEST"));
        QVERIFY(e.value(D).toObject().value(QStringLiteral("details")).isObject());
        c.clear();
        c.sendJson(msg(QStringLiteral("no_such_type"), {}, QStringLiteral("req_x")));
        e = c.waitFor(QStringLiteral("error"), QStringLiteral("req_x"));
        QCOMPARE(e.value(D).toObject().value(QStringLiteral("error_code")).toString(), QStringLiteral("INVALID_REQUEST"));
        c.sendJson(msg(QStringLiteral("stream_search"), {{QStringLiteral("limit"), 5}}, QStringLiteral("req_y")));
        e = c.waitFor(QStringLiteral("error"), QStringLiteral("req_y"));
        QCOMPARE(e.value(D).toObject().value(QStringLiteral("error_code")).toString(), QStringLiteral("INVALID_REQUEST"));
        // A binary frame without an upload.
        c.sendBinary(QByteArray(16, 'x'));
        QTRY_VERIFY(c.ofType(QStringLiteral("error")).size() >= 3);
        // The connection still works.
        c.sendJson(msg(QStringLiteral("ping"), {}, QStringLiteral("alive")));
        QVERIFY(!c.waitFor(QStringLiteral("pong"), QStringLiteral("alive")).isEmpty());
    }

    void uploadImportSearchGetEmailChat()
    {
        WsClient c;
        QVERIFY(c.openAndWaitConnected(m_fx->url(), m_fx->tokenFor(QStringLiteral("anna"))));
        c.sendJson(msg(QStringLiteral("subscribe"), {{QStringLiteral("channels"), QJsonArray{QStringLiteral("uploads")}}}, QStringLiteral("s")));
        QVERIFY(!c.waitFor(QStringLiteral("subscribed"), QStringLiteral("s")).isEmpty());
        const QByteArray mbox = makeMbox(5, QStringLiteral("quarterly"), QStringLiteral("anna"));
        m_annaUpload = uploadOverWs(c, mbox, QStringLiteral("anna.mbox"), QStringLiteral("up1"));
        QVERIFY(m_annaUpload.startsWith(QStringLiteral("upload_")));
        QVERIFY(!c.ofType(QStringLiteral("upload_ack")).isEmpty());
        QVERIFY(waitUploadDone(c, m_annaUpload));
        // upload_progress as in the seed: every field, with its type.
        const auto progress = c.ofType(QStringLiteral("upload_progress"));
        QVERIFY(!progress.isEmpty());
        for (const auto &p : progress) {
            const QJsonObject d = p.value(D).toObject();
            QCOMPARE(d.value(QStringLiteral("upload_id")).toString(), m_annaUpload);
            QVERIFY(d.value(QStringLiteral("status")).isString());
            QVERIFY(d.value(QStringLiteral("progress")).isDouble());
            QVERIFY(d.value(QStringLiteral("emails_processed")).isDouble());
            QVERIFY(d.value(QStringLiteral("total_emails")).isDouble());
            QVERIFY(d.value(QStringLiteral("current_operation")).isString());
            QVERIFY(isSeedTimestamp(p.value(QStringLiteral("timestamp"))));
            QVERIFY(!p.contains(R));
        }
        // The import's last word is "completed" at 100 % (the embedding stage may report after it).
        QJsonObject last;
        for (const auto &p : progress) {
            last = p.value(D).toObject();
            if (last.value(QStringLiteral("status")).toString() == QLatin1String("completed"))
                break;
        }
        QCOMPARE(last.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(last.value(QStringLiteral("progress")).toInt(), 100);
        const QJsonObject ne = c.ofType(QStringLiteral("new_emails")).last();
        QCOMPARE(ne.value(D).toObject().value(QStringLiteral("count")).toInt(), 5);
        QVERIFY(isSeedTimestamp(ne.value(QStringLiteral("timestamp"))));

        // stream_search
        c.sendJson(msg(QStringLiteral("stream_search"), {{QStringLiteral("query"), QStringLiteral("quarterly")}, {QStringLiteral("limit"), 50}},
                       QStringLiteral("search_1")));
        const QJsonObject done = c.waitFor(QStringLiteral("search_complete"), QStringLiteral("search_1"), 20000);
        QVERIFY2(!done.isEmpty(), "no search_complete");
        QCOMPARE(done.value(D).toObject().value(QStringLiteral("total_results")).toInt(), 5);
        QVERIFY(done.value(D).toObject().value(QStringLiteral("processing_time_ms")).isDouble());
        QList<QJsonObject> hits;
        for (const auto &m : c.ofType(QStringLiteral("search_result"))) {
            if (m.value(R).toString() == QLatin1String("search_1"))
                hits << m;
        }
        QCOMPARE(hits.size(), 5);
        for (const auto &h : hits) {
            const QJsonObject d = h.value(D).toObject();
            QVERIFY(d.value(QStringLiteral("email_id")).toString().startsWith(QStringLiteral("email_")));
            QVERIFY(d.value(QStringLiteral("subject")).toString().contains(QStringLiteral("quarterly")));
            const double score = d.value(QStringLiteral("score")).toDouble(-1);
            QVERIFY(score >= 0 && score <= 1);
        }
        m_annaEmailId = hits.first().value(D).toObject().value(QStringLiteral("email_id")).toString();

        // get_email
        c.sendJson(msg(QStringLiteral("get_email"), {{QStringLiteral("email_id"), m_annaEmailId}}, QStringLiteral("ge1")));
        const QJsonObject email = c.waitFor(QStringLiteral("email"), QStringLiteral("ge1"));
        QVERIFY(!email.isEmpty());
        QCOMPARE(email.value(D).toObject().value(QStringLiteral("email_id")).toString(), m_annaEmailId);
        QVERIFY(email.value(D).toObject().value(QStringLiteral("text")).toString().contains(QStringLiteral("quarterly")));

        // chat_message: streamed chunks, then complete with sources.
        c.sendJson(msg(QStringLiteral("chat_message"), {{QStringLiteral("message"), QStringLiteral("What are the quarterly numbers?")}},
                       QStringLiteral("chat_1")));
        const QJsonObject complete = c.waitFor(QStringLiteral("chat_response_complete"), QStringLiteral("chat_1"), 30000);
        if (complete.isEmpty()) {
            const QJsonObject err = c.waitFor(QStringLiteral("error"), QStringLiteral("chat_1"), 1);
            QFAIL(qPrintable(QStringLiteral("no chat_response_complete; error: %1").arg(QString::fromUtf8(QJsonDocument(err).toJson()))));
        }
        const QString conv = complete.value(D).toObject().value(QStringLiteral("conversation_id")).toString();
        QVERIFY(!conv.isEmpty());
        QVERIFY(complete.value(D).toObject().value(QStringLiteral("sources")).isArray());
        for (const auto &ch : c.ofType(QStringLiteral("chat_response_chunk"))) {
            QCOMPARE(ch.value(R).toString(), QStringLiteral("chat_1"));
            QCOMPARE(ch.value(D).toObject().value(QStringLiteral("conversation_id")).toString(), conv);
            QVERIFY(ch.value(D).toObject().value(QStringLiteral("chunk")).isString());
        }

        // list_uploads
        c.sendJson(msg(QStringLiteral("list_uploads"), {}, QStringLiteral("lu1")));
        const QJsonObject ups = c.waitFor(QStringLiteral("uploads"), QStringLiteral("lu1"));
        QVERIFY(QJsonDocument(ups).toJson().contains(m_annaUpload.toUtf8()));
    }

    void isolationBetweenUsers()
    {
        if (m_annaEmailId.isEmpty())
            QSKIP("needs the upload test");
        WsClient bob;
        QVERIFY(bob.openAndWaitConnected(m_fx->url(), m_fx->tokenFor(QStringLiteral("bob"))));
        // search: nothing of anna's
        bob.sendJson(msg(QStringLiteral("stream_search"), {{QStringLiteral("query"), QStringLiteral("quarterly")}}, QStringLiteral("b1")));
        const QJsonObject done = bob.waitFor(QStringLiteral("search_complete"), QStringLiteral("b1"), 20000);
        QCOMPARE(done.value(D).toObject().value(QStringLiteral("total_results")).toInt(), 0);
        QVERIFY(bob.ofType(QStringLiteral("search_result")).isEmpty());
        // get_email by id
        bob.sendJson(msg(QStringLiteral("get_email"), {{QStringLiteral("email_id"), m_annaEmailId}}, QStringLiteral("b2")));
        QCOMPARE(bob.waitFor(QStringLiteral("error"), QStringLiteral("b2")).value(D).toObject().value(QStringLiteral("error_code")).toString(),
                 QStringLiteral("NOT_FOUND"));
        QVERIFY(bob.ofType(QStringLiteral("email")).isEmpty());
        // list_uploads: none of anna's
        bob.sendJson(msg(QStringLiteral("list_uploads"), {}, QStringLiteral("b3")));
        const QJsonObject ups = bob.waitFor(QStringLiteral("uploads"), QStringLiteral("b3"));
        QVERIFY(!ups.isEmpty());
        QVERIFY(!QJsonDocument(ups).toJson().contains(m_annaUpload.toUtf8()));
        // cancel anna's upload
        bob.sendJson(msg(QStringLiteral("cancel"), {{QStringLiteral("upload_id"), m_annaUpload}}, QStringLiteral("b4")));
        QCOMPARE(bob.waitFor(QStringLiteral("error"), QStringLiteral("b4")).value(D).toObject().value(QStringLiteral("error_code")).toString(),
                 QStringLiteral("NOT_FOUND"));
        // resume anna's upload id
        bob.sendJson(msg(QStringLiteral("upload_start"), {{QStringLiteral("filename"), QStringLiteral("x")}, {QStringLiteral("size"), 10},
                                                         {QStringLiteral("upload_id"), m_annaUpload}}, QStringLiteral("b5")));
        QCOMPARE(bob.waitFor(QStringLiteral("error"), QStringLiteral("b5")).value(D).toObject().value(QStringLiteral("error_code")).toString(),
                 QStringLiteral("NOT_FOUND"));
        // chat cites none of anna's emails
        bob.sendJson(msg(QStringLiteral("chat_message"), {{QStringLiteral("message"), QStringLiteral("quarterly numbers?")}}, QStringLiteral("b6")));
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 30000 && bob.waitFor(QStringLiteral("chat_response_complete"), QStringLiteral("b6"), 1).isEmpty()
               && bob.waitFor(QStringLiteral("error"), QStringLiteral("b6"), 1).isEmpty())
            QTest::qWait(20);
        for (const auto &m : bob.messages())
            QVERIFY2(!QJsonDocument(m).toJson().contains(m_annaEmailId.toUtf8() + '"'), "bob saw anna's email id");
        for (const auto &ch : bob.ofType(QStringLiteral("chat_response_chunk")))
            QVERIFY(!ch.value(D).toObject().value(QStringLiteral("chunk")).toString().contains(QStringLiteral("Budget is fine")));

        // Live search: bob subscribed with a recent search sees nothing of anna's next import,
        // while anna (subscribed, same search) gets the new hits.
        bob.sendJson(msg(QStringLiteral("subscribe"), {{QStringLiteral("channels"), QJsonArray{QStringLiteral("search_results"), QStringLiteral("uploads")}}},
                         QStringLiteral("b7")));
        QVERIFY(!bob.waitFor(QStringLiteral("subscribed"), QStringLiteral("b7")).isEmpty());
        bob.sendJson(msg(QStringLiteral("stream_search"), {{QStringLiteral("query"), QStringLiteral("livequery")}}, QStringLiteral("b8")));
        QVERIFY(!bob.waitFor(QStringLiteral("search_complete"), QStringLiteral("b8"), 20000).isEmpty());

        WsClient anna;
        QVERIFY(anna.openAndWaitConnected(m_fx->url(), m_fx->tokenFor(QStringLiteral("anna"))));
        anna.sendJson(msg(QStringLiteral("subscribe"), {{QStringLiteral("channels"), QJsonArray{QStringLiteral("search_results"), QStringLiteral("uploads")}}},
                          QStringLiteral("a1")));
        QVERIFY(!anna.waitFor(QStringLiteral("subscribed"), QStringLiteral("a1")).isEmpty());
        anna.sendJson(msg(QStringLiteral("stream_search"), {{QStringLiteral("query"), QStringLiteral("livequery")}}, QStringLiteral("live_1")));
        const QJsonObject before = anna.waitFor(QStringLiteral("search_complete"), QStringLiteral("live_1"), 20000);
        QCOMPARE(before.value(D).toObject().value(QStringLiteral("total_results")).toInt(), 0);
        const QString second = uploadOverWs(anna, makeMbox(3, QStringLiteral("livequery"), QStringLiteral("live")), QStringLiteral("live.mbox"),
                                            QStringLiteral("a2"));
        QVERIFY(!second.isEmpty());
        QVERIFY(waitUploadDone(anna, second));
        QTRY_COMPARE_WITH_TIMEOUT(anna.ofType(QStringLiteral("search_result")).size(), 3, 10000);
        for (const auto &h : anna.ofType(QStringLiteral("search_result")))
            QCOMPARE(h.value(R).toString(), QStringLiteral("live_1"));
        QTest::qWait(300);
        QVERIFY(bob.ofType(QStringLiteral("search_result")).isEmpty());
        QVERIFY(bob.ofType(QStringLiteral("upload_progress")).isEmpty());
        QVERIFY(bob.ofType(QStringLiteral("new_emails")).isEmpty());
    }

    // A search that runs between an import's commit and the session hearing of it has already
    // streamed the new emails the live push is about to send: each email must still reach a
    // request_id once. Searches are sent all through an eight-commit import to hit that window
    // (the Node seed client failed CI with 8 hits for 4 emails before the fix).
    void liveSearchSendsEachEmailOnce()
    {
        WsClient c;
        QVERIFY(c.openAndWaitConnected(m_fx->url(), m_fx->tokenFor(QStringLiteral("dave"))));
        c.sendJson(msg(QStringLiteral("subscribe"), {{QStringLiteral("channels"), QJsonArray{QStringLiteral("search_results"), QStringLiteral("uploads")}}},
                       QStringLiteral("d0")));
        QVERIFY(!c.waitFor(QStringLiteral("subscribed"), QStringLiteral("d0")).isEmpty());
        // 8,000 emails (eight transactions of 1,000); every 100th matches, so the search's limit
        // streams all of them.
        QByteArray mbox;
        for (int i = 0; i < 8000; ++i) {
            const QByteArray n = QByteArray::number(i);
            const QByteArray word = i % 100 == 0 ? "racequery" : "racefiller";
            mbox += "From dave@example.org Mon Jan  5 10:00:00 2026\nFrom: Dave <dave@example.org>\nSubject: " + word + ' ' + n
                + "\nMessage-ID: <race-" + n + "@example.org>\nDate: Mon, 5 Jan 2026 10:00:00 +0000\n\nThe " + word + " body " + n + ".\n\n";
        }
        const QString id = uploadOverWs(c, mbox, QStringLiteral("race.mbox"), QStringLiteral("d1"));
        QVERIFY(!id.isEmpty());
        auto done = [&] {
            for (const auto &m : c.ofType(QStringLiteral("new_emails"))) {
                if (m.value(D).toObject().value(QStringLiteral("upload_id")).toString() == id)
                    return true;
            }
            return false;
        };
        int searches = 0;
        while (!done() && searches < 400) {
            c.sendJson(msg(QStringLiteral("stream_search"), {{QStringLiteral("query"), QStringLiteral("racequery")}, {QStringLiteral("limit"), 500}},
                           QStringLiteral("race_%1").arg(++searches)));
            QTest::qWait(5);
        }
        QVERIFY(done());
        QVERIFY(!c.waitFor(QStringLiteral("search_complete"), QStringLiteral("race_%1").arg(searches), 20000).isEmpty());
        QTest::qWait(500); // live pushes still on their way
        QHash<QString, QSet<QString>> seen;
        int repeated = 0;
        for (const auto &h : c.ofType(QStringLiteral("search_result"))) {
            QSet<QString> &ids = seen[h.value(R).toString()];
            const QString email = h.value(D).toObject().value(QStringLiteral("email_id")).toString();
            if (ids.contains(email))
                ++repeated;
            ids.insert(email);
        }
        QCOMPARE(repeated, 0);
        // The last search saw every match, through its stream and its live pushes.
        QCOMPARE(seen.value(QStringLiteral("race_%1").arg(searches)).size(), 80);
        // A request_id used again is a new search: all of its hits come, though the old search
        // with that id sent them already.
        c.clear();
        c.sendJson(msg(QStringLiteral("stream_search"), {{QStringLiteral("query"), QStringLiteral("racequery")}, {QStringLiteral("limit"), 500}},
                       QStringLiteral("race_%1").arg(searches)));
        const QJsonObject again = c.waitFor(QStringLiteral("search_complete"), QStringLiteral("race_%1").arg(searches), 20000);
        QCOMPARE(again.value(D).toObject().value(QStringLiteral("total_results")).toInt(), 80);
        QCOMPARE(c.ofType(QStringLiteral("search_result")).size(), 80);
    }

    // After indexing, the built-in embedding stage reports as current_operation "embedding" and
    // ends at "done" 100 %; search answers before it ends.
    void embeddingStageReportsProgress()
    {
        const QString corpus = emailrag::test::unpackCorpus(QStringLiteral("enron-inbox-subset.tar.zst"));
        QVERIFY(!corpus.isEmpty());
        QStringList files = QDir(corpus + QStringLiteral("/enron-inbox-subset/lay-k/inbox/cur")).entryList(QDir::Files, QDir::Name);
        QVERIFY(files.size() >= 60);
        QByteArray mbox;
        for (const QString &f : files.mid(0, 60)) {
            QFile in(corpus + QStringLiteral("/enron-inbox-subset/lay-k/inbox/cur/") + f);
            QVERIFY(in.open(QIODevice::ReadOnly));
            mbox += "From MAILER-DAEMON Mon Jan  1 00:00:00 2001\n";
            for (const QByteArray &line : in.readAll().split('\n')) {
                if (line.startsWith("From ") || line.startsWith(">From "))
                    mbox += '>';
                mbox += line + '\n';
            }
        }
        WsClient c;
        QVERIFY(c.openAndWaitConnected(m_fx->url(), m_fx->tokenFor(QStringLiteral("carol"))));
        c.sendJson(msg(QStringLiteral("subscribe"), {{QStringLiteral("channels"), QJsonArray{QStringLiteral("uploads")}}}, QStringLiteral("s")));
        QVERIFY(!c.waitFor(QStringLiteral("subscribed"), QStringLiteral("s")).isEmpty());
        const QString id = uploadOverWs(c, mbox, QStringLiteral("lay.mbox"), QStringLiteral("emb"));
        QVERIFY(waitUploadDone(c, id));
        auto operations = [&] {
            QStringList ops;
            for (const auto &p : c.ofType(QStringLiteral("upload_progress"))) {
                const QJsonObject d = p.value(D).toObject();
                if (d.value(QStringLiteral("upload_id")).toString() == id)
                    ops << d.value(QStringLiteral("current_operation")).toString() + QLatin1Char('/')
                               + QString::number(d.value(QStringLiteral("progress")).toInt());
            }
            return ops;
        };
        QTRY_VERIFY_WITH_TIMEOUT(operations().filter(QStringLiteral("embedding/")).size() > 0, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(operations().last() == QLatin1String("done/100"), 120000);
        const QStringList ops = operations();
        // Order: indexing ... done/100 (searchable), then embedding ..., then done/100 again.
        const qsizetype firstEmbedding = ops.indexOf(ops.filter(QStringLiteral("embedding/")).first());
        QVERIFY2(ops.indexOf(QStringLiteral("done/100")) < firstEmbedding, qPrintable(ops.join(QLatin1Char(' '))));
    }

    void uploadRefusalsAndResume()
    {
        WsClient c;
        QVERIFY(c.openAndWaitConnected(m_fx->url(), m_fx->tokenFor(QStringLiteral("anna"))));
        // Over the configured size.
        c.sendJson(msg(QStringLiteral("upload_start"), {{QStringLiteral("filename"), QStringLiteral("big.mbox")}, {QStringLiteral("size"), 100 * 1024 * 1024}},
                       QStringLiteral("big")));
        QCOMPARE(c.waitFor(QStringLiteral("error"), QStringLiteral("big")).value(D).toObject().value(QStringLiteral("error_code")).toString(),
                 QStringLiteral("PAYLOAD_TOO_LARGE"));
        // Checksum mismatch.
        const QByteArray data = makeMbox(2, QStringLiteral("checksum"), QStringLiteral("bad"));
        c.sendJson(msg(QStringLiteral("upload_start"), {{QStringLiteral("filename"), QStringLiteral("bad.mbox")}, {QStringLiteral("size"), data.size()}},
                       QStringLiteral("bad")));
        QString id = c.waitFor(QStringLiteral("upload_started"), QStringLiteral("bad")).value(D).toObject().value(QStringLiteral("upload_id")).toString();
        QVERIFY(!id.isEmpty());
        c.sendBinary(emailrag::protocol::encodeUploadFrame(0, data));
        c.sendJson(msg(QStringLiteral("upload_finish"), {{QStringLiteral("upload_id"), id}, {QStringLiteral("sha256"), QString(64, QLatin1Char('0'))}},
                       QStringLiteral("badfin")));
        QCOMPARE(c.waitFor(QStringLiteral("error"), QStringLiteral("badfin")).value(D).toObject().value(QStringLiteral("error_code")).toString(),
                 QStringLiteral("UPLOAD_FAILED"));

        // Resume after the connection is lost halfway.
        const QByteArray whole = makeMbox(4, QStringLiteral("resumable"), QStringLiteral("resume"));
        const int half = int(whole.size() / 2);
        QString resumeId;
        {
            WsClient first;
            QVERIFY(first.openAndWaitConnected(m_fx->url(), m_fx->tokenFor(QStringLiteral("anna"))));
            first.sendJson(msg(QStringLiteral("upload_start"), {{QStringLiteral("filename"), QStringLiteral("r.mbox")}, {QStringLiteral("size"), whole.size()}},
                               QStringLiteral("r1")));
            resumeId = first.waitFor(QStringLiteral("upload_started"), QStringLiteral("r1")).value(D).toObject().value(QStringLiteral("upload_id")).toString();
            first.sendBinary(emailrag::protocol::encodeUploadFrame(0, whole.left(half)));
            QTRY_VERIFY(!first.ofType(QStringLiteral("upload_ack")).isEmpty());
            first.socket().abort(); // no goodbye
        }
        QTest::qWait(100);
        WsClient second;
        QVERIFY(second.openAndWaitConnected(m_fx->url(), m_fx->tokenFor(QStringLiteral("anna"))));
        second.sendJson(msg(QStringLiteral("subscribe"), {{QStringLiteral("channels"), QJsonArray{QStringLiteral("uploads")}}}, QStringLiteral("r2s")));
        second.sendJson(msg(QStringLiteral("upload_start"), {{QStringLiteral("filename"), QStringLiteral("r.mbox")}, {QStringLiteral("size"), whole.size()},
                                                            {QStringLiteral("upload_id"), resumeId}}, QStringLiteral("r2")));
        const QJsonObject resumed = second.waitFor(QStringLiteral("upload_started"), QStringLiteral("r2"));
        QCOMPARE(resumed.value(D).toObject().value(QStringLiteral("upload_id")).toString(), resumeId);
        QCOMPARE(resumed.value(D).toObject().value(QStringLiteral("offset")).toInt(), half);
        // A frame at the wrong offset is refused.
        second.sendBinary(emailrag::protocol::encodeUploadFrame(0, whole.left(10)));
        QCOMPARE(second.waitFor(QStringLiteral("error")).value(D).toObject().value(QStringLiteral("error_code")).toString(), QStringLiteral("UPLOAD_FAILED"));
        second.sendBinary(emailrag::protocol::encodeUploadFrame(quint64(half), whole.mid(half)));
        second.sendJson(msg(QStringLiteral("upload_finish"), {{QStringLiteral("upload_id"), resumeId}, {QStringLiteral("sha256"), sha256Hex(whole)}},
                            QStringLiteral("r3")));
        QVERIFY(!second.waitFor(QStringLiteral("upload_finished"), QStringLiteral("r3")).isEmpty());
        QVERIFY(waitUploadDone(second, resumeId));
        QCOMPARE(second.ofType(QStringLiteral("new_emails")).last().value(D).toObject().value(QStringLiteral("count")).toInt(), 4);
    }

    void httpApi()
    {
        const QString base = m_fx->httpBase();
        HttpResult h = http("GET", base + QStringLiteral("/api/v1/health"));
        QCOMPARE(h.status, 200);
        QCOMPARE(QJsonDocument::fromJson(h.body).object().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));

        h = http("POST", base + QStringLiteral("/api/v1/auth/login"), R"({"username":"anna","password":"wrong"})");
        QCOMPARE(h.status, 401);
        h = http("POST", base + QStringLiteral("/api/v1/auth/login"), R"({"username":"anna","password":"anna-password"})");
        QCOMPARE(h.status, 200);
        const QJsonObject tok = QJsonDocument::fromJson(h.body).object();
        QCOMPARE(tok.value(QStringLiteral("token_type")).toString(), QStringLiteral("bearer"));
        QVERIFY(tok.value(QStringLiteral("expires_in")).toInt() > 0);
        const QString access = tok.value(QStringLiteral("access_token")).toString();
        WsClient c;
        QVERIFY(c.openAndWaitConnected(m_fx->url(), access)); // the login token works on the WebSocket

        h = http("POST", base + QStringLiteral("/api/v1/auth/refresh"), {}, access.toLatin1());
        QCOMPARE(h.status, 200);
        QVERIFY(!QJsonDocument::fromJson(h.body).object().value(QStringLiteral("access_token")).toString().isEmpty());
        QCOMPARE(http("POST", base + QStringLiteral("/api/v1/auth/refresh"), {}, "bad.token.here").status, 401);

        // Upload by HTTP body.
        c.sendJson(msg(QStringLiteral("subscribe"), {{QStringLiteral("channels"), QJsonArray{QStringLiteral("uploads"), QStringLiteral("system_status")}}},
                       QStringLiteral("s")));
        QVERIFY(!c.waitFor(QStringLiteral("subscribed"), QStringLiteral("s")).isEmpty());
        QCOMPARE(http("POST", base + QStringLiteral("/api/v1/uploads?filename=h.mbox"), makeMbox(2, QStringLiteral("httpword"), QStringLiteral("h"))).status, 401);
        h = http("POST", base + QStringLiteral("/api/v1/uploads?filename=h.mbox"), makeMbox(2, QStringLiteral("httpword"), QStringLiteral("h")), access.toLatin1());
        QCOMPARE(h.status, 202);
        const QString id = QJsonDocument::fromJson(h.body).object().value(QStringLiteral("upload_id")).toString();
        QVERIFY(id.startsWith(QStringLiteral("upload_")));
        QVERIFY(waitUploadDone(c, id));

        // Admin notification reaches system_status subscribers; a non-admin is refused.
        const QByteArray note = R"({"level":"warning","message":"maintenance at noon","action_required":true})";
        QCOMPARE(http("POST", base + QStringLiteral("/api/v1/admin/notifications"), note, m_fx->tokenFor(QStringLiteral("bob")).toLatin1()).status, 403);
        h = http("POST", base + QStringLiteral("/api/v1/admin/notifications"), note, access.toLatin1());
        QCOMPARE(h.status, 200);
        const QJsonObject n = c.waitFor(QStringLiteral("system_notification"));
        QCOMPARE(n.value(D).toObject().value(QStringLiteral("level")).toString(), QStringLiteral("warning"));
        QCOMPARE(n.value(D).toObject().value(QStringLiteral("message")).toString(), QStringLiteral("maintenance at noon"));
        QCOMPARE(n.value(D).toObject().value(QStringLiteral("action_required")).toBool(), true);
        QVERIFY(isSeedTimestamp(n.value(QStringLiteral("timestamp"))));

        h = http("GET", base + QStringLiteral("/metrics"));
        QCOMPARE(h.status, 200);
        for (const char *name : {"emailrag_connections ", "emailrag_messages_in_total{type=\"subscribe\"}", "emailrag_uploads_started_total",
                                 "emailrag_search_latency_seconds_bucket", "emailrag_rate_limited_total", "emailrag_emails_indexed_total"})
            QVERIFY2(h.body.contains(name), name);
        QCOMPARE(http("GET", base + QStringLiteral("/nothing")).status, 404);
    }

    void httpChunkedUpload()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty())
            QSKIP("curl not installed");
        WsClient c;
        QVERIFY(c.openAndWaitConnected(m_fx->url(), m_fx->tokenFor(QStringLiteral("anna"))));
        c.sendJson(msg(QStringLiteral("subscribe"), {{QStringLiteral("channels"), QJsonArray{QStringLiteral("uploads")}}}, QStringLiteral("s")));
        QVERIFY(!c.waitFor(QStringLiteral("subscribed"), QStringLiteral("s")).isEmpty());
        // `curl -T -` reads the body from stdin and, not knowing its length, sends it chunked.
        const QString url = m_fx->httpBase() + QStringLiteral("/api/v1/uploads?filename=piped.mbox");
        const QString auth = QStringLiteral("Authorization: Bearer ") + m_fx->tokenFor(QStringLiteral("anna"));
        const QByteArray mbox = makeMbox(3, QStringLiteral("chunkedword"), QStringLiteral("c"));
        CurlResult r = curl({QStringLiteral("-sS"), QStringLiteral("-v"), QStringLiteral("-X"), QStringLiteral("POST"), QStringLiteral("-T"),
                             QStringLiteral("-"), QStringLiteral("-H"), auth, QStringLiteral("-w"), QStringLiteral("\n%{http_code}"), url},
                            mbox);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.toLower().contains("transfer-encoding: chunked"), r.err.constData()); // really chunked
        QVERIFY2(r.out.endsWith("\n202"), r.out.constData());
        const QString id = QJsonDocument::fromJson(r.out.left(r.out.lastIndexOf('\n'))).object().value(QStringLiteral("upload_id")).toString();
        QVERIFY(id.startsWith(QStringLiteral("upload_")));
        QVERIFY(waitUploadDone(c, id));
        QJsonObject done;
        for (const auto &m : c.ofType(QStringLiteral("new_emails"))) {
            if (m.value(D).toObject().value(QStringLiteral("upload_id")).toString() == id)
                done = m;
        }
        QCOMPARE(done.value(D).toObject().value(QStringLiteral("count")).toInt(), 3); // every byte arrived and was decoded

        // Without a token nothing is stored; a chunked body elsewhere is refused (411).
        r = curl({QStringLiteral("-sS"), QStringLiteral("-X"), QStringLiteral("POST"), QStringLiteral("-T"), QStringLiteral("-"),
                  QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-w"), QStringLiteral("%{http_code}"), url},
                 mbox);
        QCOMPARE(r.out, QByteArray("401"));
        r = curl({QStringLiteral("-sS"), QStringLiteral("-X"), QStringLiteral("POST"), QStringLiteral("-T"), QStringLiteral("-"),
                  QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-w"), QStringLiteral("%{http_code}"),
                  m_fx->httpBase() + QStringLiteral("/api/v1/auth/login")},
                 R"({"username":"anna","password":"anna-password"})");
        QCOMPARE(r.out, QByteArray("411"));

        // The size cap holds for chunked bodies, whose length is not announced: 413 once the
        // decoded bytes pass it, and the partial file is gone.
        ServerConfig small;
        small.maxHttpUploadBytes = 4096;
        ServerFixture fx(small);
        QVERIFY2(fx.ok(), qPrintable(fx.error));
        const QByteArray big = makeMbox(100, QStringLiteral("bigword"), QStringLiteral("b"));
        QVERIFY(big.size() > 3 * 4096);
        r = curl({QStringLiteral("-sS"), QStringLiteral("-X"), QStringLiteral("POST"), QStringLiteral("-T"), QStringLiteral("-"),
                  QStringLiteral("-H"), QStringLiteral("Authorization: Bearer ") + fx.tokenFor(QStringLiteral("anna")), QStringLiteral("-o"),
                  QStringLiteral("/dev/null"), QStringLiteral("-w"), QStringLiteral("%{http_code}"),
                  fx.httpBase() + QStringLiteral("/api/v1/uploads?filename=big.mbox")},
                 big);
        QCOMPARE(r.out, QByteArray("413"));
        QTRY_VERIFY(QDir(fx.dataDir() + QStringLiteral("/uploads")).entryList(QDir::Files).isEmpty());
        // Under the cap the same server takes a chunked body.
        r = curl({QStringLiteral("-sS"), QStringLiteral("-X"), QStringLiteral("POST"), QStringLiteral("-T"), QStringLiteral("-"),
                  QStringLiteral("-H"), QStringLiteral("Authorization: Bearer ") + fx.tokenFor(QStringLiteral("anna")), QStringLiteral("-o"),
                  QStringLiteral("/dev/null"), QStringLiteral("-w"), QStringLiteral("%{http_code}"),
                  fx.httpBase() + QStringLiteral("/api/v1/uploads?filename=one.mbox")},
                 makeMbox(1, QStringLiteral("smallword"), QStringLiteral("s")));
        QCOMPARE(r.out, QByteArray("202"));
    }

    void rateLimitAndFloodDisconnect()
    {
        ServerConfig cfg;
        cfg.rateLimitPerMinute = 10;
        cfg.floodDisconnectAfter = 5;
        ServerFixture fx(cfg);
        QVERIFY(fx.ok());
        WsClient c;
        QVERIFY(c.openAndWaitConnected(fx.url(), fx.tokenFor(QStringLiteral("anna"))));
        for (int i = 0; i < 10; ++i)
            c.sendJson(msg(QStringLiteral("ping"), {}, QStringLiteral("p%1").arg(i)));
        c.sendJson(msg(QStringLiteral("ping"), {}, QStringLiteral("over")));
        const QJsonObject e = c.waitFor(QStringLiteral("error"), QStringLiteral("over"));
        QCOMPARE(e.value(D).toObject().value(QStringLiteral("error_code")).toString(), QStringLiteral("RATE_LIMITED"));
        QVERIFY(e.value(D).toObject().value(QStringLiteral("details")).toObject().value(QStringLiteral("retry_after_ms")).toInt() > 0);
        QCOMPARE(c.ofType(QStringLiteral("pong")).size(), 10);
        // Keep flooding: disconnecting {reason: rate_limited} then the close frame.
        for (int i = 0; i < 10; ++i)
            c.sendJson(msg(QStringLiteral("ping"), {}, QStringLiteral("f%1").arg(i)));
        QVERIFY(c.waitClosed());
        const QJsonObject bye = c.ofType(QStringLiteral("disconnecting")).value(0);
        QCOMPARE(bye.value(D).toObject().value(QStringLiteral("reason")).toString(), QStringLiteral("rate_limited"));
        QVERIFY(bye.value(D).toObject().value(QStringLiteral("reconnect_delay_ms")).toInt() > 0);
        QCOMPARE(c.messages().last().value(T).toString(), QStringLiteral("disconnecting"));
        QCOMPARE(c.closeCode(), 4008);
        // Reconnecting does not refill the budget.
        WsClient again;
        QVERIFY(again.openAndWaitConnected(fx.url(), fx.tokenFor(QStringLiteral("anna"))));
        again.sendJson(msg(QStringLiteral("ping"), {}, QStringLiteral("after")));
        QCOMPARE(again.waitFor(QStringLiteral("error"), QStringLiteral("after")).value(D).toObject().value(QStringLiteral("error_code")).toString(),
                 QStringLiteral("RATE_LIMITED"));
        // Another user is unaffected.
        WsClient bob;
        QVERIFY(bob.openAndWaitConnected(fx.url(), fx.tokenFor(QStringLiteral("bob"))));
        bob.sendJson(msg(QStringLiteral("ping"), {}, QStringLiteral("bob")));
        QVERIFY(!bob.waitFor(QStringLiteral("pong"), QStringLiteral("bob")).isEmpty());
    }

    void idleConnectionsAreClosed()
    {
        ServerConfig cfg;
        cfg.heartbeatIntervalMs = 300;
        ServerFixture fx(cfg);
        QVERIFY(fx.ok());
        WsClient silent, chatty;
        QVERIFY(silent.openAndWaitConnected(fx.url(), fx.tokenFor(QStringLiteral("anna"))));
        QVERIFY(chatty.openAndWaitConnected(fx.url(), fx.tokenFor(QStringLiteral("bob"))));
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 1500) {
            chatty.sendJson(msg(QStringLiteral("ping"), {}, QStringLiteral("hb")));
            QTest::qWait(100);
        }
        QVERIFY(silent.waitClosed(3000));
        QCOMPARE(silent.ofType(QStringLiteral("disconnecting")).value(0).value(D).toObject().value(QStringLiteral("reason")).toString(),
                 QStringLiteral("idle_timeout"));
        QVERIFY(!chatty.isClosed());
    }

    void oversizedFrameClosesOnlyThatConnection()
    {
        WsClient bad, good;
        QVERIFY(bad.openAndWaitConnected(m_fx->url(), m_fx->tokenFor(QStringLiteral("anna"))));
        QVERIFY(good.openAndWaitConnected(m_fx->url(), m_fx->tokenFor(QStringLiteral("bob"))));
        bad.sendRaw(QString(4 * 1024 * 1024, QLatin1Char('x')));
        QVERIFY(bad.waitClosed());
        QCOMPARE(bad.closeCode(), 1009);
        good.sendJson(msg(QStringLiteral("ping"), {}, QStringLiteral("still")));
        QVERIFY(!good.waitFor(QStringLiteral("pong"), QStringLiteral("still")).isEmpty());
    }

    void clientsVanishingMidRequestDoNotHurt()
    {
        // Sessions deleted while their database work or search is still running.
        for (int i = 0; i < 30; ++i) {
            WsClient c;
            QVERIFY(c.open(m_fx->url(), m_fx->tokenFor(QStringLiteral("anna"))));
            if (i % 2)
                QVERIFY(!c.waitFor(QStringLiteral("connected")).isEmpty());
            c.sendJson(msg(QStringLiteral("list_uploads"), {}, QStringLiteral("l")));
            c.sendJson(msg(QStringLiteral("get_system_status"), {}, QStringLiteral("g")));
            c.sendJson(msg(QStringLiteral("stream_search"), {{QStringLiteral("query"), QStringLiteral("quarterly")}}, QStringLiteral("s")));
            c.sendJson(msg(QStringLiteral("get_email"), {{QStringLiteral("email_id"), QStringLiteral("email_1")}}, QStringLiteral("e")));
            c.socket().abort();
        }
        QTest::qWait(500);
        WsClient ok;
        QVERIFY(ok.openAndWaitConnected(m_fx->url(), m_fx->tokenFor(QStringLiteral("anna"))));
        ok.sendJson(msg(QStringLiteral("ping"), {}, QStringLiteral("after")));
        QVERIFY(!ok.waitFor(QStringLiteral("pong"), QStringLiteral("after")).isEmpty());
    }

    void embeddedServerOnItsOwnThread()
    {
        QTemporaryDir dir;
        ServerConfig cfg;
        cfg.dataDir = dir.path();
        cfg.port = quint16(m_fx->server().serverPort()); // busy: the fixture's server holds it
        EmbeddedServer es;
        QString error;
        QVERIFY2(es.start(cfg, /*anyPortIfBusy=*/true, &error), qPrintable(error));
        QVERIFY(es.serverPort() != 0);
        QVERIFY(es.serverPort() != cfg.port);
        EmbeddedServer strict;
        QVERIFY(!strict.start(cfg, /*anyPortIfBusy=*/false, &error));
        QVERIFY(error.contains(QStringLiteral("listen")));

        const auto access = ensureLocalUser(dir.path(), QStringLiteral("local"));
        QVERIFY(access);
        QVERIFY(!access->token.isEmpty());
        QCOMPARE(ensureLocalUser(dir.path(), QStringLiteral("local"))->userId, access->userId); // idempotent
        WsClient c;
        QVERIFY(c.openAndWaitConnected(es.webSocketUrl(), access->token));
        c.sendJson(msg(QStringLiteral("ping"), {}, QStringLiteral("e1")));
        QVERIFY(!c.waitFor(QStringLiteral("pong"), QStringLiteral("e1")).isEmpty());
        // The local user has no password: HTTP login is refused.
        const QString base = QStringLiteral("http://127.0.0.1:%1").arg(es.serverPort());
        QCOMPARE(http("POST", base + QStringLiteral("/api/v1/auth/login"), R"({"username":"local","password":"!"})").status, 401);
        QElapsedTimer stopping;
        stopping.start();
        es.stop(); // a client on this thread can still answer the close frame
        QVERIFY2(stopping.elapsed() < 2500, "stop() waited for the close grace period");
        QVERIFY(c.waitClosed());
        QCOMPARE(c.ofType(QStringLiteral("disconnecting")).value(0).value(D).toObject().value(QStringLiteral("reason")).toString(),
                 QStringLiteral("server_shutdown"));
        QVERIFY(!es.isRunning());
    }

    void gracefulShutdownTellsClients()
    {
        ServerConfig cfg;
        cfg.reconnectDelayMs = 7000;
        auto fx = std::make_unique<ServerFixture>(cfg);
        QVERIFY(fx->ok());
        WsClient a, b;
        QVERIFY(a.openAndWaitConnected(fx->url(), fx->tokenFor(QStringLiteral("anna"))));
        QVERIFY(b.openAndWaitConnected(fx->url(), fx->tokenFor(QStringLiteral("bob"))));
        QSignalSpy stopped(&fx->server(), &Server::stopped);
        fx->server().stop();
        QVERIFY(stopped.wait(8000));
        for (WsClient *c : {&a, &b}) {
            QVERIFY(c->waitClosed());
            QCOMPARE(c->closeCode(), 1001);
            const QJsonObject last = c->messages().last();
            QCOMPARE(last.value(T).toString(), QStringLiteral("disconnecting"));
            QCOMPARE(last.value(D).toObject().value(QStringLiteral("reason")).toString(), QStringLiteral("server_shutdown"));
            QCOMPARE(last.value(D).toObject().value(QStringLiteral("reconnect_delay_ms")).toInt(), 7000);
            QVERIFY(isSeedTimestamp(last.value(QStringLiteral("timestamp"))));
        }
    }

    // Regression: a connection refused for its token closed (and freed) its session before the
    // server had connected to it, leaving a dangling session that crashed stop().
    void stopAfterRefusedConnection()
    {
        auto fx = std::make_unique<ServerFixture>(ServerConfig{});
        QVERIFY(fx->ok());
        WsClient bad;
        QVERIFY(bad.open(fx->url(), QStringLiteral("not-a-token")));
        QVERIFY(bad.waitClosed());
        QCOMPARE(bad.closeCode(), 4001);
        QTRY_COMPARE(fx->server().connectionCount(), 0);
        WsClient good;
        QVERIFY(good.openAndWaitConnected(fx->url(), fx->tokenFor(QStringLiteral("anna"))));
        QSignalSpy stopped(&fx->server(), &Server::stopped);
        fx->server().stop();
        QVERIFY(stopped.wait(8000));
        QVERIFY(good.waitClosed());
        QCOMPARE(good.closeCode(), 1001);
    }

    void serverModeExitsZeroOnSigterm()
    {
        const QString bin = qEnvironmentVariable("EMAILRAG_BINARY");
        if (bin.isEmpty() || !QFile::exists(bin))
            QSKIP("emailrag binary not built");
        QTemporaryDir dir;
        QProcess add;
        add.start(bin, {QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("zed"), QStringLiteral("--password-stdin"),
                        QStringLiteral("--data"), dir.path()});
        add.write("zed-password\n");
        add.closeWriteChannel();
        QVERIFY(add.waitForFinished(20000));
        QCOMPARE(add.exitCode(), 0);
        QProcess tok;
        tok.start(bin, {QStringLiteral("token"), QStringLiteral("zed"), QStringLiteral("--ttl"), QStringLiteral("1h"), QStringLiteral("--data"), dir.path()});
        QVERIFY(tok.waitForFinished(20000));
        QCOMPARE(tok.exitCode(), 0);
        const QString token = QString::fromLatin1(tok.readAllStandardOutput().trimmed());
        QCOMPARE(token.count(QLatin1Char('.')), 2);

        QProcess srv;
        srv.setProcessChannelMode(QProcess::SeparateChannels);
        // Started with a low soft open-file limit (as distributions do: 1,024), which the server
        // must raise to the hard limit for thousands of connections.
        srv.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), QStringLiteral("ulimit -Sn 256 && exec \"$0\" \"$@\""), bin,
                                             QStringLiteral("--server"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                             QStringLiteral("--data"), dir.path()});
        QString url;
        QElapsedTimer t;
        t.start();
        QByteArray err;
        while (url.isEmpty() && t.elapsed() < 20000) {
            srv.waitForReadyRead(200);
            err += srv.readAllStandardError();
            const auto m = QRegularExpression(QStringLiteral("serving (ws://\\S+)")).match(QString::fromUtf8(err));
            if (m.hasMatch())
                url = m.captured(1);
        }
        QVERIFY2(!url.isEmpty(), err.constData());
        QFile limits(QStringLiteral("/proc/%1/limits").arg(srv.processId()));
        QVERIFY(limits.open(QIODevice::ReadOnly));
        const QByteArray all = limits.readAll();
        const QList<QByteArray> fields = all.mid(all.indexOf("Max open files")).split('\n').value(0).simplified().split(' ');
        QCOMPARE(fields.value(3), fields.value(4)); // "Max open files SOFT HARD files": soft raised to hard
        QVERIFY(fields.value(3) != "256");
        WsClient c;
        QVERIFY(c.openAndWaitConnected(url, token));
        ::kill(pid_t(srv.processId()), SIGTERM);
        QVERIFY(c.waitClosed());
        QCOMPARE(c.messages().last().value(D).toObject().value(QStringLiteral("reason")).toString(), QStringLiteral("server_shutdown"));
        if (srv.state() != QProcess::NotRunning && !srv.waitForFinished(15000)) {
            if (qEnvironmentVariableIsSet("EMAILRAG_DEBUG_HANG"))
                QProcess::execute(QStringLiteral("gdb"), {QStringLiteral("-p"), QString::number(srv.processId()), QStringLiteral("-batch"),
                                                          QStringLiteral("-ex"), QStringLiteral("thread apply all bt")});
            qWarning() << "server stderr:" << srv.readAllStandardError().right(3000);
            QFAIL("the server did not exit after SIGTERM");
        }
        QCOMPARE(srv.exitStatus(), QProcess::NormalExit);
        QCOMPARE(srv.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestServer)
#include "tst_server.moc"
