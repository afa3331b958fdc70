// Search over real mail imported by the real importer (notmuch's test corpora: RFC 2047 names,
// attachments, list threads): operators and requests find the email a person remembers.
#include "corpora.h"
#include "importer.h"
#include "searchengine.h"
#include "uploads.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace emailrag;
using namespace emailrag::search;

class TestSearchCorpus : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    storage::DatabaseConfig m_config;
    std::unique_ptr<SearchEngine> m_engine;
    qint64 m_user = 0;
    qint64 m_zenId = 0;

    SearchOutcome run(const QString &query, bool perThread = false)
    {
        SearchRequest r;
        r.query = query;
        r.oneHitPerThread = perThread;
        auto f = m_engine->searchAll(m_user, r);
        f.waitForFinished();
        return f.result();
    }
    QList<qint64> ids(const SearchOutcome &o)
    {
        QList<qint64> out;
        for (const SearchHit &h : o.hits)
            out << h.rowId;
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString corpus = test::unpackCorpus(QStringLiteral("notmuch-test-corpora.tar.zst"));
        if (corpus.isEmpty())
            QSKIP("notmuch test corpus not available");
        m_config = storage::DatabaseConfig::sqliteFile(m_dir.filePath(QStringLiteral("db.sqlite")));
        QVERIFY(!storage::Database::migrate(m_config, QStringLiteral("corpus-migrate")));
        QSqlDatabase db = storage::Database::connection(m_config, QStringLiteral("corpus-main"));
        m_user = ingest::ensureUser(db, QStringLiteral("reader")).value_or(0);
        QVERIFY(m_user > 0);
        const auto upload = ingest::createUpload(db, m_user, QStringLiteral("notmuch"), {corpus});
        QVERIFY(upload.has_value());
        ingest::Importer importer(m_config, m_user, *upload, {corpus});
        importer.start();
        QVERIFY(importer.wait(120000));
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT id FROM emails WHERE message_id = '874llc2bkp.fsf@curie.anarc.at'")));
        QVERIFY(q.next());
        m_zenId = q.value(0).toLongLong();
        m_engine = std::make_unique<SearchEngine>(m_config);
    }

    void findsTheRememberedEmail_data()
    {
        QTest::addColumn<QString>("query");
        QTest::newRow("encoded sender without accent") << "from:beaupre";
        QTest::newRow("sender first name") << "from:antoine loops";
        QTest::newRow("attachment name") << "filename:tgz";
        QTest::newRow("has attachment and word") << "has:attachment zen";
        QTest::newRow("subject phrase") << "subject:\"top level messages\"";
        QTest::newRow("keywords") << "zen email loops crash";
        QTest::newRow("request") << "what did Antoine send about the email loop crash";
    }
    void findsTheRememberedEmail()
    {
        QFETCH(QString, query);
        const SearchOutcome o = run(query);
        QVERIFY2(o.ok(), qPrintable(o.error ? o.error->message : QString()));
        QVERIFY2(!o.hits.isEmpty(), qPrintable(query));
        QCOMPARE(o.hits.first().rowId, m_zenId);
        QVERIFY(o.hits.first().score > 0 && o.hits.first().score <= 1);
    }

    void excludedAndFilteredOut()
    {
        QVERIFY(!ids(run(QStringLiteral("zen loops -from:beaupre"))).contains(m_zenId));
        QVERIFY(!ids(run(QStringLiteral("zen loops -has:attachment"))).contains(m_zenId));
        QVERIFY(!ids(run(QStringLiteral("zen loops before:2000-01-01"))).contains(m_zenId));
    }

    void listThreadsCollapse()
    {
        // Ten replies share this subject: one hit per thread keeps one of them.
        const SearchOutcome all = run(QStringLiteral("subject:\"rewrite commit subject line\""));
        const SearchOutcome perThread = run(QStringLiteral("subject:\"rewrite commit subject line\""), true);
        QVERIFY2(all.hits.size() >= 10, qPrintable(QString::number(all.hits.size())));
        QVERIFY(perThread.hits.size() < all.hits.size());
        QSet<QString> threads;
        for (const SearchHit &h : perThread.hits) {
            QVERIFY(!threads.contains(h.threadId));
            threads.insert(h.threadId);
        }
    }

    void getEmailReturnsTheWholeEmail()
    {
        auto f = m_engine->getEmail(m_user, emailIdFor(m_zenId));
        f.waitForFinished();
        const auto d = f.result();
        QVERIFY(d.has_value());
        QVERIFY(d->fromName.contains(QStringLiteral("Beaupr\u00e9")));
        QVERIFY(d->subject.contains(QStringLiteral("Zen email loops")));
        QCOMPARE(d->attachments.size(), 1);
        QCOMPARE(d->attachments.first().filename, QStringLiteral("zendesk-email-loop2.tgz"));
        QVERIFY(!d->thread.isEmpty());
    }
};

QTEST_MAIN(TestSearchCorpus)
#include "tst_searchcorpus.moc"
