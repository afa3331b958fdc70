// Bad input never crashes or hangs the import, ends in a clear per-message or per-upload error
// recorded in upload_errors, and every good message in the same file is still imported.
#include "importfixture.h"

#include <QFile>
#include <QRandomGenerator>

using namespace emailrag;

namespace {

QByteArray good(int i)
{
    return QStringLiteral("From sender@example.org Mon Jan  1 00:00:%1 2001\nFrom: Sender <sender@example.org>\n"
                          "Subject: good %2\nMessage-ID: <good-%2@example.org>\n\nbody of good message %2\n\n")
        .arg(i % 60, 2, 10, QLatin1Char('0'))
        .arg(i)
        .toLatin1();
}

QByteArray envelope() { return QByteArray("From bad@example.org Mon Jan  1 00:00:00 2001\n"); }

QByteArray hugeHeader()
{
    QByteArray m = envelope() + "From: bad@example.org\nSubject: huge header\nX-Big: ";
    m += QByteArray(20 * 1024 * 1024, 'a');
    return m + "\n\nbody\n\n";
}

QByteArray manyParts(int n)
{
    QByteArray m = envelope() + "From: bad@example.org\nSubject: many parts\nMessage-ID: <parts@x>\n"
                                "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n";
    for (int i = 0; i < n; ++i)
        m += "--b\nContent-Type: text/plain\n\npart " + QByteArray::number(i) + "\n";
    return m + "--b--\n\n";
}

QByteArray deepNesting(int depth)
{
    QByteArray m = envelope() + "From: bad@example.org\nSubject: deep\nMessage-ID: <deep@x>\nMIME-Version: 1.0\n"
                                "Content-Type: multipart/mixed; boundary=b0\n\n";
    for (int i = 1; i < depth; ++i)
        m += "--b" + QByteArray::number(i - 1) + "\nContent-Type: multipart/mixed; boundary=b" + QByteArray::number(i) + "\n\n";
    m += "--b" + QByteArray::number(depth - 1) + "\nContent-Type: text/plain\n\ninnermost\n";
    for (int i = depth - 1; i >= 0; --i)
        m += "--b" + QByteArray::number(i) + "--\n";
    return m + "\n";
}

QByteArray write(const QString &path, const QByteArray &data)
{
    QFile f(path);
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    f.write(data);
    return data;
}

} // namespace

class TestBadInput : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void badMessagesAmongGoodOnes();
    void truncatedMbox();
    void badFiles_data();
    void badFiles();
    void badFileNextToGoodOne();
};

void TestBadInput::badMessagesAmongGoodOnes()
{
    test::ImportFixture f;
    QByteArray mbox;
    mbox += good(1) + hugeHeader() + good(2) + manyParts(10000) + good(3) + deepNesting(200) + good(4);
    // Invalid charset label with 8-bit bytes, and a NUL byte in a header.
    mbox += envelope() + "From: bad@example.org\nSubject: charset\nMessage-ID: <cs@x>\n"
                         "Content-Type: text/plain; charset=x-no-such-charset\n\ncaf\xe9\n\n";
    mbox += good(5);
    mbox += envelope() + QByteArray("From: bad@example.org\nSubject: nul\0here\nMessage-ID: <nul@x>\n\nbody\n\n", 67);
    // Binary garbage between envelopes.
    QByteArray garbage(4096, 0);
    for (char &c : garbage)
        c = char(QRandomGenerator::global()->bounded(0, 32));
    mbox += envelope() + garbage + "\n\n" + good(6);
    const QString path = f.dir.filePath(QStringLiteral("bad.mbox"));
    write(path, mbox);

    const auto s = f.import({path});
    QCOMPARE(ingest::toString(s.status), QStringLiteral("completed"));
    QCOMPARE(s.processed, 12);
    for (int i = 1; i <= 6; ++i)
        QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM emails WHERE message_id = ?"),
                          {QStringLiteral("good-%1@example.org").arg(i)}), 1);
    QCOMPARE(s.failed, 2); // the 20 MB header and the garbage
    QCOMPARE(s.imported, 10);
    auto reasonFor = [&](const QString &like) {
        return f.scalar(QStringLiteral("SELECT count(*) FROM upload_errors WHERE upload_id = ? AND reason LIKE ?"),
                        {s.uploadId, like});
    };
    QCOMPARE(reasonFor(QStringLiteral("header block of % bytes exceeds%")), 1);
    QCOMPARE(reasonFor(QStringLiteral("not an email: binary data%")), 1);
    QCOMPARE(reasonFor(QStringLiteral("warning: more than 1000 MIME parts%")), 1);
    QCOMPARE(reasonFor(QStringLiteral("warning: MIME nesting deeper than%")), 1);
    QCOMPARE(reasonFor(QStringLiteral("warning: undecodable text in charset \"x-no-such-charset\"%")), 1);
    QCOMPARE(reasonFor(QStringLiteral("warning: NUL byte in the header block%")), 1);
    // Positions say where: message number and byte offset in the file.
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM upload_errors WHERE upload_id = ? AND position LIKE 'message 2 at byte % of bad.mbox'"),
                      {s.uploadId}), 1);
    // What could be decoded is kept.
    QCOMPARE(f.row(QStringLiteral("SELECT body_text FROM emails WHERE message_id = 'cs@x'")).value(QStringLiteral("body_text")).toString(),
             QStringLiteral("café"));
    QVERIFY(f.row(QStringLiteral("SELECT body_text FROM emails WHERE message_id = 'deep@x'")).value(QStringLiteral("body_text")).toString().isEmpty());
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM emails_fts")), 10);
}

