// GMime parsing into stored fields, checked on real messages against hand-checked expectations
// (decoded with Python's email package and read by eye): charsets (windows-1251, GB2312, Big5,
// ISO-2022-JP), encoded subjects, HTML-only bodies, attachments, R-devel's "From " body lines,
// the Python test-suite messages, plus quote/signature splitting and HTML rendering.
#include "charset.h"
#include "htmltext.h"
#include "mboxreader.h"
#include "messageparser.h"
#include "quotesplit.h"

#include "corpora.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <zstd.h>

using namespace emailrag;

namespace {
ingest::ParsedEmail parseFile(const QString &path)
{
    QFile f(path);
    ingest::RawMessage raw;
    raw.position = path;
    if (f.open(QIODevice::ReadOnly))
        raw.data = f.readAll();
    if (raw.data.startsWith("From "))
        raw.data.remove(0, raw.data.indexOf('\n') + 1);
    return ingest::parseMessage(raw, false);
}
} // namespace

class TestMessageParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pythonTestsuite();
    void pythonSample();
    void spamAssassinCharsets_data();
    void spamAssassinCharsets();
    void htmlOnly();
    void attachments();
    void rdevelFromLineInBody();
    void rawIsKeptByteForByte();
    void xFromGivesTheMissingDisplayName();
    void quoteSplit();
    void htmlToText();
    void charsetFallback();
};

void TestMessageParser::pythonTestsuite()
{
    const QDir dir(QStringLiteral("/usr/lib/python3.11/test/test_email/data"));
    const QStringList files = dir.entryList({QStringLiteral("msg_*.txt")}, QDir::Files, QDir::Name);
    if (files.isEmpty())
        QSKIP("libpython3.11-testsuite not installed");
    QCOMPARE(files.size(), 47);
    for (const QString &name : files) {
        const auto e = parseFile(dir.filePath(name));
        QVERIFY2(e.error.isEmpty(), qPrintable(name + QStringLiteral(": ") + e.error));
        QVERIFY2(!e.rawZstd.isEmpty(), qPrintable(name));
        QCOMPARE(e.contentHash.size(), 64);
    }
}

void TestMessageParser::pythonSample()
{
    const QString path = QStringLiteral("/usr/lib/python3.11/test/test_email/data/msg_10.txt");
    if (!QFile::exists(path))
        QSKIP("libpython3.11-testsuite not installed");
    const auto e = parseFile(path);
    QCOMPARE(e.subject, QStringLiteral("Lyrics"));
    QCOMPARE(e.fromName, QStringLiteral("Barry Warsaw"));
    QCOMPARE(e.fromAddr, QStringLiteral("barry@python.org"));
    QCOMPARE(e.to, QStringLiteral("Dingus Lovers <cravindogs@cravindogs.com>"));
    QCOMPARE(e.dateUtc.value_or(0), 987809702LL); // Fri, 20 Apr 2001 19:35:02 -0400
    QCOMPARE(e.dateOffsetMinutes.value_or(0), -240);
    QVERIFY(e.messageId.isEmpty());
    QVERIFY(e.dedupKey.startsWith(QLatin1String("sha256:")));
    // 7bit, base64 (twice) and unencoded parts, in order; the HTML alternative is not duplicated.
    QCOMPARE(e.body, QStringLiteral("This is a 7bit encoded message.\n\n\nThis is a Base64 encoded message.\n\n"
                                    "This is a Base64 encoded message.\n\n\nThis has no Content-Transfer-Encoding: header."));
}

void TestMessageParser::spamAssassinCharsets_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("bodyContains");
    QTest::newRow("windows-1251") << "easy_ham/cur/00236.0d42e8e99de86aae42a4f3e3cdc2465b:2,"
                                  << "[ILUG] Hayes Accura ISDN PCI" << "these in stock for €65.";
    QTest::newRow("gb2312") << "spam_2/cur/00258.eb914ca569df16b9e969cc1ff646033f:2,"
                            << "汽车、交通行业MBA" << "工商管理硕士研究生课程研修班";
    QTest::newRow("iso-2022-jp") << "spam/cur/00325.58d1a52f435030dc38568bc12a3d76a2:2,"
                                 << "未承諾広告※灼熱！出会いの広場" << "突然のメール失礼いたします。";
}

void TestMessageParser::spamAssassinCharsets()
{
    QFETCH(QString, file);
    QFETCH(QString, subject);
    QFETCH(QString, bodyContains);
    const QString root = test::unpackCorpus(QStringLiteral("spamassassin-public-corpus.tar.zst"));
    if (root.isEmpty())
        QSKIP("corpus not available");
    const auto e = parseFile(root + QStringLiteral("/spamassassin-public-corpus/") + file);
    QVERIFY2(e.error.isEmpty(), qPrintable(e.error));
    QCOMPARE(e.subject, subject);
    QVERIFY2(e.body.contains(bodyContains), qPrintable(e.body.left(300)));
    QVERIFY(!e.body.contains(QChar(0xFFFD)));
}

