// Imports the real corpora through the real Importer into a fresh SQLite store and checks counts
// against the corpus README, re-import dedup, FTS consistency, threads and hand-checked samples.
#include "importfixture.h"

#include "corpora.h"

#include <QElapsedTimer>

using namespace emailrag;

class TestImporter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void corpusCounts_data();
    void corpusCounts();
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
    QTest::newRow("spamassassin") << "spamassassin-public-corpus.tar.zst" << "" << 6047LL << 6047LL;
}

void TestImporter::corpusCounts()
{
    QFETCH(QString, archive);
    QFETCH(QString, sub);
    QFETCH(qint64, processed);
    QFETCH(qint64, imported);
    const QString path = test::unpackCorpus(archive);
    if (path.isEmpty())
        QSKIP("corpus not available");
    test::ImportFixture f;
    QElapsedTimer t;
    t.start();
    const auto s = f.import({path + sub});
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
    // Re-import: nothing new.
    const auto again = f.import({path + sub});
    QCOMPARE(again.imported, 0);
    QCOMPARE(again.duplicates, imported);
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM emails")), imported);
}

QTEST_GUILESS_MAIN(TestImporter)
#include "tst_importer.moc"
