// CJK queries over mail imported by the real importer (issue #3, #5): the index holds Han, kana
// and Hangul one character a token (ingest/ftstext.h), so a query word typed without spaces must
// be matched as the phrase of its characters, in every kind of text atom, and the snippet must
// mark it. Mail: mu's cjk/ folder (unspaced Japanese sentences) and a few emails written here.
#include "corpora.h"
#include "importer.h"
#include "searchengine.h"
#include "uploads.h"

#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace emailrag;
using namespace emailrag::search;

namespace {

// An RFC 2047 encoded header value, as a mail client writes non-ASCII headers.
QByteArray encoded(const QString &text)
{
    return "=?UTF-8?B?" + text.toUtf8().toBase64() + "?=";
}

} // namespace

class TestSearchCjk : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    storage::DatabaseConfig m_config;
    std::unique_ptr<SearchEngine> m_engine;
    qint64 m_user = 0;
    QHash<QString, qint64> m_ids; // message-id -> emails.id

    void writeMail(const QString &folder, const QByteArray &messageId, const QString &fromName,
                   const QString &subject, const QString &body)
    {
        QFile f(folder + QLatin1Char('/') + QString::fromLatin1(messageId) + QStringLiteral(".eml"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("From: " + encoded(fromName) + " <" + messageId + "@example.cn>\n"
                "To: reader@example.org\n"
                "Subject: " + encoded(subject) + "\n"
                "Date: Mon, 6 Jun 2022 10:00:00 +0800\n"
                "Message-ID: <" + messageId + "@example.cn>\n"
                "MIME-Version: 1.0\n"
                "Content-Type: text/plain; charset=UTF-8\n"
                "Content-Transfer-Encoding: 8bit\n\n" + body.toUtf8() + "\n");
    }
    SearchOutcome run(const QString &query)
    {
        SearchRequest r;
        r.query = query;
        auto f = m_engine->searchAll(m_user, r);
        f.waitForFinished();
        return f.result();
    }
    // The message-ids (without the domain) of the hits, sorted.
    QStringList found(const QString &query)
    {
        const SearchOutcome o = run(query);
        if (!o.ok())
            return {QStringLiteral("error: ") + o.error->message};
        QStringList out;
        for (const SearchHit &h : o.hits)
            out << m_ids.key(h.rowId, QStringLiteral("?"));
        out.sort();
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString corpus = test::unpackCorpus(QStringLiteral("mu-testdata.tar.zst"));
        if (corpus.isEmpty())
            QSKIP("mu test corpus not available");
        const QString mail = m_dir.filePath(QStringLiteral("mail"));
        QVERIFY(QDir().mkpath(mail));
        // Chinese: a two-character word (北京) inside an unspaced sentence, and a mixed run (東京abc).
        writeMail(mail, "zh-beijing", QStringLiteral("张伟"), QStringLiteral("会议通知"),
                  QStringLiteral("各位同事：明天下午三点在北京开会，请准时参加。\nOffice: 東京abc team."));
        writeMail(mail, "zh-shanghai", QStringLiteral("李娜"), QStringLiteral("会议纪要"),
                  QStringLiteral("上周在上海开会的记录，请查收。"));
        writeMail(mail, "ko-seoul", QStringLiteral("김민수"), QStringLiteral("서울 출장"),
                  QStringLiteral("다음 주에 서울에서 만나요. Meeting notes attached."));
        m_config = storage::DatabaseConfig::sqliteFile(m_dir.filePath(QStringLiteral("db.sqlite")));
        QVERIFY(!storage::Database::migrate(m_config, QStringLiteral("cjk-migrate")));
        QSqlDatabase db = storage::Database::connection(m_config, QStringLiteral("cjk-main"));
        m_user = ingest::ensureUser(db, QStringLiteral("reader")).value_or(0);
        QVERIFY(m_user > 0);
        const QStringList sources = {corpus + QStringLiteral("/mu-testdata/cjk"), mail};
        const auto upload = ingest::createUpload(db, m_user, QStringLiteral("cjk"), sources);
        QVERIFY(upload.has_value());
        ingest::Importer importer(m_config, m_user, *upload, sources);
        importer.start();
        QVERIFY(importer.wait(120000));
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT id, message_id FROM emails")));
        while (q.next())
            m_ids.insert(q.value(1).toString().section(QLatin1Char('@'), 0, 0), q.value(0).toLongLong());
        QCOMPARE(m_ids.size(), 7);
        m_engine = std::make_unique<SearchEngine>(m_config);
    }

    void wordsInsideUnspacedText_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QStringList>("expected");
        const QString mu1 = QStringLiteral("112342343e9dfo.fsf");
        const QString mu3 = QStringLiteral("3871r2342343e9dfo.fsf");
        QTest::newRow("japanese word") << "ダウン" << QStringList{mu1};
        QTest::newRow("japanese whole sentence") << "サーバがダウンしました" << QStringList{mu1};
        QTest::newRow("kanji word") << "開始" << QStringList{mu3};
        QTest::newRow("katakana shared by three") << "サー" << QStringList{mu1, QStringLiteral("271r2342343e9dfo.fsf"), mu3};
        QTest::newRow("chinese word") << "北京" << QStringList{"zh-beijing"};
        QTest::newRow("hangul word") << "서울" << QStringList{"ko-seoul"};
        QTest::newRow("characters out of order") << "京北" << QStringList{};
        QTest::newRow("phrase") << "\"在北京开会\"" << QStringList{"zh-beijing"};
        QTest::newRow("phrase, not adjacent") << "\"北京参加\"" << QStringList{};
        QTest::newRow("mixed run as indexed") << "東京abc" << QStringList{"zh-beijing"};
        QTest::newRow("prefix: the phrase") << "北京*" << QStringList{"zh-beijing"};
        QTest::newRow("prefix after a CJK run") << "東京ab*" << QStringList{"zh-beijing"};
        QTest::newRow("subject") << "subject:会议" << QStringList{"zh-beijing", "zh-shanghai"};
        QTest::newRow("subject word") << "subject:通知" << QStringList{"zh-beijing"};
        QTest::newRow("subject phrase") << "subject:\"会议纪要\"" << QStringList{"zh-shanghai"};
        QTest::newRow("from name") << "from:张伟" << QStringList{"zh-beijing"};
        QTest::newRow("from name, hangul") << "from:김민수" << QStringList{"ko-seoul"};
        QTest::newRow("exclusion") << "开会 -北京" << QStringList{"zh-shanghai"};
        QTest::newRow("subject exclusion") << "开会 -subject:纪要" << QStringList{"zh-beijing"};
        QTest::newRow("exclusion alone") << "subject:会议 -from:李娜" << QStringList{"zh-beijing"};
        QTest::newRow("or") << "北京 OR 上海" << QStringList{"zh-beijing", "zh-shanghai"};
        QTest::newRow("latin unchanged") << "meeting notes" << QStringList{"ko-seoul"};
    }
    void wordsInsideUnspacedText()
    {
        QFETCH(QString, query);
        QFETCH(QStringList, expected);
        QCOMPARE(found(query), expected);
    }

    void everyWordRanksFirst()
    {
        // Both hold 开会, one also 上海: it comes first (the other only fills up the list, as
        // keyword queries do when few emails hold every word).
        const SearchOutcome o = run(QStringLiteral("开会 上海"));
        QVERIFY2(o.ok(), qPrintable(o.error ? o.error->message : QString()));
        QVERIFY(!o.hits.isEmpty());
        QCOMPARE(o.hits.first().rowId, m_ids.value(QStringLiteral("zh-shanghai")));
    }

    void requestHoldingCjkWords()
    {
        const SearchOutcome o = run(QStringLiteral("what did 张伟 say about the meeting in 北京?"));
        QVERIFY2(o.ok(), qPrintable(o.error ? o.error->message : QString()));
        QVERIFY(!o.hits.isEmpty());
        QCOMPARE(o.hits.first().rowId, m_ids.value(QStringLiteral("zh-beijing")));
        const SearchOutcome ja = run(QStringLiteral("find the email where the サーバ went down"));
        QVERIFY2(ja.ok(), qPrintable(ja.error ? ja.error->message : QString()));
        QVERIFY(!ja.hits.isEmpty());
        QCOMPARE(ja.hits.first().rowId, m_ids.value(QStringLiteral("112342343e9dfo.fsf")));
    }

    void snippetMarksTheCharacters()
    {
        const SearchOutcome zh = run(QStringLiteral("北京"));
        QCOMPARE(zh.hits.size(), 1);
        // The snippet is cut from the body as the index holds it (characters spaced).
        QVERIFY2(zh.hits.first().snippet.contains(QStringLiteral("«北 京»")), qPrintable(zh.hits.first().snippet));
        const SearchOutcome ja = run(QStringLiteral("ダウン"));
        QCOMPARE(ja.hits.size(), 1);
        QVERIFY2(ja.hits.first().snippet.contains(QStringLiteral("«ダ ウ ン»")), qPrintable(ja.hits.first().snippet));
        const SearchOutcome prefix = run(QStringLiteral("東京ab*"));
        QCOMPARE(prefix.hits.size(), 1);
        QVERIFY2(prefix.hits.first().snippet.contains(QStringLiteral("«東 京 abc»")), qPrintable(prefix.hits.first().snippet));
        const SearchOutcome subject = run(QStringLiteral("subject:会议 开会"));
        QCOMPARE(subject.hits.size(), 2);
        for (const SearchHit &h : subject.hits)
            QVERIFY2(h.snippet.contains(QStringLiteral("«开 会»")), qPrintable(h.snippet));
    }

    void liveSearchMatches()
    {
        const QList<qint64> all = m_ids.values();
        auto f = m_engine->matches(m_user, QStringLiteral("开会 -北京"), all, {});
        f.waitForFinished();
        QCOMPARE(f.result(), QList<qint64>{m_ids.value(QStringLiteral("zh-shanghai"))});
        auto g = m_engine->matches(m_user, QStringLiteral("ダウン"), all, {});
        g.waitForFinished();
        QCOMPARE(g.result(), QList<qint64>{m_ids.value(QStringLiteral("112342343e9dfo.fsf"))});
    }
};

QTEST_MAIN(TestSearchCjk)
#include "tst_searchcjk.moc"
