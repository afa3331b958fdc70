// TLS end to end: a throwaway self-signed certificate made with the openssl CLI at test time,
// the real `emailrag --server --tls-cert --tls-key` as a process, a QWebSocket over wss:// that
// trusts exactly that certificate, https:// health, and the refusals (a client that does not
// trust the certificate, plain ws:// to the TLS port, a missing key file at start).

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <csignal>

namespace {

QByteArray runTool(const QString &program, const QStringList &args, const QByteArray &input = {}, int *exitCode = nullptr)
{
    QProcess p;
    p.start(program, args);
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(60000);
    if (exitCode)
        *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return p.readAllStandardOutput();
}

} // namespace

class TestTls : public QObject
{
    Q_OBJECT
private:
    QString m_bin;
    QTemporaryDir m_dir;
    QString m_cert, m_key, m_token;

    QSslConfiguration trusting() const
    {
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        conf.setCaCertificates(QSslCertificate::fromPath(m_cert));
        return conf;
    }

    // Starts the server with the given TLS files; returns its wss:// URL (empty on failure).
    QString startServer(QProcess &srv, const QString &cert, const QString &key, QByteArray *stderrOut = nullptr)
    {
        srv.setProcessChannelMode(QProcess::SeparateChannels);
        srv.start(m_bin, {QStringLiteral("--server"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data"),
                          m_dir.path(), QStringLiteral("--tls-cert"), cert, QStringLiteral("--tls-key"), key});
        QByteArray err;
        QString url;
        QElapsedTimer t;
        t.start();
        while (url.isEmpty() && t.elapsed() < 20000 && srv.state() != QProcess::NotRunning) {
            srv.waitForReadyRead(100);
            err += srv.readAllStandardError();
            const auto m = QRegularExpression(QStringLiteral("serving (wss?://\\S+)")).match(QString::fromUtf8(err));
            if (m.hasMatch())
                url = m.captured(1);
        }
        if (srv.state() == QProcess::NotRunning)
            err += srv.readAllStandardError();
        if (stderrOut)
            *stderrOut = err;
        return url;
    }

    static void stopServer(QProcess &srv)
    {
        if (srv.state() == QProcess::NotRunning)
            return;
        ::kill(pid_t(srv.processId()), SIGTERM);
        if (!srv.waitForFinished(15000))
            srv.kill();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_bin = qEnvironmentVariable("EMAILRAG_BINARY");
        if (m_bin.isEmpty() || !QFile::exists(m_bin))
            QSKIP("emailrag binary not built");
        if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
            QSKIP("openssl CLI not installed");
        QVERIFY(m_dir.isValid());
        m_cert = m_dir.filePath(QStringLiteral("cert.pem"));
        m_key = m_dir.filePath(QStringLiteral("key.pem"));
        int rc = -1;
        runTool(QStringLiteral("openssl"),
                {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
                 QStringLiteral("-keyout"), m_key, QStringLiteral("-out"), m_cert, QStringLiteral("-days"), QStringLiteral("1"),
                 QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                 QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost")},
                {}, &rc);
        QCOMPARE(rc, 0);
        QVERIFY(!QSslCertificate::fromPath(m_cert).isEmpty());

        runTool(m_bin, {QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("tess"), QStringLiteral("--password-stdin"),
                        QStringLiteral("--data"), m_dir.path()},
                "tess-password\n", &rc);
        QCOMPARE(rc, 0);
        m_token = QString::fromLatin1(runTool(m_bin, {QStringLiteral("token"), QStringLiteral("tess"), QStringLiteral("--data"), m_dir.path()}, {}, &rc).trimmed());
        QCOMPARE(rc, 0);
        QCOMPARE(m_token.count(QLatin1Char('.')), 2);
    }

    void wssAndHttps()
    {
        QProcess srv;
        QByteArray err;
        const QString url = startServer(srv, m_cert, m_key, &err);
        QVERIFY2(url.startsWith(QStringLiteral("wss://")), err.constData());

        // wss:// with exactly this certificate trusted: authenticated, and a ping answered.
        QWebSocket ws;
        ws.setSslConfiguration(trusting());
        QList<QString> received;
        connect(&ws, &QWebSocket::textMessageReceived, this, [&received](const QString &t) { received << t; });
        QSignalSpy sslErrors(&ws, &QWebSocket::sslErrors);
        ws.open(QUrl(url + QStringLiteral("?token=") + m_token));
        QTRY_VERIFY_WITH_TIMEOUT(!received.isEmpty(), 15000);
        QCOMPARE(sslErrors.count(), 0);
        QCOMPARE(QJsonDocument::fromJson(received.first().toUtf8()).object().value(QStringLiteral("type")).toString(), QStringLiteral("connected"));
        ws.sendTextMessage(QStringLiteral("{\"type\":\"ping\",\"request_id\":\"tls-1\"}"));
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), 2, 10000);
        const QJsonObject pong = QJsonDocument::fromJson(received.last().toUtf8()).object();
        QCOMPARE(pong.value(QStringLiteral("type")).toString(), QStringLiteral("pong"));
        QCOMPARE(pong.value(QStringLiteral("request_id")).toString(), QStringLiteral("tls-1"));

        // https:// on the same port.
        QUrl health(url);
        health.setScheme(QStringLiteral("https"));
        health.setPath(QStringLiteral("/api/v1/health"));
        QNetworkAccessManager nam;
        QNetworkRequest req(health);
        req.setSslConfiguration(trusting());
        QNetworkReply *reply = nam.get(req);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(15000));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        delete reply;

