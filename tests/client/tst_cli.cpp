// The command line end to end, as a new user would try it: a headless `emailrag --server` on its
// own port (a separate process), `emailrag user add`, then login (token into the real
// gnome-keyring of the private D-Bus session from with-keyring.sh), upload of a small mailbox
// made from real Enron mail, search, chat, watch — including a server killed and restarted while
// `watch` runs — and the local mode without --server.
#include "corpora.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private:
    QString m_binary;
    QTemporaryDir m_tmp;
    QString m_serverData;
    QString m_clientData;
    quint16 m_port = 0;
    QProcess *m_server = nullptr;
    QString m_mbox;
    int m_messages = 0;
    QStringList m_files; // the message files behind m_mbox
    QString m_word; // a word from a subject of the mailbox

    QString url() const { return QStringLiteral("ws://127.0.0.1:%1").arg(m_port); }

    Run run(const QStringList &args, const QByteArray &stdinData = {}, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(), int timeoutMs = 60000)
    {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(m_binary, args);
        if (!p.waitForStarted())
            return {};
        p.write(stdinData);
        p.closeWriteChannel();
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }

    bool startServer()
    {
        m_server = new QProcess(this);
        m_server->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_server->start(m_binary, {QStringLiteral("--server"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(m_port),
                                   QStringLiteral("--data"), m_serverData});
        if (!m_server->waitForStarted())
            return false;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 20000) {
            QTcpSocket s;
            s.connectToHost(QHostAddress::LocalHost, m_port);
            if (s.waitForConnected(200))
                return true;
            QTest::qWait(100);
        }
        return false;
    }

    static quint16 freePort()
    {
        QTcpServer s;
        s.listen(QHostAddress::LocalHost, 0);
        return s.serverPort();
    }

    // An mbox of the first `count` messages of one Enron inbox (real mail, From_-quoted).
    bool makeMailbox(const QString &corpus, int count)
    {
        QStringList files;
        QDirIterator it(corpus + QStringLiteral("/enron-inbox-subset/allen-p/inbox"), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            files << it.next();
        files.sort();
        files = files.mid(0, count);
        m_files = files;
        QFile out(m_tmp.filePath(QStringLiteral("allen.mbox")));
        if (files.isEmpty() || !out.open(QIODevice::WriteOnly))
            return false;
        for (const QString &f : std::as_const(files)) {
            QFile in(f);
            if (!in.open(QIODevice::ReadOnly))
                return false;
            const QByteArray data = in.readAll();
            out.write("From MAILER-DAEMON Mon Jan  1 00:00:00 2001\n");
            for (const QByteArray &line : data.split('\n')) {
                if (line.startsWith("From ") || line.startsWith(">From "))
                    out.write(">");
                out.write(line);
                out.write("\n");
            }
            out.write("\n");
            if (m_word.isEmpty()) {
                const QRegularExpression subject(QStringLiteral("^Subject: (.*)$"), QRegularExpression::MultilineOption);
                const auto m = subject.match(QString::fromLatin1(data));
                for (const QString &w : m.captured(1).split(QRegularExpression(QStringLiteral("\\W+")), Qt::SkipEmptyParts)) {
                    if (w.size() >= 5 && !w.contains(QRegularExpression(QStringLiteral("\\d")))) {
                        m_word = w.toLower();
                        break;
                    }
                }
            }
        }
        m_messages = int(files.size());
        m_mbox = out.fileName();
        return true;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_binary = qEnvironmentVariable("EMAILRAG_BINARY");
        QVERIFY2(QFileInfo(m_binary).isExecutable(), qPrintable(m_binary));
        QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"), "run through with-keyring.sh");
        QVERIFY(m_tmp.isValid());
        m_serverData = m_tmp.filePath(QStringLiteral("server"));
        m_clientData = m_tmp.filePath(QStringLiteral("client"));
        const QString corpus = emailrag::test::unpackCorpus(QStringLiteral("enron-inbox-subset.tar.zst"));
        QVERIFY2(!corpus.isEmpty(), "enron corpus missing");
        QVERIFY(makeMailbox(corpus, 40));
        QVERIFY(!m_word.isEmpty());

        m_port = freePort();
        QVERIFY(startServer());
        const Run add = run({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("alice"), QStringLiteral("--password-stdin"),
                             QStringLiteral("--data"), m_serverData},
                            "alice-password-1\n");
        QVERIFY2(add.exitCode == 0, qPrintable(add.err));
    }

    void cleanupTestCase()
    {
        if (m_server) {
            m_server->terminate();
            if (!m_server->waitForFinished(10000))
                m_server->kill();
        }
    }

    void helpForEachCommand_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("login") << "login" << "--password-stdin";
        QTest::newRow("upload") << "upload" << "--server";
        QTest::newRow("search") << "search" << "--limit";
        QTest::newRow("chat") << "chat" << "--conversation";
        QTest::newRow("watch") << "watch" << "--json";
    }
    void helpForEachCommand()
    {
        QFETCH(QString, command);
        QFETCH(QString, mentions);
        const Run r = run({command, QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(mentions), qPrintable(r.out));
        QCOMPARE(run({command, QStringLiteral("--no-such-option")}).exitCode, 2);
    }

    void loginRefusesWrongPassword()
    {
        const Run r = run({QStringLiteral("login"), url(), QStringLiteral("--user"), QStringLiteral("alice"), QStringLiteral("--password-stdin"),
                           QStringLiteral("--data"), m_clientData},
                          "wrong-password\n");
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.err.contains(QLatin1String("refused")));
    }

    void notLoggedInAndUnreachable()
    {
        // No token stored for this server yet.
        Run r = run({QStringLiteral("search"), QStringLiteral("x"), QStringLiteral("--server"), url(), QStringLiteral("--data"), m_clientData});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(QLatin1String("emailrag login")), qPrintable(r.err));
        // Nobody listening there.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("EMAILRAG_TOKEN"), QStringLiteral("whatever"));
        r = run({QStringLiteral("search"), QStringLiteral("x"), QStringLiteral("--server"), QStringLiteral("ws://127.0.0.1:%1").arg(freePort()),
                 QStringLiteral("--data"), m_clientData},
                {}, env);
        QCOMPARE(r.exitCode, 4);
        // A server that refuses the token.
        r = run({QStringLiteral("search"), QStringLiteral("x"), QStringLiteral("--server"), url(), QStringLiteral("--data"), m_clientData}, {}, env);
        QCOMPARE(r.exitCode, 3);
    }

    void loginStoresTokenInKeychain()
    {
        const Run r = run({QStringLiteral("login"), QStringLiteral("http://127.0.0.1:%1").arg(m_port), QStringLiteral("--user"),
                           QStringLiteral("alice"), QStringLiteral("--password-stdin"), QStringLiteral("--data"), m_clientData},
                          "alice-password-1\n");
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QLatin1String("system keychain")), qPrintable(r.out));
        // Nothing secret on disk in the client's data directory.
        QVERIFY(!QFile::exists(m_clientData + QStringLiteral("/secrets.json")));
    }

    void uploadWatchSearchChat()
    {
        // `watch` follows everything while the upload runs.
        QProcess watch;
        watch.start(m_binary, {QStringLiteral("watch"), QStringLiteral("--json"), QStringLiteral("--server"), url(),
                               QStringLiteral("--data"), m_clientData});
        QVERIFY(watch.waitForStarted());
        QString watchErr;
        QTRY_VERIFY_WITH_TIMEOUT((watchErr += QString::fromUtf8(watch.readAllStandardError())).contains(QLatin1String("following")), 20000);

        const Run up = run({QStringLiteral("upload"), m_mbox, QStringLiteral("--server"), url(), QStringLiteral("--data"), m_clientData},
                           {}, QProcessEnvironment::systemEnvironment(), 120000);
        QVERIFY2(up.exitCode == 0, qPrintable(up.err + up.out));
        const QRegularExpression count(QStringLiteral("(\\d+) new email"));
        const auto m = count.match(up.out);
        QVERIFY2(m.hasMatch(), qPrintable(up.out));
        QCOMPARE(m.captured(1).toInt(), m_messages);

        QString watchOut;
        QTRY_VERIFY_WITH_TIMEOUT((watchOut += QString::fromUtf8(watch.readAllStandardOutput())).contains(QLatin1String("\"new_emails\"")), 20000);
        QVERIFY(watchOut.contains(QLatin1String("\"upload_progress\"")));
        for (const QString &line : watchOut.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            QVERIFY2(QJsonDocument::fromJson(line.toUtf8()).isObject(), qPrintable(line));

        // The server is killed (no goodbye) and restarted: watch recovers by itself.
        m_server->kill();
        m_server->waitForFinished();
        delete m_server;
        QTRY_VERIFY_WITH_TIMEOUT((watchErr += QString::fromUtf8(watch.readAllStandardError())).contains(QLatin1String("reconnecting")), 20000);
        QVERIFY(startServer());
        QTRY_VERIFY_WITH_TIMEOUT((watchErr += QString::fromUtf8(watch.readAllStandardError())).count(QLatin1String("emailrag watch: connected")) >= 1, 40000);
        QCOMPARE(watch.state(), QProcess::Running);

        // Search: hits streamed as JSON lines, the wire messages themselves.
        Run s = run({QStringLiteral("search"), m_word, QStringLiteral("--limit"), QStringLiteral("10"), QStringLiteral("--json"),
                     QStringLiteral("--server"), url(), QStringLiteral("--data"), m_clientData});
        QVERIFY2(s.exitCode == 0, qPrintable(s.err));
        const QStringList lines = s.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(lines.size() >= 2, qPrintable(s.out));
        for (int i = 0; i < lines.size(); ++i) {
            const QJsonObject o = QJsonDocument::fromJson(lines[i].toUtf8()).object();
            QCOMPARE(o.value(QLatin1String("type")).toString(), i + 1 < lines.size() ? QStringLiteral("search_result") : QStringLiteral("search_complete"));
            QVERIFY(!o.value(QLatin1String("request_id")).toString().isEmpty());
        }
        QVERIFY(lines.size() - 1 <= 10);
        // Plain output: one line per hit, the count on stderr.
        s = run({QStringLiteral("search"), m_word, QStringLiteral("--server"), url(), QStringLiteral("--data"), m_clientData});
        QCOMPARE(s.exitCode, 0);
        QVERIFY(s.out.count(QLatin1Char('\n')) >= 1);
        QVERIFY2(s.err.contains(QLatin1String("result(s) in")), qPrintable(s.err));

        // Chat: the answer, then where it came from.
        const Run c = run({QStringLiteral("chat"), QStringLiteral("What do the emails say about %1?").arg(m_word), QStringLiteral("--server"),
                           url(), QStringLiteral("--data"), m_clientData},
                          {}, QProcessEnvironment::systemEnvironment(), 120000);
        QVERIFY2(c.exitCode == 0, qPrintable(c.err + c.out));
        QVERIFY(!c.out.trimmed().isEmpty());
        QVERIFY2(c.err.contains(QLatin1String("--conversation")), qPrintable(c.err));

        watch.terminate();
        QVERIFY(watch.waitForFinished(10000));
        QCOMPARE(watch.exitCode(), 0);
    }

    void localModeWithoutServer()
    {
        const QString local = m_tmp.filePath(QStringLiteral("local"));
        const Run up = run({QStringLiteral("upload"), m_mbox, QStringLiteral("--data"), local}, {}, QProcessEnvironment::systemEnvironment(), 120000);
        QVERIFY2(up.exitCode == 0, qPrintable(up.err + up.out));
        QVERIFY2(up.out.contains(QStringLiteral("%1 new email").arg(m_messages)), qPrintable(up.out));
        const Run s = run({QStringLiteral("search"), m_word, QStringLiteral("--json"), QStringLiteral("--data"), local});
        QVERIFY2(s.exitCode == 0, qPrintable(s.err));
        QVERIFY(s.out.contains(QLatin1String("\"search_result\"")));
        // The same mail uploaded again brings nothing new.
        const Run again = run({QStringLiteral("upload"), m_mbox, QStringLiteral("--json"), QStringLiteral("--data"), local}, {},
                              QProcessEnvironment::systemEnvironment(), 120000);
        QCOMPARE(again.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(again.out.trimmed().toUtf8()).object();
        QCOMPARE(o.value(QLatin1String("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(o.value(QLatin1String("new_emails")).toInt(-1), 0);
    }

    // A Maildir given to `upload` travels as one mbox and brings the same emails as the mbox.
    void uploadMailFolder()
    {
        const QString maildir = m_tmp.filePath(QStringLiteral("Maildir"));
        QVERIFY(QDir().mkpath(maildir + QStringLiteral("/cur")) && QDir().mkpath(maildir + QStringLiteral("/new")));
        for (int i = 0; i < m_files.size(); ++i)
            QVERIFY(QFile::copy(m_files[i], maildir + QStringLiteral("/cur/%1.enron:2,S").arg(i)));
        const QString local = m_tmp.filePath(QStringLiteral("local-maildir"));
        const Run up = run({QStringLiteral("upload"), maildir, QStringLiteral("--data"), local}, {}, QProcessEnvironment::systemEnvironment(), 120000);
        QVERIFY2(up.exitCode == 0, qPrintable(up.err + up.out));
        QVERIFY2(up.out.contains(QStringLiteral("%1 message(s) packed").arg(m_messages)), qPrintable(up.out));
        QVERIFY2(up.out.contains(QStringLiteral("%1 new email").arg(m_messages)), qPrintable(up.out));
        // The mbox of the same messages adds nothing: the packed copies were the same emails.
        const Run again = run({QStringLiteral("upload"), m_mbox, QStringLiteral("--json"), QStringLiteral("--data"), local}, {},
                              QProcessEnvironment::systemEnvironment(), 120000);
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(again.out.trimmed().toUtf8()).object().value(QLatin1String("new_emails")).toInt(-1), 0);

        // A folder without mail is a usage error that says why, before anything is sent.
        const QString empty = m_tmp.filePath(QStringLiteral("not-mail"));
        QVERIFY(QDir().mkpath(empty + QStringLiteral("/sub")));
        const Run bad = run({QStringLiteral("upload"), empty, QStringLiteral("--data"), local});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(QLatin1String("holds no message files")), qPrintable(bad.err));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
