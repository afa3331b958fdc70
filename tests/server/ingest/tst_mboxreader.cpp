// The mbox boundary scan: synthetic mboxo/mboxrd/Content-Length cases and the real corpora whose
// counts are in the corpus README (R-devel 77,342 with "From " lines in bodies; MimeKit 29 with
// Content-Length and envelope lines that do not follow a blank line).
#include "mboxreader.h"

#include "corpora.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace emailrag;

class TestMboxReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void synthetic_data();
    void synthetic();
    void resumeAtOffset();
    void mimekit();
    void rdevel();

private:
    QStringList readAll(const QString &path, QList<qint64> *offsets = nullptr);
    QTemporaryDir m_dir;
};

QStringList TestMboxReader::readAll(const QString &path, QList<qint64> *offsets)
{
    ingest::MboxReader r(path);
    QString err;
    if (!r.open(0, &err))
        return {QStringLiteral("OPEN FAILED ") + err};
    QStringList out;
    ingest::RawMessage m;
    while (r.next(m)) {
        out << QString::fromLatin1(m.data);
        if (offsets)
            offsets->append(m.after.offset);
    }
    return out;
}

void TestMboxReader::synthetic_data()
{
    QTest::addColumn<QByteArray>("mbox");
    QTest::addColumn<QStringList>("messages");
    QTest::newRow("two plain") << QByteArray("From a@b Mon Jan  1 00:00:00 2001\nFrom: a\n\nhi\n\nFrom c@d Tue Jan  2 00:00:00 2001\nFrom: c\n\nyo\n")
                               << QStringList{"From: a\n\nhi\n", "From: c\n\nyo\n"};
    QTest::newRow("From in body is not a boundary")
        << QByteArray("From a@b Mon Jan  1 00:00:00 2001\nSubject: x\n\nFrom the help page:\nsee\n\nFrom here on, nothing\n")
        << QStringList{"Subject: x\n\nFrom the help page:\nsee\n\nFrom here on, nothing\n"};
    QTest::newRow("mboxrd quoting kept in raw")
        << QByteArray("From a@b Mon Jan  1 00:00:00 2001\nSubject: x\n\n>From me\n>>From you\n")
        << QStringList{"Subject: x\n\n>From me\n>>From you\n"};
    QTest::newRow("envelope without blank line before (pipermail)")
        << QByteArray("From a at b  Mon Jan  1 00:00:00 2001\nFrom: a\n\nbody\nFrom c at d  Tue Jan  2 00:00:00 2001\nFrom: c\n\nyo\n")
        << QStringList{"From: a\n\nbody\n", "From: c\n\nyo\n"};
    QTest::newRow("content-length skips a From line in the body")
        << QByteArray("From - Mon Jan  1 00:00:00 2001\nContent-Length: 50\n\nFrom x@y Mon Jan  1 00:00:00 2001\nFrom: fake\n\nend\n"
                      "From - Tue Jan  2 00:00:00 2001\nFrom: c\n\nyo\n")
        << QStringList{"Content-Length: 50\n\nFrom x@y Mon Jan  1 00:00:00 2001\nFrom: fake\n\nend\n", "From: c\n\nyo\n"};
    QTest::newRow("wrong content-length is ignored")
        << QByteArray("From - Mon Jan  1 00:00:00 2001\nContent-Length: 9999\n\nbody\n\nFrom - Tue Jan  2 00:00:00 2001\nFrom: c\n\nyo\n")
        << QStringList{"Content-Length: 9999\n\nbody\n", "From: c\n\nyo\n"};
    QTest::newRow("crlf") << QByteArray("From a@b Mon Jan  1 00:00:00 2001\r\nFrom: a\r\n\r\nhi\r\n\r\nFrom c@d Tue Jan  2 00:00:00 2001\r\nFrom: c\r\n\r\nyo\r\n")
                          << QStringList{"From: a\r\n\r\nhi\r\n", "From: c\r\n\r\nyo\r\n"};
}

void TestMboxReader::synthetic()
{
    QFETCH(QByteArray, mbox);
    QFETCH(QStringList, messages);
    const QString path = m_dir.filePath(QStringLiteral("s.mbox"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(mbox);
    f.close();
    QVERIFY(ingest::MboxReader::looksLikeMbox(mbox));
    QCOMPARE(readAll(path), messages);
    QCOMPARE(ingest::MboxReader::countMessages(path), messages.size());
}

void TestMboxReader::resumeAtOffset()
{
    const QString path = m_dir.filePath(QStringLiteral("r.mbox"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    for (int i = 0; i < 5; ++i)
        f.write(QStringLiteral("From a@b Mon Jan  1 00:00:00 2001\nSubject: %1\n\nbody %1\n\n").arg(i).toLatin1());
    f.close();
    QList<qint64> offsets;
    QCOMPARE(readAll(path, &offsets).size(), 5);
    ingest::MboxReader r(path);
    QVERIFY(r.open(offsets[2], nullptr)); // after the third message
    ingest::RawMessage m;
    QVERIFY(r.next(m));
    QCOMPARE(m.data, QByteArray("Subject: 3\n\nbody 3\n"));
    QVERIFY(r.next(m));
    QVERIFY(!r.next(m));
}

void TestMboxReader::mimekit()
{
    const QString path = test::unpackCorpus(QStringLiteral("mimekit-content-length.mbox.zst"));
    if (path.isEmpty())
        QSKIP("corpus not available");
    const QStringList messages = readAll(path);
    QCOMPARE(messages.size(), 29);
    for (const QString &m : messages)
        QVERIFY2(!m.contains(QLatin1String("\nFrom - ")), qPrintable(m.left(200)));
}

void TestMboxReader::rdevel()
{
    const QString path = test::unpackCorpus(QStringLiteral("r-devel-1997-2026.mbox.zst"));
    if (path.isEmpty())
        QSKIP("corpus not available");
    QElapsedTimer t;
    t.start();
    QCOMPARE(ingest::MboxReader::countMessages(path), 77342);
    qInfo() << "counted R-devel in" << t.elapsed() << "ms";
}

QTEST_GUILESS_MAIN(TestMboxReader)
#include "tst_mboxreader.moc"
