// The import writer's in-memory shortcuts (keyfilter.h, EmailWriter::useMemory): the Bloom filter
// never says "no" for a key it holds and rarely says "maybe" for others; a writer using them
// stores exactly the same emails and threads as one doing every lookup in SQL; and a second
// connection writing the same user's mail between two batches is seen (its emails count as
// duplicates, replies join its threads).
#include "importfixture.h"

#include "corpora.h"
#include "emailwriter.h"
#include "mailsources.h"
#include "messageparser.h"

#include <QTemporaryDir>

using namespace emailrag;

namespace {

QList<ingest::ParsedEmail> parseFiles(const QString &root)
{
    ingest::initGMime();
    QList<ingest::ParsedEmail> out;
    const QList<ingest::SourceItem> items = ingest::expandSources({root});
    for (const ingest::SourceItem &item : items) {
        if (item.kind != ingest::SourceItem::Kind::MaildirMessage && item.kind != ingest::SourceItem::Kind::Eml)
            continue;
        ingest::RawMessage raw;
        raw.filePath = item.path;
        raw.position = item.path;
        ingest::loadMessageFile(raw);
        ingest::ParsedEmail e = ingest::parseMessage(raw, false);
        ingest::encodeForStorage(e, true);
        out << e;
    }
    return out;
}

ingest::ParsedEmail parseText(const QByteArray &text)
{
    ingest::initGMime();
    ingest::RawMessage raw;
    raw.data = text;
    raw.position = QStringLiteral("test");
    ingest::ParsedEmail e = ingest::parseMessage(raw, false);
    ingest::encodeForStorage(e, true);
    return e;
}

// Writes `emails` in batches of `batch` with one writer; returns the counters.
ingest::ImportCounters writeAll(test::ImportFixture &f, QList<ingest::ParsedEmail> emails, bool memory, int batch,
                                const QString &connection)
{
    QSqlDatabase db = storage::Database::connection(f.config, connection);
    const QString upload = ingest::createUpload(db, f.userId, QStringLiteral("t"), {QStringLiteral("x")}).value_or(QString());
    ingest::EmailWriter w(db, f.userId, upload);
    QString error;
    if (!w.prepare(&error) || (memory && !w.useMemory(emails.size(), &error)))
        qWarning() << "writer:" << error;
    ingest::ImportCounters c;
    for (qsizetype i = 0; i < emails.size(); i += batch) {
        QList<ingest::ParsedEmail> part = emails.mid(i, batch);
        QList<qint64> ids;
        QList<ingest::ImportError> errors;
        if (!w.writeBatch(part, {0, i}, c, QStringLiteral("indexing_emails"), ids, errors, &error))
            qWarning() << "batch:" << error;
    }
    return c;
}

QStringList threadRows(test::ImportFixture &f)
{
    // Thread ids as groups: the message ids of each thread, sorted, one line per thread.
    QSqlQuery q(f.db);
    QStringList rows;
    if (!q.exec(QStringLiteral("SELECT group_concat(dedup_key, ' ') FROM (SELECT thread_id, dedup_key FROM emails"
                               " ORDER BY thread_id, dedup_key) GROUP BY thread_id")))
        return {QStringLiteral("error")};
    while (q.next())
        rows << q.value(0).toString();
    rows.sort();
    return rows;
}

} // namespace

class TestEmailWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void filterHasNoFalseNo();
    void sameResultWithAndWithoutMemory();
    void seesAnotherWriter();
    void repliesFindStoredEmails_data();
    void repliesFindStoredEmails();
};

void TestEmailWriter::filterHasNoFalseNo()
{
    ingest::KeyFilter filter;
    QVERIFY(!filter.mayContain("anything")); // empty
    filter.reset(100000);
    for (int i = 0; i < 100000; ++i)
        filter.add(QByteArray::number(i) + "@example.com");
    for (int i = 0; i < 100000; ++i)
        QVERIFY(filter.mayContain(QByteArray::number(i) + "@example.com"));
    int maybe = 0;
    for (int i = 100000; i < 200000; ++i)
        maybe += filter.mayContain(QByteArray::number(i) + "@example.com") ? 1 : 0;
    QVERIFY2(maybe < 1000, qPrintable(QString::number(maybe))); // under 1 % (about 0.1 % expected)
    // Over-full (4x the keys it was sized for): still never a false "no".
    ingest::KeyFilter small;
    small.reset(10);
    for (int i = 0; i < 40000; ++i)
        small.add(QByteArray::number(i));
    for (int i = 0; i < 40000; ++i)
        QVERIFY(small.mayContain(QByteArray::number(i)));
}

void TestEmailWriter::sameResultWithAndWithoutMemory()
{
    const QString path = test::unpackCorpus(QStringLiteral("notmuch-test-corpora.tar.zst"));
    if (path.isEmpty())
        QSKIP("corpus not available");
    const QList<ingest::ParsedEmail> emails = parseFiles(path + QStringLiteral("/notmuch-test-corpora"));
    QVERIFY(emails.size() > 250);
    test::ImportFixture withMemory;
    test::ImportFixture plain;
    const ingest::ImportCounters a = writeAll(withMemory, emails, true, 40, QStringLiteral("w-mem"));
    const ingest::ImportCounters b = writeAll(plain, emails, false, 40, QStringLiteral("w-plain"));
    QCOMPARE(a.imported, b.imported);
    QCOMPARE(a.duplicates, b.duplicates);
    QVERIFY(a.imported > 250);
    const QStringList threadsA = threadRows(withMemory);
    QCOMPARE(threadsA, threadRows(plain));
    QVERIFY(threadsA.size() < a.imported); // threads really group
    const char *threadIds = "SELECT count(*) FROM thread_ids";
    QCOMPARE(withMemory.scalar(QString::fromLatin1(threadIds)), plain.scalar(QString::fromLatin1(threadIds)));
    const char *subjects = "SELECT group_concat(subject || '=' || thread_id, ';') FROM"
                           " (SELECT subject, thread_id FROM thread_subjects ORDER BY subject)";
    QSqlQuery qa(withMemory.db);
    QSqlQuery qb(plain.db);
    QVERIFY(qa.exec(QString::fromLatin1(subjects)) && qa.next());
    QVERIFY(qb.exec(QString::fromLatin1(subjects)) && qb.next());
    QCOMPARE(qa.value(0).toString(), qb.value(0).toString());
    // Writing it all again adds nothing, with the filters loaded from the store.
    const ingest::ImportCounters again = writeAll(withMemory, emails, true, 40, QStringLiteral("w-mem2"));
    QCOMPARE(again.imported, 0);
    QCOMPARE(again.duplicates, a.imported + a.duplicates);
}

