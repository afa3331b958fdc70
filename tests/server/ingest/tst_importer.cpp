// Imports the real corpora through the real Importer into a fresh SQLite store and checks counts
// against the corpus README, re-import dedup, FTS consistency, threads and hand-checked samples.
#include "importfixture.h"

#include "corpora.h"
#include "ftstext.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTimer>

using namespace emailrag;

class TestImporter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void corpusCounts_data();
    void corpusCounts();
    void progressSignals();
    void threads();
    void cancelAndResume();
    void usersAreSeparate();
    void cjkIsSearchable();
    void waitsForAnotherWriter();
};

void TestImporter::corpusCounts_data()
{
    QTest::addColumn<QString>("archive");
    QTest::addColumn<QString>("sub");
    QTest::addColumn<qint64>("processed");
    QTest::addColumn<qint64>("imported");
    // mu and notmuch repeat Message-IDs across folders on purpose; the distinct counts (39, 277)
    // were checked independently with Python's email package (Message-ID, else a raw-bytes hash).
    QTest::newRow("mu") << "mu-testdata.tar.zst" << "" << 51LL << 39LL;
    QTest::newRow("notmuch") << "notmuch-test-corpora.tar.zst" << "" << 320LL << 277LL;
    QTest::newRow("mimekit") << "mimekit-content-length.mbox.zst" << "" << 29LL << 29LL;
    // Python's email test messages (47 files, five share a Message-ID with another; counted
    // with Python's email package).
    QTest::newRow("python-testsuite") << "python:/usr/lib/python3.11/test/test_email/data" << "" << 47LL << 42LL;
    QTest::newRow("spamassassin") << "spamassassin-public-corpus.tar.zst" << "" << 6047LL << 6047LL;
}

void TestImporter::corpusCounts()
{
    QFETCH(QString, archive);
    QFETCH(QString, sub);
    QFETCH(qint64, processed);
    QFETCH(qint64, imported);
    QString path;
    QStringList sources;
    if (archive.startsWith(QLatin1String("python:"))) {
        const QDir dir(archive.mid(7));
        for (const QString &name : dir.entryList({QStringLiteral("msg_*.txt")}, QDir::Files, QDir::Name))
            sources << dir.filePath(name);
        if (sources.isEmpty())
            QSKIP("libpython3.11-testsuite not installed");
    } else {
        path = test::unpackCorpus(archive);
        if (path.isEmpty())
            QSKIP("corpus not available");
        sources = {path + sub};
    }
    test::ImportFixture f;
    // Maildir and .eml files are opened ahead by the reader and read by the parse threads
    // (prefetch.h): none of those descriptors may outlive the import.
    const auto openFiles = [] { return QDir(QStringLiteral("/proc/self/fd")).count(); };
    const qsizetype filesBefore = openFiles();
    QElapsedTimer t;
    t.start();
    const auto s = f.import(sources);
    QVERIFY2(openFiles() <= filesBefore + 8, qPrintable(QStringLiteral("%1 open files, %2 before").arg(openFiles()).arg(filesBefore)));
    qInfo() << archive << "processed" << s.processed << "imported" << s.imported << "dup" << s.duplicates << "failed"
            << s.failed << "warnings" << s.warnings << t.elapsed() << "ms";
    for (const auto &e : s.errors)
        qInfo() << "  " << e.position << e.reason;
    QCOMPARE(ingest::toString(s.status), QStringLiteral("completed"));
    QCOMPARE(s.processed, processed);
    QCOMPARE(s.imported + s.duplicates, processed);
    QCOMPARE(s.imported, imported);
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM emails")), imported);
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM emails_fts")), imported);
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM emails_fts_docsize")), imported);
    QCOMPARE(f.ftsMismatches(), 0);
    // Re-import: nothing new.
    const auto again = f.import(sources);
    QCOMPARE(again.imported, 0);
    QCOMPARE(again.duplicates, processed);
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM emails")), imported);
}