void TestMessageParser::htmlOnly()
{
    const QString root = test::unpackCorpus(QStringLiteral("spamassassin-public-corpus.tar.zst"));
    if (root.isEmpty())
        QSKIP("corpus not available");
    const QString dir = root + QStringLiteral("/spamassassin-public-corpus/");
    // ISO-8859-1 HTML newsletter without a text/plain part.
    const auto e = parseFile(dir + QStringLiteral("hard_ham/cur/00007.d24e99a602ee7fb442714c0d448cd08e:2,"));
    QCOMPARE(e.subject, QStringLiteral("F2M - Ihre kostenlose Faxnummer - Newsletter"));
    QVERIFY(e.bodyFromHtml);
    QVERIFY2(e.body.startsWith(QStringLiteral("Bitte beachten Sie die Angebote unserer Werbepartner.\nDiese ermöglichen den "
                                              "kostenfreien Betrieb des Fax2Mail-Service.\nVielen Dank.\n"
                                              "Der neue Cyberport-Katalog ist da!\n\nReinschauen ist jetzt auch offline möglich")),
             qPrintable(e.body.left(300)));
    QVERIFY(!e.body.contains(QLatin1Char('<')));
    // Big5 subject; the HTML body holds only an image, so there is no text, and the images are
    // listed as attachments.
    const auto big5 = parseFile(dir + QStringLiteral("spam/cur/00307.7ed50c6d80c6e37c8cc1b132f4a19e4d:2,"));
    QCOMPARE(big5.subject, QStringLiteral("免費無限次任打中港長途電話"));
    QVERIFY(big5.bodyFromHtml);
    QCOMPARE(big5.body, QString());
    QCOMPARE(big5.attachments.size(), 2);
    QCOMPARE(big5.attachments[0].filename, QStringLiteral("image001.png"));
}

void TestMessageParser::attachments()
{
    const QString root = test::unpackCorpus(QStringLiteral("notmuch-test-corpora.tar.zst"));
    if (root.isEmpty())
        QSKIP("corpus not available");
    const auto e = parseFile(root + QStringLiteral("/notmuch-test-corpora/attachment/cur/x-gtar-compressed.eml"));
    QCOMPARE(e.messageId, QStringLiteral("874llc2bkp.fsf@curie.anarc.at"));
    QCOMPARE(e.subject, QStringLiteral("Re: bug: \"no top level messages\" crash on Zen email loops"));
    QVERIFY(e.isReply);
    QCOMPARE(e.subjectKey, QStringLiteral("bug: \"no top level messages\" crash on zen email loops"));
    QCOMPARE(e.attachments.size(), 1);
    QCOMPARE(e.attachments[0].filename, QStringLiteral("zendesk-email-loop2.tgz"));
    QCOMPARE(e.attachments[0].mimeType, QStringLiteral("application/x-gtar-compressed"));
    QCOMPARE(e.attachments[0].size, 5368);
    QVERIFY(e.attachments[0].text.isNull());

    const auto cal = parseFile(root + QStringLiteral("/notmuch-test-corpora/attachment/cur/text-calendar.eml"));
    QCOMPARE(cal.attachments.size(), 0); // text/plain chosen from the alternative; calendar is the other alternative
    QVERIFY(!cal.body.isEmpty());
}

void TestMessageParser::rdevelFromLineInBody()
{
    const QString path = test::unpackCorpus(QStringLiteral("r-devel-1997-2026.mbox.zst"));
    if (path.isEmpty())
        QSKIP("corpus not available");
    ingest::MboxReader r(path);
    QVERIFY(r.open(0, nullptr));
    ingest::RawMessage raw;
    bool found = false;
    while (r.next(raw)) {
        if (raw.data.contains("\nFrom the Unix command line:")) {
            found = true;
            break;
        }
    }
    QVERIFY(found);
    const auto e = ingest::parseMessage(raw, true);
    QCOMPARE(e.messageId, QStringLiteral("99653988-422A-48FA-BC50-DDEB12C90F32@anu.edu.au"));
    QCOMPARE(e.subject, QStringLiteral("[Rd] Failure to get compactPDF to compact a pdf file"));
    QCOMPARE(e.dateOffsetMinutes.value_or(0), 660);
    QVERIFY((e.body + e.quoted).contains(QStringLiteral("From the Unix command line:")));
    QCOMPARE(raw.data.count("\nMessage-ID:"), 1); // the next message was not glued on
}