void TestEmailWriter::seesAnotherWriter()
{
    test::ImportFixture f;
    QSqlDatabase db = storage::Database::connection(f.config, QStringLiteral("mine"));
    const QString upload = ingest::createUpload(db, f.userId, QStringLiteral("t"), {QStringLiteral("x")}).value_or(QString());
    ingest::EmailWriter mine(db, f.userId, upload);
    QString error;
    QVERIFY(mine.prepare(&error));
    QVERIFY(mine.useMemory(1000, &error));
    ingest::ImportCounters c;
    QList<qint64> ids;
    QList<ingest::ImportError> errors;
    QList<ingest::ParsedEmail> first{parseText("From: a@x\nSubject: one\nMessage-ID: <one@x>\n\nfirst\n")};
    QVERIFY(mine.writeBatch(first, {0, 1}, c, QStringLiteral("indexing_emails"), ids, errors, &error));
    QCOMPARE(c.imported, 1);

    // Another connection stores <other@x> for the same user between our batches.
    const ingest::ImportCounters theirs = writeAll(
        f, {parseText("From: b@x\nSubject: Plans\nMessage-ID: <other@x>\n\nsecond\n")}, false, 10, QStringLiteral("theirs"));
    QCOMPARE(theirs.imported, 1);

    QList<ingest::ParsedEmail> next{
        parseText("From: b@x\nSubject: Plans\nMessage-ID: <other@x>\n\nsecond\n"),                         // theirs again
        parseText("From: c@x\nSubject: Re: something\nMessage-ID: <r1@x>\nIn-Reply-To: <other@x>\n\nok\n"), // a reply to it
        parseText("From: d@x\nSubject: RE: Plans\nMessage-ID: <r2@x>\n\nno references\n"),               // subject fallback
    };
    QVERIFY(mine.writeBatch(next, {0, 2}, c, QStringLiteral("indexing_emails"), ids, errors, &error));
    QCOMPARE(c.imported, 3);
    QCOMPARE(c.duplicates, 1);
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM emails WHERE message_id = 'other@x'")), 1);
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(DISTINCT thread_id) FROM emails WHERE message_id IN ('other@x', 'r1@x', 'r2@x')")),
             1);
}

void TestEmailWriter::repliesFindStoredEmails_data()
{
    QTest::addColumn<bool>("memory");
    QTest::newRow("filters") << true;
    QTest::newRow("plain SQL") << false;
}

// A message's own Message-ID is not written to thread_ids (its emails row maps it): a reply in a
// later batch or import still finds it, two threads it joins are merged, and an own-id row left
// in thread_ids by an older store is still honoured.
void TestEmailWriter::repliesFindStoredEmails()
{
    QFETCH(bool, memory);
    test::ImportFixture f;
    writeAll(f,
             {parseText("From: a@x\nSubject: Alpha\nMessage-ID: <a@x>\n\none\n"),
              parseText("From: b@x\nSubject: Beta\nMessage-ID: <b@x>\n\ntwo\n")},
             memory, 10, memory ? QStringLiteral("first-m") : QStringLiteral("first-p"));
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM thread_ids")), 0);
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(DISTINCT thread_id) FROM emails")), 2);
    // An older store's row for an own id: <old@x> belongs to thread_old.
    QSqlQuery q(f.db);
    QVERIFY(q.exec(QStringLiteral("INSERT INTO thread_ids (user_id, message_id, thread_id) VALUES (%1, 'old@x', 'thread_old')")
                       .arg(f.userId)));
    writeAll(f,
             {parseText("From: c@x\nSubject: Gamma\nMessage-ID: <c@x>\nIn-Reply-To: <a@x>\n\nthree\n"),
              parseText("From: d@x\nSubject: Delta\nMessage-ID: <d@x>\nReferences: <a@x> <b@x>\n\nfour\n"),
              parseText("From: e@x\nSubject: Epsilon\nMessage-ID: <e@x>\nIn-Reply-To: <old@x>\n\nfive\n")},
             memory, 1, memory ? QStringLiteral("second-m") : QStringLiteral("second-p"));
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(DISTINCT thread_id) FROM emails WHERE message_id IN ('a@x', 'b@x', 'c@x', 'd@x')")),
             1);
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM emails WHERE message_id = 'e@x' AND thread_id = 'thread_old'")), 1);
    // Only referenced ids are rows: a, b and old; no row for c, d or e themselves.
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(*) FROM thread_ids WHERE message_id IN ('c@x', 'd@x', 'e@x')")), 0);
    QCOMPARE(f.scalar(QStringLiteral("SELECT count(DISTINCT thread_id) FROM thread_ids WHERE message_id IN ('a@x', 'b@x')")), 1);
}

QTEST_GUILESS_MAIN(TestEmailWriter)
#include "tst_emailwriter.moc"