void TestImporter::progressSignals()
{
    const QString path = test::unpackCorpus(QStringLiteral("mimekit-content-length.mbox.zst"));
    if (path.isEmpty())
        QSKIP("corpus not available");
    test::ImportFixture f;
    QList<ingest::ImportProgress> progress;
    const auto upload = ingest::createUpload(f.db, f.userId, QStringLiteral("m"), {path});
    ingest::Importer importer(f.config, f.userId, *upload, {path});
    importer.setBatchSize(5);
    QSignalSpy progressSpy(&importer, &ingest::Importer::progressChanged);
    QSignalSpy idsSpy(&importer, &ingest::Importer::emailsImported);
    QSignalSpy finishedSpy(&importer, &ingest::Importer::finished);
    importer.start();
    QTRY_COMPARE_WITH_TIMEOUT(finishedSpy.size(), 1, 60000);
    for (const auto &args : std::as_const(progressSpy))
        progress << args.at(0).value<ingest::ImportProgress>();
    QVERIFY(progress.size() >= 6 + 2); // parsing, indexing, 6 batches of 5, finalizing
    QCOMPARE(ingest::toString(progress.first().operation), QStringLiteral("parsing"));
    QCOMPARE(ingest::toString(progress.first().status), QStringLiteral("processing"));
    qint64 last = -1;
    for (const auto &p : std::as_const(progress)) {
        QVERIFY(p.emailsProcessed >= last); // monotonic
        last = p.emailsProcessed;
        if (ingest::toString(p.operation) == QLatin1String("indexing_emails"))
            QCOMPARE(p.totalEmails, 29); // known from the pre-scan before the first batch
    }
    QCOMPARE(ingest::toString(progress.last().operation), QStringLiteral("finalizing"));
    QCOMPARE(ingest::toString(progress.last().status), QStringLiteral("completed"));
    QCOMPARE(progress.last().percent(), 100);
    qint64 ids = 0;
    for (const auto &args : std::as_const(idsSpy))
        ids += args.at(1).value<QList<qint64>>().size();
    QCOMPARE(ids, 29);
    const auto row = f.row(QStringLiteral("SELECT status, current_operation, total_emails, emails_processed, emails_imported,"
                                          " format FROM uploads WHERE id = ?"), {*upload});
    QCOMPARE(row.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
    QCOMPARE(row.value(QStringLiteral("total_emails")).toLongLong(), 29);
    QCOMPARE(row.value(QStringLiteral("emails_imported")).toLongLong(), 29);
    QCOMPARE(row.value(QStringLiteral("format")).toString(), QStringLiteral("mbox"));
}

void TestImporter::threads()
{
    const QString path = test::unpackCorpus(QStringLiteral("notmuch-test-corpora.tar.zst"));
    if (path.isEmpty())
        QSKIP("corpus not available");
    test::ImportFixture f;
    f.import({path + QStringLiteral("/notmuch-test-corpora")});
    // notmuch's threading fixtures: a reply whose parent arrives later, and References chains.
    // Every email with In-Reply-To pointing at a stored message shares that message's thread.
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM emails c JOIN emails p ON p.message_id = c.in_reply_to"
                                     " AND p.user_id = c.user_id WHERE c.thread_id <> p.thread_id")), 0);
    QVERIFY(f.scalar(QStringLiteral("SELECT count(*) FROM emails c JOIN emails p ON p.message_id = c.in_reply_to")) > 50);
    // Threads really group: fewer threads than emails, and the largest holds several messages.
    const qint64 threads = f.scalar(QStringLiteral("SELECT count(DISTINCT thread_id) FROM emails"));
    QVERIFY(threads < 277 && threads > 20);
    QVERIFY(f.scalar(QStringLiteral("SELECT max(n) FROM (SELECT count(*) n FROM emails GROUP BY thread_id)")) >= 5);
    // Subject fallback: a reply without references joins its original.
    QTemporaryDir d;
    QFile a(d.filePath(QStringLiteral("a.eml")));
    a.open(QIODevice::WriteOnly);
    a.write("From: x@y\nSubject: Budget 2001\nMessage-ID: <orig@x>\n\nnumbers\n");
    a.close();
    QFile b(d.filePath(QStringLiteral("b.eml")));
    b.open(QIODevice::WriteOnly);
    b.write("From: z@y\nSubject: RE: [list] Budget  2001\nMessage-ID: <reply@x>\n\nthanks\n");
    b.close();
    f.import({d.path()});
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(DISTINCT thread_id) FROM emails WHERE message_id IN ('orig@x', 'reply@x')")), 1);
}

