// keepReadHeaders: which header fields GMime is spared, and that nothing else changes — folded
// lines, CRLF, a malformed block handed on untouched, the body never looked at — and that the
// parser still reads every field it stores and still tells mail from non-mail.
#include "headerfilter.h"
#include "messageparser.h"

#include <QTest>

using namespace emailrag::ingest;

class TestHeaderFilter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nothingToLeaveOutSharesTheBytes()
    {
        const QByteArray m = "From: a@example.org\nTo: b@example.org\nSubject: hi\n\nbody\n";
        const FilteredHeaders f = keepReadHeaders(m);
        QCOMPARE(f.bytes, m);
        QCOMPARE(f.bytes.constData(), m.constData()); // no copy
        QVERIFY(!f.droppedMailHeader);
    }

    void unreadFieldsAndTheirFoldedLinesGo()
    {
        const QByteArray m = "Received: from a by b;\n\tSun, 6 Dec 2026 20:00:00 +0000\n"
                             "Message-ID: <1@example.org>\n"
                             "X-Folder: \\Inbox\n"
                             "X-From: Anna Lee\n"
                             "Subject: a long\n subject\n"
                             "DKIM-Signature: v=1;\n  b=abc\n  c=def\n"
                             "Content-Transfer-Encoding: quoted-printable\n"
                             "content-TYPE: text/plain\n"
                             "\n"
                             "Received: in the body stays\nX-Folder: so does this\n";
        const FilteredHeaders f = keepReadHeaders(m);
        QCOMPARE(f.bytes, QByteArray("Message-ID: <1@example.org>\n"
                                     "X-From: Anna Lee\n"
                                     "Subject: a long\n subject\n"
                                     "Content-Transfer-Encoding: quoted-printable\n"
                                     "content-TYPE: text/plain\n"
                                     "\n"
                                     "Received: in the body stays\nX-Folder: so does this\n"));
        QVERIFY(f.droppedMailHeader); // Received marks mail for the parser's check
    }

    void crlfLinesAndAFinalDroppedField()
    {
        const QByteArray m = "From: a@example.org\r\nX-Mailer: m\r\n\r\nX-Mailer: body\r\n";
        const FilteredHeaders f = keepReadHeaders(m);
        QCOMPARE(f.bytes, QByteArray("From: a@example.org\r\n\r\nX-Mailer: body\r\n"));
        QVERIFY(f.droppedMailHeader);
    }

    // Address fields nobody reads are not handed to GMime's address parser.
    void unreadAddressFieldsGo()
    {
        const FilteredHeaders f = keepReadHeaders("To: a@example.org\nCc: b@example.org,\n c@example.org\n"
                                                  "Bcc: b@example.org,\n c@example.org\nReply-To: d@example.org\n\nx");
        QCOMPARE(f.bytes, QByteArray("To: a@example.org\nCc: b@example.org,\n c@example.org\n\nx"));
        QVERIFY(f.droppedMailHeader); // Reply-To marks mail
    }

    void onlyXFieldsDroppedIsNotAMailMark()
    {
        const FilteredHeaders f = keepReadHeaders("X-Origin: a\nX-FileName: b\nFrom: c@example.org\n\nx");
        QCOMPARE(f.bytes, QByteArray("From: c@example.org\n\nx"));
        QVERIFY(!f.droppedMailHeader);
    }

    // At the first line that is not a field ("name:" with a plain name) or a folded line, the rest
    // goes to GMime unchanged, whatever it holds.
    void aMalformedLineEndsTheFiltering_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("envelope line first") << QByteArray("From a@b Sun Dec  6 20:00:00 2026\nX-A: 1\n\nb")
                                             << QByteArray("From a@b Sun Dec  6 20:00:00 2026\nX-A: 1\n\nb");
        QTest::newRow("space before colon") << QByteArray("X-A: 1\nSubject : s\nX-B: 2\n\nb")
                                            << QByteArray("Subject : s\nX-B: 2\n\nb");
        QTest::newRow("text without colon") << QByteArray("X-A: 1\nhello there\nX-B: 2\n")
                                            << QByteArray("hello there\nX-B: 2\n");
        QTest::newRow("8-bit field name") << QByteArray("X-A: 1\nSubj\xe9t: s\nX-B: 2\n\nb")
                                          << QByteArray("Subj\xe9t: s\nX-B: 2\n\nb");
        QTest::newRow("empty name") << QByteArray(": x\nX-B: 2\n\nb") << QByteArray(": x\nX-B: 2\n\nb");
        QTest::newRow("no blank line, no newline") << QByteArray("Subject: s\nX-B: 2") << QByteArray("Subject: s\n");
        QTest::newRow("only a dropped field") << QByteArray("X-B: 2\n") << QByteArray();
        QTest::newRow("empty") << QByteArray() << QByteArray();
    }
    void aMalformedLineEndsTheFiltering()
    {
        QFETCH(QByteArray, message);
        QFETCH(QByteArray, expected);
        QCOMPARE(keepReadHeaders(message).bytes, expected);
    }

    // Long names: Content-* of any length stays, other long names go.
    void longFieldNames()
    {
        const FilteredHeaders f = keepReadHeaders("Content-Transfer-Encoding: base64\n"
                                                  "X-Very-Long-Field-Name-Indeed: 1\n"
                                                  "Content-Disposition-Extra-Long: 2\n\naGk=\n");
        QCOMPARE(f.bytes, QByteArray("Content-Transfer-Encoding: base64\nContent-Disposition-Extra-Long: 2\n\naGk=\n"));
    }

    // Through the parser: every stored field still comes out, the original is untouched, and a
    // message whose only mail-like fields were left out still counts as mail.
    void theParserStillReadsWhatItStores()
    {
        initGMime();
        RawMessage raw;
        raw.position = QStringLiteral("test");
        raw.data = "Received: from mx by host; Sun, 6 Dec 2026 20:00:00 +0000\n"
                   "X-Mailer: test\n"
                   "From: Anna Lee <anna@example.org>\n"
                   "To: Bob <bob@example.org>, carl@example.org\n"
                   "Cc: dora@example.org\n"
                   "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\n"
                   "Date: Sun, 6 Dec 2026 21:00:00 +0100\n"
                   "Message-ID: <m1@example.org>\n"
                   "In-Reply-To: <m0@example.org>\n"
                   "References: <r1@example.org> <m0@example.org>\n"
                   "DKIM-Signature: v=1; a=rsa-sha256;\n\tb=xyz\n"
                   "MIME-Version: 1.0\n"
                   "Content-Type: text/plain; charset=iso-8859-1\n"
                   "Content-Transfer-Encoding: quoted-printable\n"
                   "\n"
                   "Sch=F6n.\n";
        const ParsedEmail e = parseMessage(raw, false);
        QVERIFY2(e.error.isEmpty(), qPrintable(e.error));
        QVERIFY2(e.warnings.isEmpty(), qPrintable(e.warnings.join(QLatin1Char('|'))));
        QCOMPARE(e.fromName, QStringLiteral("Anna Lee"));
        QCOMPARE(e.fromAddr, QStringLiteral("anna@example.org"));
        QVERIFY2(e.to.contains(QLatin1String("bob@example.org")) && e.to.contains(QLatin1String("carl@example.org")),
                 qPrintable(e.to));
        QVERIFY(e.cc.contains(QLatin1String("dora@example.org")));
        QCOMPARE(e.subject, QStringLiteral("Grüße"));
        QCOMPARE(e.dateUtc.value_or(0), qint64(1796587200)); // 2026-12-06 20:00:00 UTC
        QCOMPARE(e.dateOffsetMinutes.value_or(0), 60);
        QCOMPARE(e.messageId, QStringLiteral("m1@example.org"));
        QCOMPARE(e.inReplyTo, QStringLiteral("m0@example.org"));
        QCOMPARE(e.references, (QStringList{QStringLiteral("r1@example.org"), QStringLiteral("m0@example.org")}));
        QCOMPARE(e.body.trimmed(), QStringLiteral("Schön."));
        QCOMPARE(decompressOriginal(e.rawZstd).value_or(QByteArray()), raw.data);

        RawMessage onlyTrace;
        onlyTrace.position = QStringLiteral("trace");
        onlyTrace.data = "Received: from mx by host\nX-Mailer: m\n\nmostly control bytes: ";
        onlyTrace.data.append(QByteArray(200, '\x01')); // looksBinary(): only mail headers make it mail
        const ParsedEmail t = parseMessage(onlyTrace, false);
        QVERIFY2(t.error.isEmpty(), qPrintable(t.error));
        QVERIFY(!t.warnings.contains(QStringLiteral("no mail headers; kept as a plain text message")));
    }
};

QTEST_GUILESS_MAIN(TestHeaderFilter)
#include "tst_headerfilter.moc"
