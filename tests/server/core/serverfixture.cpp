#include "serverfixture.h"

#include "database.h"
#include "tokenservice.h"
#include "userstore.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace emailrag::server;

WsClient::WsClient(QObject *parent) : QObject(parent)
{
    connect(&m_ws, &QWebSocket::textMessageReceived, this, [this](const QString &t) {
        m_messages.append(QJsonDocument::fromJson(t.toUtf8()).object());
    });
    connect(&m_ws, &QWebSocket::disconnected, this, [this] {
        m_closed = true;
        m_closeCode = int(m_ws.closeCode());
    });
}

bool WsClient::open(const QString &url, const QString &token, const QByteArray &bearer)
{
    QUrl u(url);
    if (!token.isNull()) {
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("token"), token);
        u.setQuery(q);
    }
    QNetworkRequest req(u);
    if (!bearer.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + bearer);
    QSignalSpy spy(&m_ws, &QWebSocket::connected);
    m_ws.open(req);
    return spy.wait(10000) || m_ws.state() == QAbstractSocket::ConnectedState;
}

bool WsClient::openAndWaitConnected(const QString &url, const QString &token)
{
    return open(url, token) && !waitFor(QStringLiteral("connected")).isEmpty();
}

void WsClient::sendJson(const QJsonObject &o) { m_ws.sendTextMessage(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact))); }

QJsonObject WsClient::request(const QString &type, const QJsonObject &data, const QString &requestId)
{
    QJsonObject o{{QStringLiteral("type"), type}, {QStringLiteral("request_id"), requestId}};
    if (!data.isEmpty())
        o.insert(QStringLiteral("data"), data);
    sendJson(o);
    return waitFor(type == QLatin1String("ping") ? QStringLiteral("pong") : QString(), requestId);
}

QJsonObject WsClient::waitFor(const QString &type, const QString &requestId, int timeoutMs, int *index)
{
    QElapsedTimer t;
    t.start();
    int seen = 0;
    while (true) {
        for (int i = seen; i < m_messages.size(); ++i) {
            const QJsonObject &m = m_messages[i];
            if ((type.isEmpty() || m.value(QStringLiteral("type")).toString() == type)
                && (requestId.isEmpty() || m.value(QStringLiteral("request_id")).toString() == requestId)) {
                if (index)
                    *index = i;
                return m;
            }
        }
        seen = 0; // messages are never removed while waiting; rescan is cheap
        if (t.elapsed() > timeoutMs || m_closed)
            break;
        QTest::qWait(5);
    }
    // One last look after a close (the message may have arrived with it).
    for (int i = 0; i < m_messages.size(); ++i) {
        const QJsonObject &m = m_messages[i];
        if ((type.isEmpty() || m.value(QStringLiteral("type")).toString() == type)
            && (requestId.isEmpty() || m.value(QStringLiteral("request_id")).toString() == requestId)) {
            if (index)
                *index = i;
            return m;
        }
    }
    return {};
}

bool WsClient::waitClosed(int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!m_closed && t.elapsed() < timeoutMs)
        QTest::qWait(5);
    return m_closed;
}

QList<QJsonObject> WsClient::ofType(const QString &type) const
{
    QList<QJsonObject> out;
    for (const auto &m : m_messages) {
        if (m.value(QStringLiteral("type")).toString() == type)
            out << m;
    }
    return out;
}

ServerFixture::ServerFixture(ServerConfig overrides)
{
    static int n = 0;
    m_conn = QStringLiteral("fixture%1").arg(++n);
    ServerConfig config = overrides;
    config.dataDir = m_dir.path();
    config.listenAddress = QHostAddress::LocalHost;
    config.port = 0;
    const auto db = emailrag::storage::DatabaseConfig::sqliteFile(config.databasePath());
    if (const auto err = emailrag::storage::Database::migrate(db, m_conn)) {
        error = *err;
        return;
    }
    QSqlDatabase c = emailrag::storage::Database::connection(db, m_conn);
    UserStore::add(c, QStringLiteral("anna"), "anna-password", true);
    UserStore::add(c, QStringLiteral("bob"), "bob-password", false);
    UserStore::add(c, QStringLiteral("carol"), "carol-password", false); // her own store for the embedding test
    UserStore::add(c, QStringLiteral("dave"), "dave-password", false);   // his own store for the live-search race
    m_server = std::make_unique<Server>();
    m_ok = m_server->start(config, &error);
}

ServerFixture::~ServerFixture()
{
    if (m_server && m_server->isRunning()) {
        QSignalSpy stopped(m_server.get(), &Server::stopped);
        m_server->stop();
        stopped.wait(8000);
    }
    m_server.reset();
    QSqlDatabase::database(m_conn, false).close();
    QSqlDatabase::removeDatabase(m_conn);
}

QString ServerFixture::httpBase() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_server->serverPort()); }

QString ServerFixture::tokenFor(const QString &user, int ttlSecs) const
{
    const auto db = emailrag::storage::DatabaseConfig::sqliteFile(m_dir.filePath(QStringLiteral("emailrag.db")));
    QSqlDatabase c = emailrag::storage::Database::connection(db, m_conn);
    const auto u = UserStore::byName(c, user);
    const auto ts = TokenService::load(m_dir.path());
    return ts->issue(u->id, u->name, u->createdAt, std::chrono::seconds(ttlSecs));
}

qint64 ServerFixture::userId(const QString &user) const
{
    const auto db = emailrag::storage::DatabaseConfig::sqliteFile(m_dir.filePath(QStringLiteral("emailrag.db")));
    QSqlDatabase c = emailrag::storage::Database::connection(db, m_conn);
    return UserStore::byName(c, user)->id;
}

QByteArray makeMbox(int n, const QString &word, const QString &tag)
{
    QByteArray out;
    for (int i = 0; i < n; ++i) {
        out += "From sender" + QByteArray::number(i) + "@example.org Mon Jan  5 10:0" + QByteArray::number(i % 10) + ":00 2026\n";
        out += "From: Sender " + QByteArray::number(i) + " <sender" + QByteArray::number(i) + "@example.org>\n";
        out += "To: Someone <someone@example.org>\n";
        out += "Subject: " + word.toUtf8() + " report " + tag.toUtf8() + ' ' + QByteArray::number(i) + "\n";
        out += "Date: Mon, 5 Jan 2026 10:0" + QByteArray::number(i % 10) + ":00 +0000\n";
        out += "Message-ID: <" + tag.toUtf8() + '-' + QByteArray::number(i) + "@example.org>\n";
        out += "\nThe " + word.toUtf8() + " numbers for " + tag.toUtf8() + " are attached. Budget is fine.\n\n";
    }
    return out;
}

QString sha256Hex(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

bool isSeedTimestamp(const QJsonValue &v)
{
    static const QRegularExpression re(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$"));
    return v.isString() && re.match(v.toString()).hasMatch();
}