void TestImporter::cancelAndResume()
{
    const QString path = test::unpackCorpus(QStringLiteral("spamassassin-public-corpus.tar.zst"));
    if (path.isEmpty())
        QSKIP("corpus not available");
    const QString source = path + QStringLiteral("/spamassassin-public-corpus/easy_ham");
    test::ImportFixture f;
    const auto upload = ingest::createUpload(f.db, f.userId, QStringLiteral("easy_ham"), {source});
    {
        ingest::Importer importer(f.config, f.userId, *upload, {source});
        importer.setBatchSize(100);
        QSignalSpy finished(&importer, &ingest::Importer::finished);
        QObject ctx;
        QObject::connect(&importer, &ingest::Importer::progressChanged, &ctx, [&](const ingest::ImportProgress &p) {
            if (p.emailsProcessed >= 300)
                importer.cancel();
        });
        importer.start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
        const auto s = finished.at(0).at(0).value<ingest::ImportSummary>();
        QCOMPARE(ingest::toString(s.status), QStringLiteral("cancelled"));
        QVERIFY(s.processed >= 300 && s.processed < 2500);
        QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM emails")), s.imported);
    }
    QCOMPARE(f.row(QStringLiteral("SELECT status FROM uploads WHERE id = ?"), {*upload}).value(QStringLiteral("status")).toString(),
             QStringLiteral("cancelled"));
    // Resume from the checkpoint with no sources given: they come from the upload.
    f.db.exec(QStringLiteral("UPDATE uploads SET status = 'processing'")); // as a crash would leave it
    const auto pending = ingest::interruptedUploads(f.db, f.userId);
    QCOMPARE(pending.size(), 1);
    QCOMPARE(pending[0].uploadId, *upload);
    QCOMPARE(pending[0].sources, QStringList{source});
    ingest::Importer resumed(f.config, f.userId, *upload);
    QSignalSpy finished(&resumed, &ingest::Importer::finished);
    resumed.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
    const auto s = finished.at(0).at(0).value<ingest::ImportSummary>();
    QCOMPARE(ingest::toString(s.status), QStringLiteral("completed"));
    QCOMPARE(s.processed, 2500);
    QCOMPARE(s.imported + s.duplicates, 2500);
    QCOMPARE(s.duplicates, 0); // resumed exactly after the last committed message
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM emails")), 2500);
}

void TestImporter::usersAreSeparate()
{
    const QString path = test::unpackCorpus(QStringLiteral("mu-testdata.tar.zst"));
    if (path.isEmpty())
        QSKIP("corpus not available");
    test::ImportFixture f;
    const qint64 bob = ingest::ensureUser(f.db, QStringLiteral("bob")).value_or(-1);
    QVERIFY(bob > 0 && bob != f.userId);
    QCOMPARE(ingest::ensureUser(f.db, QStringLiteral("bob")).value_or(-1), bob);
    QCOMPARE(f.import({path}).imported, 39);
    const auto s = f.import({path}, bob);
    QCOMPARE(s.imported, 39); // dedup is per user: bob gets his own copies
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM emails WHERE user_id = ?"), {bob}), 39);
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM users WHERE name = 'bob' AND password_hash = '!'")), 1);
    // Removing a user takes their emails out of the full-text index too (migration 011's trigger).
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM emails_fts_docsize")), 78);
    QSqlQuery del(f.db);
    QVERIFY(storage::Database::exec(del, QStringLiteral("DELETE FROM users WHERE id = ?"), {bob}));
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM emails_fts_docsize")), 39);
    QCOMPARE(f.ftsMismatches(), 0);
}