        // A client that does not trust the certificate is refused by its own TLS check.
        QWebSocket untrusting;
        QSignalSpy untrustedErrors(&untrusting, &QWebSocket::sslErrors);
        QSignalSpy untrustedConnected(&untrusting, &QWebSocket::connected);
        untrusting.open(QUrl(url + QStringLiteral("?token=") + m_token));
        QTRY_VERIFY_WITH_TIMEOUT(untrustedErrors.count() > 0, 15000);
        QTest::qWait(200);
        QCOMPARE(untrustedConnected.count(), 0);

        // Plain ws:// to the TLS port gets no WebSocket.
        QUrl plain(url);
        plain.setScheme(QStringLiteral("ws"));
        plain.setQuery(QStringLiteral("token=") + m_token);
        QWebSocket cleartext;
        QSignalSpy plainConnected(&cleartext, &QWebSocket::connected);
        QSignalSpy plainDisconnected(&cleartext, &QWebSocket::disconnected);
        cleartext.open(plain);
        QTRY_VERIFY_WITH_TIMEOUT(plainDisconnected.count() > 0, 20000);
        QCOMPARE(plainConnected.count(), 0);

        // The TLS session ends gracefully like a plain one.
        stopServer(srv);
        QCOMPARE(srv.exitStatus(), QProcess::NormalExit);
        QCOMPARE(srv.exitCode(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(ws.state() == QAbstractSocket::UnconnectedState, 10000);
        QVERIFY(received.last().contains(QLatin1String("server_shutdown")));
    }

    void badKeyOrCertificateIsAClearError_data()
    {
        QTest::addColumn<QString>("cert");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("mentions");
        const QString missing = m_dir.filePath(QStringLiteral("no-such-key.pem"));
        QTest::newRow("missing key") << m_cert << missing << missing;
        QTest::newRow("missing cert") << m_dir.filePath(QStringLiteral("no-such-cert.pem")) << m_key << m_dir.filePath(QStringLiteral("no-such-cert.pem"));
        QTest::newRow("cert as key") << m_cert << m_cert << m_cert; // readable, but not a private key
    }

    void badKeyOrCertificateIsAClearError()
    {
        QFETCH(QString, cert);
        QFETCH(QString, key);
        QFETCH(QString, mentions);
        QProcess srv;
        QByteArray err;
        const QString url = startServer(srv, cert, key, &err);
        if (!url.isEmpty())
            stopServer(srv);
        QVERIFY2(url.isEmpty(), "the server started with a bad TLS file");
        QVERIFY(srv.state() == QProcess::NotRunning || srv.waitForFinished(15000));
        QCOMPARE(srv.exitStatus(), QProcess::NormalExit);
        QCOMPARE(srv.exitCode(), 1); // ExitFailure: the start failed
        QVERIFY2(QString::fromUtf8(err).contains(mentions), err.constData()); // names the file at fault
    }
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