void TestMessageParser::rawIsKeptByteForByte()
{
    ingest::RawMessage raw;
    raw.data = QByteArray("Subject: =?ISO-8859-1?Q?Caf=E9?=\nFrom: =?utf-8?B?SsO8cmdlbg==?= <j@example.org>\n"
                          "Message-ID: <a@b>\nContent-Type: text/plain; charset=koi8-r\n\n\xf0\xd2\xc9\xd7\xc5\xd4\n");
    const auto e = ingest::parseMessage(raw, false);
    QCOMPARE(e.subject, QStringLiteral("Café"));
    QCOMPARE(e.fromName, QStringLiteral("Jürgen"));
    QCOMPARE(e.body, QStringLiteral("Привет"));
    const auto back = ingest::decompressOriginal(e.rawZstd);
    QVERIFY(back.has_value());
    QCOMPARE(*back, raw.data);
    // Stores written before session 4 hold zstd frames: still read; garbage is refused.
    QByteArray zstd(qsizetype(ZSTD_compressBound(raw.data.size())), 0);
    zstd.resize(qsizetype(ZSTD_compress(zstd.data(), zstd.size(), raw.data.constData(), raw.data.size(), 1)));
    QCOMPARE(ingest::decompressOriginal(zstd).value_or(QByteArray()), raw.data);
    QVERIFY(!ingest::decompressOriginal(QByteArray("not compressed at all")).has_value());
    QVERIFY(!ingest::decompressOriginal(e.rawZstd.left(e.rawZstd.size() - 3)).has_value());
    // A large original (several LZ4 blocks' worth of input) comes back whole.
    ingest::RawMessage big;
    big.data = "Subject: big\nMessage-ID: <big@x>\n\n";
    for (int i = 0; big.data.size() < 9 * 1024 * 1024; ++i)
        big.data += "line " + QByteArray::number(i * 7919 % 100003) + " of a long message\n";
    const auto bigEmail = ingest::parseMessage(big, false);
    QCOMPARE(ingest::decompressOriginal(bigEmail.rawZstd).value_or(QByteArray()), big.data);
}

void TestMessageParser::xFromGivesTheMissingDisplayName()
{
    ingest::RawMessage raw;
    raw.data = QByteArray("From: scott.neal@enron.com\nX-From: Scott Neal <Scott Neal/HOU/ECT@ECT>\n"
                          "Subject: gas\nMessage-ID: <x1@enron>\n\nhello\n");
    auto e = ingest::parseMessage(raw, false);
    QCOMPARE(e.fromAddr, QStringLiteral("scott.neal@enron.com"));
    QCOMPARE(e.fromName, QStringLiteral("Scott Neal"));
    // A real display name wins; an address-only X-From is not taken for a name.
    raw.data = QByteArray("From: Anna B <a@x.org>\nX-From: Someone Else\n\nhi\n");
    QCOMPARE(ingest::parseMessage(raw, false).fromName, QStringLiteral("Anna B"));
    raw.data = QByteArray("From: a@x.org\nX-From: a@x.org\n\nhi\n");
    QCOMPARE(ingest::parseMessage(raw, false).fromName, QString());
}

void TestMessageParser::quoteSplit()
{
    const auto s = ingest::splitQuoted(QStringLiteral(
        "Sounds good.\n\nOn Tue, 1 Apr 1997, Kurt wrote:\n> the old text\n> more\n\nThanks\n-- \nMartin\nETH Zurich"));
    QCOMPARE(s.body, QStringLiteral("Sounds good.\n\n\nThanks"));
    QCOMPARE(s.quoted, QStringLiteral("On Tue, 1 Apr 1997, Kurt wrote:\n> the old text\n> more\n-- \nMartin\nETH Zurich"));
    const auto o = ingest::splitQuoted(QStringLiteral("Please see below.\n\n -----Original Message-----\nFrom: Phillip\nSent: Monday\n\nold"));
    QCOMPARE(o.body, QStringLiteral("Please see below."));
    QVERIFY(o.quoted.startsWith(QLatin1String("-----Original Message-----")));
    QVERIFY(o.quoted.endsWith(QLatin1String("old")));
}

void TestMessageParser::htmlToText()
{
    QCOMPARE(ingest::htmlToText(QStringLiteral(
                 "<html><head><style>p{}</style><title>t</title></head><body><p>Hello&nbsp;<b>world</b> &amp; co</p>"
                 "<ul><li>one<li>two</ul><script>x()</script><img alt=\"logo\"><br>end")),
             QStringLiteral("Hello world & co\n\n- one\n- two\nlogo\nend"));
}

void TestMessageParser::charsetFallback()
{
    auto r = ingest::decodeToUnicode(QByteArray("caf\xe9 \x93quoted\x94"), "x-bogus-charset");
    QVERIFY(r.fellBack);
    QCOMPARE(r.text, QStringLiteral("café “quoted”"));
    r = ingest::decodeToUnicode(QByteArray("caf\xc3\xa9"), "default");
    QCOMPARE(r.text, QStringLiteral("café"));
    r = ingest::decodeToUnicode(QByteArray("\xa4\xa4\xa4\xe5"), "big5");
    QCOMPARE(r.text, QStringLiteral("中文"));
    r = ingest::decodeToUnicode(QByteArray("\x82\xa0"), "shift_jis");
    QCOMPARE(r.text, QStringLiteral("あ"));
}

QTEST_GUILESS_MAIN(TestMessageParser)
#include "tst_messageparser.moc"