void TestBadInput::truncatedMbox()
{
    test::ImportFixture f;
    QByteArray mbox = good(1) + good(2) + good(3);
    mbox += envelope() + "From: cut@example.org\nSubject: cut off\nMessage-ID: <cut@x>\nMIME-Version: 1.0\n"
                         "Content-Type: multipart/mixed; boundary=zz\n\n--zz\nContent-Type: text/plain\n\nthe text stops he";
    const QString path = f.dir.filePath(QStringLiteral("truncated.mbox"));
    write(path, mbox);
    const auto s = f.import({path});
    QCOMPARE(ingest::toString(s.status), QStringLiteral("completed"));
    QCOMPARE(s.processed, 4);
    QCOMPARE(s.imported, 4); // the cut message keeps what is there
    QCOMPARE(f.row(QStringLiteral("SELECT body_text FROM emails WHERE message_id = 'cut@x'")).value(QStringLiteral("body_text")).toString(),
             QStringLiteral("the text stops he"));
}

void TestBadInput::badFiles_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("reason");
    QByteArray garbage(100000, 0);
    for (char &c : garbage)
        c = char(QRandomGenerator::global()->bounded(0, 256));
    garbage[0] = 1; // make sure it does not start like text
    QTest::newRow("empty") << QByteArray() << "empty file";
    QTest::newRow("blank lines") << QByteArray("\n\n\n") << "file holds only blank lines";
    QTest::newRow("garbage") << garbage << "not a mail file: binary data%";
    QByteArray elf("\x7f" "ELF\x02\x01\x01", 7);
    elf += QByteArray(2000, '\0');
    QTest::newRow("not mail (ELF)") << elf << "not a mail file: binary data%";
}

void TestBadInput::badFiles()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, reason);
    test::ImportFixture f;
    const QString path = f.dir.filePath(QStringLiteral("input"));
    write(path, content);
    const auto s = f.import({path});
    QCOMPARE(ingest::toString(s.status), QStringLiteral("failed"));
    QVERIFY2(s.error.startsWith(QLatin1String("no email could be imported")), qPrintable(s.error));
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM upload_errors WHERE upload_id = ? AND reason LIKE ?"),
                      {s.uploadId, reason}), 1);
    QCOMPARE(f.row(QStringLiteral("SELECT status, error FROM uploads WHERE id = ?"), {s.uploadId}).value(QStringLiteral("status")).toString(),
             QStringLiteral("failed"));
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM emails")), 0);
}

void TestBadInput::badFileNextToGoodOne()
{
    test::ImportFixture f;
    QDir(f.dir.path()).mkpath(QStringLiteral("mixed"));
    write(f.dir.filePath(QStringLiteral("mixed/a.eml")), good(1).mid(good(1).indexOf('\n') + 1));
    write(f.dir.filePath(QStringLiteral("mixed/b.bin")), QByteArray(5000, '\x01'));
    write(f.dir.filePath(QStringLiteral("mixed/c.mbox")), good(2) + good(3));
    write(f.dir.filePath(QStringLiteral("mixed/d.empty")), QByteArray());
    const auto s = f.import({f.dir.filePath(QStringLiteral("mixed"))});
    QCOMPARE(ingest::toString(s.status), QStringLiteral("completed"));
    QCOMPARE(s.imported, 3);
    QCOMPARE(s.failed, 2);
    QCOMPARE(f.row(QStringLiteral("SELECT format FROM uploads WHERE id = ?"), {s.uploadId}).value(QStringLiteral("format")).toString(),
             QStringLiteral("mixed"));
}

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_badinput.moc"
