// Crash safety: a real `emailrag import` child process is SIGKILLed at several random points;
// after each kill, everything the child had reported as processed is in the store; a final run
// resumes the interrupted imports by itself, and the end state equals an uninterrupted import:
// same emails, no duplicates, FTS rows in step.
#include "database.h"
#include "mboxreader.h"

#include "corpora.h"

#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace emailrag;

class TestImportKill : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void killAndResume();

private:
    struct RunResult
    {
        qint64 lastProcessed = -1;
        qint64 lastImported = -1;
        bool killed = false;
        int exitCode = -1;
        QByteArray output;
    };
    RunResult run(const QString &dataDir, int killAfterLines, int extraDelayMs);
    QSet<QString> dedupKeys(const QString &dataDir, qint64 *emails, qint64 *fts);

    QString m_binary;
    QStringList m_sources;
    QTemporaryDir m_dir;
};

void TestImportKill::initTestCase()
{
    m_binary = qEnvironmentVariable("EMAILRAG_BINARY");
    if (!QFile::exists(m_binary))
        QSKIP("emailrag binary not built");
    const QString sa = test::unpackCorpus(QStringLiteral("spamassassin-public-corpus.tar.zst"));
    const QString rdevel = test::unpackCorpus(QStringLiteral("r-devel-1997-2026.mbox.zst"));
    if (sa.isEmpty() || rdevel.isEmpty())
        QSKIP("corpora not available");
    // An mbox (byte-offset checkpoints) of the first 2,500 R-devel messages, and a Maildir
    // folder (file-index checkpoints).
    ingest::MboxReader r(rdevel);
    QVERIFY(r.open(0, nullptr));
    ingest::RawMessage m;
    for (int i = 0; i < 2500; ++i)
        QVERIFY(r.next(m));
    QFile in(rdevel);
    QVERIFY(in.open(QIODevice::ReadOnly));
    QFile out(m_dir.filePath(QStringLiteral("part.mbox")));
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(in.read(m.after.offset));
    out.close();
    m_sources = {out.fileName(), sa + QStringLiteral("/spamassassin-public-corpus/easy_ham")};
}

TestImportKill::RunResult TestImportKill::run(const QString &dataDir, int killAfterLines, int extraDelayMs)
{
    RunResult result;
    QProcess p;
    p.setProcessChannelMode(QProcess::SeparateChannels);
    p.start(m_binary, QStringList{QStringLiteral("import"), QStringLiteral("--data"), dataDir, QStringLiteral("--user"),
                                  QStringLiteral("kim"), QStringLiteral("--batch"), QStringLiteral("100")}
                          + m_sources);
    if (!p.waitForStarted())
        return result;
    int lines = 0;
    auto consume = [&] {
        while (p.canReadLine()) {
            const QByteArray line = p.readLine();
            result.output += line;
            if (!line.startsWith("progress "))
                continue;
            ++lines;
            for (const QByteArray &field : line.trimmed().split(' ')) {
                if (field.startsWith("processed="))
                    result.lastProcessed = field.mid(10).toLongLong();
                else if (field.startsWith("imported="))
                    result.lastImported = field.mid(9).toLongLong();
            }
        }
    };
    while (p.state() == QProcess::Running) {
        p.waitForReadyRead(50);
        consume();
        if (killAfterLines >= 0 && lines >= killAfterLines) {
            QTest::qSleep(extraDelayMs);
            consume(); // what it reported up to the instant of the kill counts
            ::kill(pid_t(p.processId()), SIGKILL);
            result.killed = true;
            break;
        }
    }
    p.waitForFinished(600000);
    consume();
    result.output += p.readAllStandardOutput();
    result.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return result;
}

QSet<QString> TestImportKill::dedupKeys(const QString &dataDir, qint64 *emails, qint64 *fts)
{
    QSet<QString> keys;
    const QString name = QStringLiteral("check-%1").arg(QRandomGenerator::global()->generate());
    {
        QSqlDatabase db = storage::Database::connection(
            storage::DatabaseConfig::sqliteFile(storage::defaultDatabasePath(dataDir)), name);
        QSqlQuery q(db);
        q.exec(QStringLiteral("SELECT dedup_key FROM emails"));
        while (q.next())
            keys.insert(q.value(0).toString());
        q.exec(QStringLiteral("SELECT count(*) FROM emails"));
        *emails = q.next() ? q.value(0).toLongLong() : -1;
        q.exec(QStringLiteral("SELECT count(*) FROM emails_fts"));
        *fts = q.next() ? q.value(0).toLongLong() : -1;
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return keys;
}

void TestImportKill::killAndResume()
{
    // Reference: one uninterrupted import.
    const QString refDir = m_dir.filePath(QStringLiteral("ref"));
    const RunResult ref = run(refDir, -1, 0);
    QVERIFY2(ref.exitCode == 0, ref.output.constData());
    qint64 refEmails = 0, refFts = 0;
    const QSet<QString> refKeys = dedupKeys(refDir, &refEmails, &refFts);
    qInfo() << "reference import:" << refEmails << "emails";
    QVERIFY(refEmails > 3000);
    QCOMPARE(refFts, refEmails);
    QCOMPARE(qint64(refKeys.size()), refEmails);

    const QString dataDir = m_dir.filePath(QStringLiteral("killed"));
    for (int round = 0; round < 4; ++round) {
        // Small steps: the import (about 13,000 already-stored emails/s when a round re-reads)
        // must still be unfinished after four rounds, or the last run has nothing to resume.
        const int lines = QRandomGenerator::global()->bounded(1, 5);
        const int delay = QRandomGenerator::global()->bounded(0, 40);
        const RunResult r = run(dataDir, lines, delay);
        QVERIFY(r.killed);
        qint64 emails = 0, fts = 0;
        const QSet<QString> keys = dedupKeys(dataDir, &emails, &fts);
        qInfo() << "round" << round << "killed after" << lines << "progress lines +" << delay << "ms; reported imported"
                << r.lastImported << "stored" << emails;
        // Nothing reported is lost (imports of earlier rounds count too, hence >=).
        QVERIFY2(emails >= r.lastImported, qPrintable(QStringLiteral("%1 < %2").arg(emails).arg(r.lastImported)));
        QCOMPARE(fts, emails);
        QCOMPARE(qint64(keys.size()), emails);
        QVERIFY(keys.isEmpty() || refKeys.contains(keys));
    }
    // A normal run resumes the interrupted uploads on its own and ends equal to the reference.
    const RunResult last = run(dataDir, -1, 0);
    QVERIFY2(last.exitCode == 0, last.output.constData());
    QVERIFY2(last.output.contains("Resuming interrupted import"), last.output.constData());
    // The paths the interrupted import was reading are finished by the resume, not read again as
    // a second upload: one summary.
    QVERIFY2(last.output.count("Upload:") == 1, last.output.constData());
    qint64 emails = 0, fts = 0;
    const QSet<QString> keys = dedupKeys(dataDir, &emails, &fts);
    QCOMPARE(emails, refEmails);
    QCOMPARE(fts, refEmails);
    QCOMPARE(keys, refKeys);
    {
        QSqlDatabase db = storage::Database::connection(
            storage::DatabaseConfig::sqliteFile(storage::defaultDatabasePath(dataDir)), QStringLiteral("final"));
        QSqlQuery q(db);
        q.exec(QStringLiteral("SELECT count(*) FROM uploads WHERE status <> 'completed'"));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toLongLong(), 0);
    }
    QSqlDatabase::removeDatabase(QStringLiteral("final"));
}

QTEST_GUILESS_MAIN(TestImportKill)
#include "tst_importkill.moc"
