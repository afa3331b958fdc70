// Runs the real emailrag binary and checks what a user sees on the command line.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestCommandLine : public QObject
{
    Q_OBJECT

    struct Run
    {
        int code;
        QString out;
        QString err;
    };

    static Run run(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
    {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(qEnvironmentVariable("EMAILRAG_BINARY"), args);
        p.waitForFinished(30000);
        return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
    }

private Q_SLOTS:
    void helpShowsTheThreeModes()
    {
        const Run r = run({QStringLiteral("--help")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(QLatin1String("--server")), qPrintable(r.out));
        QVERIFY(r.out.contains(QLatin1String("--connect URL")));
        QVERIFY(r.out.contains(QLatin1String("desktop app with its built-in server")));
        QVERIFY(r.out.contains(QLatin1String("--data DIR")));
        QVERIFY(r.out.contains(QLatin1String("Exit codes")));
    }

    // The commands' summaries start in one column, whatever the length of their usage.
    void helpAlignsTheCommands()
    {
        const Run r = run({QStringLiteral("--help")});
        QCOMPARE(r.code, 0);
        const QStringList lines = r.out.section(QLatin1String("Commands ("), 1).section(QLatin1String("\n\n"), 0, 0).split(QLatin1Char('\n')).mid(1);
        QVERIFY2(lines.size() >= 10, qPrintable(r.out));
        const int column = int(lines.first().indexOf(QLatin1String("Manage the users")));
        QVERIFY(column > 2);
        for (int i = 0; i < lines.size(); ++i) {
            const QString &line = lines.at(i);
            QVERIFY2(line.startsWith(QLatin1String("  ")) && line.at(2) != QLatin1Char(' '), qPrintable(line));
            if (line.size() > column && line.at(column - 1) == QLatin1Char(' ') && line.at(column).isUpper())
                continue;
            // A usage too long for its column: the summary alone on the next line, in the column.
            QVERIFY2(i + 1 < lines.size(), qPrintable(line));
            const QString &next = lines.at(++i);
            QVERIFY2(next.left(column).trimmed().isEmpty() && next.size() > column && next.at(column).isUpper(),
                     qPrintable(line + QLatin1Char('\n') + next));
        }
    }

    // Subcommand help names the command as typed, not the binary's full path.
    void subcommandHelpNamesTheCommand()
    {
        const Run r = run({QStringLiteral("import"), QStringLiteral("--help")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.startsWith(QLatin1String("Usage: emailrag import ")), qPrintable(r.out.left(200)));
    }

    void version()
    {
        const Run r = run({QStringLiteral("--version")});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.startsWith(QLatin1String("emailrag ")));
    }

    void unknownOptionExits2_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("desktop") << QStringList{QStringLiteral("--bogus")} << QStringLiteral("bogus");
        QTest::newRow("server") << QStringList{QStringLiteral("--server"), QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
        QTest::newRow("command") << QStringList{QStringLiteral("frobnicate")} << QStringLiteral("unknown command 'frobnicate'");
        QTest::newRow("both modes") << QStringList{QStringLiteral("--server"), QStringLiteral("--connect"), QStringLiteral("ws://x")}
                                    << QStringLiteral("exclude each other");
        QTest::newRow("missing value") << QStringList{QStringLiteral("--server"), QStringLiteral("--listen")} << QStringLiteral("listen");
    }
    void unknownOptionExits2()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        const Run r = run(args);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
        QVERIFY(r.err.contains(QLatin1String("--help")));
    }

    // Commands that read a store refuse a folder without one, say so, and leave nothing behind.
    void readingCommandsNeedAnExistingStore_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("user list") << QStringList{QStringLiteral("user"), QStringLiteral("list")};
        QTest::newRow("user remove") << QStringList{QStringLiteral("user"), QStringLiteral("remove"), QStringLiteral("anna")};
        QTest::newRow("token") << QStringList{QStringLiteral("token"), QStringLiteral("anna")};
        QTest::newRow("notify") << QStringList{QStringLiteral("notify"), QStringLiteral("hello")};
        QTest::newRow("backup") << QStringList{QStringLiteral("backup"), QStringLiteral("/tmp/emailrag-never-written")};
    }
    void readingCommandsNeedAnExistingStore()
    {
        QFETCH(QStringList, args);
        QTemporaryDir tmp;
        const QString missing = tmp.filePath(QStringLiteral("typo"));
        const Run r = run(args << QStringLiteral("--data") << missing);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("no EmailRAG data in")), qPrintable(r.err));
        QVERIFY(!QDir(missing).exists());
    }

    // A command prints its progress and summary; the libraries' info lines (a new store's
    // migrations, the import's completion) stay off stderr unless QT_LOGGING_RULES asks for them.
    void importShowsNoInfoLogsByDefault()
    {
        QTemporaryDir tmp;
        const QString eml = tmp.filePath(QStringLiteral("one.eml"));
        QFile f(eml);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("From: Anna <anna@example.org>\r\nTo: bob@example.org\r\nSubject: logs\r\n"
                "Message-ID: <logs-1@example.org>\r\nDate: Sun, 6 Dec 2026 20:00:00 +0000\r\n\r\nHello.\r\n");
        f.close();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("QT_LOGGING_RULES"));
        const Run quiet = run({QStringLiteral("import"), eml, QStringLiteral("--data"), tmp.filePath(QStringLiteral("a"))}, env);
        QCOMPARE(quiet.code, 0);
        QVERIFY2(quiet.out.contains(QLatin1String("Imported:            1")), qPrintable(quiet.out));
        QVERIFY2(!quiet.err.contains(QLatin1String("emailrag.")), qPrintable(quiet.err));

        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("emailrag.*.info=true"));
        const Run loud = run({QStringLiteral("import"), eml, QStringLiteral("--data"), tmp.filePath(QStringLiteral("b"))}, env);
        QCOMPARE(loud.code, 0);
        QVERIFY2(loud.err.contains(QLatin1String("applied migration")), qPrintable(loud.err));
        QVERIFY2(loud.err.contains(QLatin1String("imported 1")), qPrintable(loud.err));
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