void TestImporter::cjkIsSearchable()
{
    QCOMPARE(ingest::cjkSpaced(QStringLiteral("サーバがダウンしました (server) 東京abc")),
             QStringLiteral("サ ー バ が ダ ウ ン し ま し た (server) 東 京 abc"));
    QCOMPARE(ingest::cjkSpaced(QStringLiteral("plain ascii")), QStringLiteral("plain ascii"));
    const QString path = test::unpackCorpus(QStringLiteral("mu-testdata.tar.zst"));
    if (path.isEmpty())
        QSKIP("corpus not available");
    test::ImportFixture f;
    f.import({path});
    // mu's cjk/ folder: raw UTF-8 Japanese bodies. A word inside an unspaced sentence is found as
    // a phrase of its characters; the stored body keeps the original text.
    const QString phrase = QLatin1Char('"') + ingest::cjkSpaced(QStringLiteral("ダウン")) + QLatin1Char('"');
    QVERIFY(f.scalar(QStringLiteral("SELECT count(*) FROM emails_fts WHERE emails_fts MATCH ?"), {phrase}) >= 1);
    QVERIFY(f.scalar(QStringLiteral("SELECT count(*) FROM emails WHERE body_text LIKE '%サーバがダウンしました%'")) >= 1);
    // The spaced form the index holds is kept next to the stored text (emails_fts_cjk), so the
    // snippet marks the matched characters and the index is exactly what its content view gives.
    QVERIFY(f.scalar(QStringLiteral("SELECT count(*) FROM emails_fts_cjk")) >= 1);
    QSqlQuery q(f.db);
    QVERIFY(storage::Database::exec(q, QStringLiteral("SELECT snippet(emails_fts, 3, '[', ']', '', 64) FROM emails_fts"
                                                      " WHERE emails_fts MATCH ?"), {phrase}));
    QVERIFY(q.next());
    QVERIFY2(q.value(0).toString().contains(QStringLiteral("[ダ ウ ン]")), qPrintable(q.value(0).toString()));
    q.finish();
    QCOMPARE(f.ftsMismatches(), 0);
    // ... and the check sees a difference when there is one.
    QVERIFY(storage::Database::exec(q, QStringLiteral("UPDATE emails_fts_cjk SET body = 'other words'"
                                                      " WHERE email_id = (SELECT min(email_id) FROM emails_fts_cjk)")));
    QVERIFY(f.ftsMismatches() > 0);
}

// Another connection takes the write lock between two batches and holds it for longer than
// busy_timeout (10 s): the import waits for it instead of failing with "database is locked" (as
// a 1M-message import once did).
void TestImporter::waitsForAnotherWriter()
{
    const QString path = test::unpackCorpus(QStringLiteral("spamassassin-public-corpus.tar.zst"));
    if (path.isEmpty())
        QSKIP("corpus not available");
    test::ImportFixture f;
    QSqlDatabase blocker = storage::Database::connection(f.config, QStringLiteral("blocker"));
    const auto upload = ingest::createUpload(f.db, f.userId, QStringLiteral("test"), {path});
    ingest::Importer importer(f.config, f.userId, upload.value_or(QString()), {path});
    importer.setBatchSize(500);
    bool blocked = false;
    bool done = false;
    QElapsedTimer heldFor;
    ingest::ImportSummary result;
    QObject::connect(&importer, &ingest::Importer::progressChanged, &f.ctx, [&](const ingest::ImportProgress &p) {
        if (blocked || p.emailsProcessed == 0)
            return; // after the first committed batch
        blocked = true;
        QSqlQuery q(blocker);
        QVERIFY(storage::Database::exec(q, QStringLiteral("BEGIN IMMEDIATE")));
        QVERIFY(storage::Database::exec(q, QStringLiteral("UPDATE users SET is_admin = 0")));
        heldFor.start();
        QTimer::singleShot(11500, &f.ctx, [&] {
            QSqlQuery c(blocker);
            QVERIFY(c.exec(QStringLiteral("COMMIT")));
        });
    });
    QObject::connect(&importer, &ingest::Importer::finished, &f.ctx, [&](const ingest::ImportSummary &s) {
        result = s;
        done = true;
    });
    importer.start();
    QVERIFY(QTest::qWaitFor([&] { return done; }, 120000));
    importer.wait();
    QVERIFY(blocked);
    QVERIFY(heldFor.elapsed() >= 11000);
    QCOMPARE(ingest::toString(result.status), QStringLiteral("completed"));
    QCOMPARE(result.imported, 6047);
    blocker.close();
    blocker = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("blocker"));
}

QTEST_GUILESS_MAIN(TestImporter)
#include "tst_importer.moc"
