// Snippets made in C++ (snippet.h, hitreader.h): the marks, the window and the cut ends as
// FTS5's snippet() gives them — checked against FTS5 itself on the same text — the folding of
// the index (case, accents), prefixes, phrases, CJK, and the choice of column in a search.
#include "hitreader.h"
#include "queryparser.h"
#include "searcher.h"
#include "searchfixture.h"
#include "snippet.h"
#include "sqlplan.h"

#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTest>

using namespace emailrag;
using namespace emailrag::search;
using emailrag::test::FixtureEmail;
using emailrag::test::SearchFixture;

namespace {

ParsedQuery parsed(const QString &query)
{
    auto p = QueryParser(QDateTime(QDate(2026, 11, 26), QTime(10, 0), Qt::UTC)).parse(query);
    return std::holds_alternative<ParsedQuery>(p) ? std::get<ParsedQuery>(p) : ParsedQuery();
}

// The FTS5 expression FTS5's snippet() was given for a query: its positive words OR'ed, in any
// column (what sqlplan.cpp built before snippets moved to C++), with the prefixes snippetTerms() reads.
QString highlightExpression(const ParsedQuery &q)
{
    QStringList parts;
    for (const Clause &c : q.must)
        for (const Atom &a : c.anyOf)
            if (a.field != Field::Cc && a.field != Field::Filename)
                parts << atomExpression(a, false);
    return parts.join(QStringLiteral(" OR "));
}

// What is left of a snippet without its marks and cut ends: a piece of the text, unchanged.
QString unmarked(QString s)
{
    s.remove(QStringLiteral("«")).remove(QStringLiteral("»"));
    if (s.startsWith(QStringLiteral("…")))
        s.remove(0, 1);
    if (s.endsWith(QStringLiteral("…")))
        s.chop(1);
    return s;
}

} // namespace

class TestSnippet : public QObject
{
    Q_OBJECT
private:
    QSqlDatabase m_mem; // FTS5 in memory: the tokenizer, and the reference snippets
    std::unique_ptr<FtsTokenizer> m_tokenizer;
    std::unique_ptr<SearchFixture> m_fx; // a store for the searches: one, as the fixture names its connection per thread
    qint64 m_alice = 0;

    QString ours(const QString &query, const QString &text, int window = kSnippetTokens)
    {
        const SnippetTerms terms = snippetTerms(parsed(query), *m_tokenizer);
        const QByteArray utf8 = text.toUtf8();
        SnippetColumn c;
        matchColumn(c, utf8, terms, *m_tokenizer);
        return snippet(c, nullptr, window);
    }

    // FTS5's snippet of `columns` (one row of a six-column table) for the query; column -1 = best.
    QString fts5(const QString &query, const QStringList &columns, int column, int window = kSnippetTokens)
    {
        QSqlQuery q(m_mem);
        q.exec(QStringLiteral("DELETE FROM t"));
        q.prepare(QStringLiteral("INSERT INTO t(rowid, a, b, c, d, e, f) VALUES (1, ?, ?, ?, ?, ?, ?)"));
        for (int i = 0; i < 6; ++i)
            q.addBindValue(columns.value(i, QStringLiteral("")));
        if (!q.exec())
            return QStringLiteral("insert failed");
        q.prepare(QStringLiteral("SELECT snippet(t, %1, '«', '»', '…', %2) FROM t WHERE t MATCH ?").arg(column).arg(window));
        q.addBindValue(highlightExpression(parsed(query)));
        if (!q.exec() || !q.next())
            return QString(); // no match at all
        return q.value(0).toString();
    }

    QString oursBest(const QString &query, const QStringList &columns, int window = kSnippetTokens)
    {
        const SnippetTerms terms = snippetTerms(parsed(query), *m_tokenizer);
        std::vector<QByteArray> utf8;
        for (const QString &c : columns)
            utf8.push_back(c.toUtf8());
        std::vector<SnippetColumn> cols(utf8.size());
        std::vector<const SnippetColumn *> ptrs;
        for (size_t i = 0; i < utf8.size(); ++i) {
            matchColumn(cols[i], utf8[i], terms, *m_tokenizer);
            ptrs.push_back(&cols[i]);
        }
        return bestSnippet(ptrs, nullptr, window);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_mem = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("snippet-mem"));
        m_mem.setDatabaseName(QStringLiteral(":memory:"));
        QVERIFY(m_mem.open());
        QSqlQuery q(m_mem);
        QVERIFY(q.exec(QStringLiteral("CREATE VIRTUAL TABLE t USING fts5(a, b, c, d, e, f, "
                                      "tokenize = 'unicode61 remove_diacritics 2')")));
        m_tokenizer = std::make_unique<FtsTokenizer>(storage::sqliteHandle(m_mem));
        QVERIFY(m_tokenizer->isValid());
        m_fx = std::make_unique<SearchFixture>();
        QVERIFY(m_fx->isValid());
        m_alice = m_fx->addUser(QStringLiteral("alice"));
    }

    void tokenizerFoldsAsTheIndex()
    {
        const QByteArray text = QStringLiteral("Crème BRÛLÉE, naïve—Ærø straße").toUtf8();
        QStringList folded;
        for (const QByteArray &t : m_tokenizer->folded(text))
            folded << QString::fromUtf8(t);
        QCOMPARE(folded, (QStringList{"creme", "brulee", "naive", "ærø", "straße"}));
    }

    // Its own pass over ASCII text gives FTS5's tokens: the same ranges, the same folded forms.
    void asciiShortcutIsUnicode61()
    {
        using Tokens = std::vector<std::pair<std::pair<int, int>, QByteArray>>;
        auto keep = [](void *out, int start, int end, QByteArrayView folded) {
            static_cast<Tokens *>(out)->push_back({{start, end}, folded.toByteArray()});
        };
        QRandomGenerator rng(7);
        for (int round = 0; round < 200; ++round) {
            QByteArray text;
            const int n = int(rng.bounded(400));
            for (int i = 0; i < n; ++i)
                text += char(rng.bounded(round % 2 ? 1 : 32, 128)); // every ASCII byte but NUL
            Tokens ours;
            Tokens fts5;
            QVERIFY(m_tokenizer->tokenize(text, [&ours](int start, int end, QByteArrayView folded) {
                ours.push_back({{start, end}, folded.toByteArray()});
            }));
            QVERIFY(m_tokenizer->tokenizeWithFts5(text, keep, &fts5));
            QCOMPARE(ours, fts5);
        }
    }

    void marks_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("word") << "budget" << "The budget is late." << "The «budget» is late.";
        QTest::newRow("case") << "BUDGET" << "the Budget and the budget" << "the «Budget» and the «budget»";
        QTest::newRow("accents in text") << "resume" << "Attached: my Résumé (PDF)" << "Attached: my «Résumé» (PDF)";
        QTest::newRow("accents in query") << "résumé" << "my resume, again" << "my «resume», again";
        QTest::newRow("prefix") << "budg*" << "budgets, budgeting and a budge" << "«budgets», «budgeting» and a «budge»";
        QTest::newRow("prefix is not infix") << "udget*" << "budget" << "budget";
        QTest::newRow("phrase") << "\"quarterly report\"" << "a quarterly report; the report is quarterly"
                                << "a «quarterly report»; the report is quarterly";
        QTest::newRow("phrase over punctuation") << "\"quarterly report\"" << "Quarterly -- REPORT!"
                                                 << "«Quarterly -- REPORT»!";
        QTest::newRow("phrase prefix") << "\"quarterly rep\"*" << "quarterly reports" << "«quarterly reports»";
        QTest::newRow("words side by side") << "merger track" << "the merger track record" << "the «merger» «track» record";
        QTest::newRow("overlapping matches") << "\"a b\" \"b c\"" << "x a b c y" << "x «a b c» y";
        QTest::newRow("address") << "anna@enron.com" << "write to anna@enron.com today" << "write to «anna@enron.com» today";
        QTest::newRow("from: name is a prefix") << "from:ann" << "Hi Anna, see Ann's note" << "Hi «Anna», see «Ann»'s note";
        QTest::newRow("from: short name is a word") << "from:an" << "an answer" << "«an» answer";
        QTest::newRow("cc: is not marked") << "cc:dana budget" << "dana's budget" << "dana's «budget»";
        QTest::newRow("CJK, as indexed") << "\"ダ ウ ン\"" << "サ ー バ が ダ ウ ン し ま し た" << "サ ー バ が «ダ ウ ン» し ま し た";
        QTest::newRow("CJK word as typed") << "ダウン" << "サ ー バ が ダ ウ ン し ま し た" << "サ ー バ が «ダ ウ ン» し ま し た";
        QTest::newRow("CJK words") << "北京 开会" << "明 天 在 北 京 开 会 。" << "明 天 在 «北 京» «开 会» 。";
        QTest::newRow("CJK prefix is the phrase") << "北京*" << "在 北 京 开 会" << "在 «北 京» 开 会";
        QTest::newRow("CJK mixed prefix") << "東京ab*" << "Office: 東 京 abc team" << "Office: «東 京 abc» team";
        QTest::newRow("CJK name") << "from:张伟" << "张 伟 zhang@x.cn" << "«张 伟» zhang@x.cn";
        QTest::newRow("html-derived") << "agenda"
                                      << QStringLiteral("• Item one\u00a0— see the agenda\u00a0[1]\n\n[1] https://x.example/agenda")
                                      << QStringLiteral("• Item one\u00a0— see the «agenda»\u00a0[1]\n\n[1] https://x.example/«agenda»");
        QTest::newRow("no match") << "nothing" << "some text here." << "some text here.";
        QTest::newRow("empty") << "budget" << "" << "";
        QTest::newRow("newlines kept") << "budget" << "Hi,\r\n\r\nthe budget:\n  - done\n" << "Hi,\r\n\r\nthe «budget»:\n  - done\n";
    }

    void marks()
    {
        QFETCH(QString, query);
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(ours(query, text), expected);
        if (!expected.contains(QStringLiteral("«")))
            return;
        QCOMPARE(fts5(query, {QString(), QString(), QString(), text}, 3), expected); // the reference agrees
    }

    void window_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("window");
        QTest::addColumn<QString>("expected");
        QTest::newRow("cut both ends") << "k" << "a b c d e f g h i j k l m n o p q r s t" << 5 << "…i j «k» l m…";
        QTest::newRow("at the start") << "a" << "a b c d e f g h" << 4 << "«a» b c d…";
        QTest::newRow("at the end") << "h" << "a b c d e f g h." << 4 << "…e f g «h».";
        QTest::newRow("most distinct terms") << "x y" << "x a b c d e f g h i x y c d e f g h" << 4 << "…i «x» «y» c…";
        QTest::newRow("sentence start") << "x" << "a b c. d e x f g h i j k l" << 5 << "…d e «x» f g…";
        QTest::newRow("phrase cut at the end") << "\"h i\"" << "a b c. d e f g h i j" << 5 << "…d e f g «h»…";
    }

    void window()
    {
        QFETCH(QString, query);
        QFETCH(QString, text);
        QFETCH(int, window);
        QFETCH(QString, expected);
        QCOMPARE(ours(query, text, window), expected);
        QCOMPARE(fts5(query, {text}, 0, window), expected);
    }

    // Random texts (words with accents and case, punctuation, sentences, newlines) and queries
    // (words, prefixes, phrases): the same snippet as FTS5's, column by column and best column.
    void sameAsFts5()
    {
        const QStringList words = {"budget", "Budget", "BUDGETS", "résumé", "resume", "Résumés", "pipeline", "pipe",
                                   "merger", "track", "report", "quarterly", "naïve", "café", "cafe", "enron",
                                   "anna", "Anna", "the", "a", "of", "to", "déjà", "vu", "x1", "2001"};
        const QStringList glue = {" ", " ", " ", " ", ", ", ". ", ": ", "\n", "\n\n", " - ", "! ", "(", ") ", "'", "@", "."};
        const QStringList queries = {"budget", "resume", "budg*", "pipe*", "\"quarterly report\"", "merger track",
                                     "cafe naive", "\"deja vu\"", "anna enron", "from:ann", "\"the budget\"*",
                                     "report OR pipeline", "x1 2001", "of", "résumé budget pipeline"};
        QStringList ascii; // every other round: ASCII text (FtsTokenizer's own pass)
        for (const QString &w : words)
            if (QByteArray(w.toUtf8()).size() == w.size())
                ascii << w;
        QRandomGenerator rng(20261206);
        int compared = 0;
        for (int round = 0; round < 600; ++round) {
            const QStringList &vocabulary = round % 2 ? ascii : words;
            QStringList columns;
            for (int c = 0; c < 6; ++c) {
                const int n = int(rng.bounded(c == 3 ? 120 : 12));
                QString s;
                for (int i = 0; i < n; ++i)
                    s += vocabulary[int(rng.bounded(int(vocabulary.size())))] + glue[int(rng.bounded(int(glue.size())))];
                columns << s;
            }
            const QString query = queries[round % queries.size()];
            const int window = round % 3 ? kSnippetTokens : 3 + int(rng.bounded(10));
            const QString body = fts5(query, columns, 3, window);
            if (!body.isNull()) { // FTS5 answers only rows that match
                QCOMPARE(ours(query, columns[3], window), body);
                QCOMPARE(oursBest(query, columns, window), fts5(query, columns, -1, window));
                ++compared;
            }
        }
        QVERIFY(compared > 300);
    }

    void longBody()
    {
        QString body;
        for (int i = 0; i < 20000; ++i)
            body += QStringLiteral("filler%1 ").arg(i % 97);
        body += QStringLiteral("the Merger. ");
        for (int i = 0; i < 5000; ++i)
            body += QStringLiteral("tail%1 ").arg(i % 13);
        const QString s = ours(QStringLiteral("merger"), body);
        QVERIFY2(s.contains(QStringLiteral("«Merger»")), qPrintable(s));
        QVERIFY(s.startsWith(QStringLiteral("…")) && s.endsWith(QStringLiteral("…")));
        QCOMPARE(s, fts5(QStringLiteral("merger"), {QString(), QString(), QString(), body}, 3));
        QVERIFY(body.contains(unmarked(s)));
    }

    // Nothing but the marks and the cut ends is added: the rest is a piece of the text as it is.
    void textUnchanged()
    {
        const QString text = QStringLiteral("Re: «Budget» (draft)\t— l'été, 50%% off…\r\nNaïve café; ÉTÉ?\n\n  end ");
        for (const QString &q : {QStringLiteral("ete"), QStringLiteral("cafe"), QStringLiteral("budget"),
                                 QStringLiteral("naive"), QStringLiteral("end"), QStringLiteral("\"l ete\"")}) {
            const QString s = ours(q, text, 6);
            QVERIFY2(s.contains(QStringLiteral("«")), qPrintable(q + QStringLiteral(": ") + s));
            QString plain = s;
            plain.remove(QStringLiteral("«")).remove(QStringLiteral("»"));
            QString source = text;
            source.remove(QStringLiteral("«")).remove(QStringLiteral("»"));
            if (plain.startsWith(QStringLiteral("…")))
                plain.remove(0, 1);
            if (plain.endsWith(QStringLiteral("…")) && !source.endsWith(plain))
                plain.chop(1);
            QVERIFY2(source.contains(plain), qPrintable(s));
        }
    }

    // Through a search: which column the snippet comes from, and the fallback without a match.
    void columnsInASearch()
    {
        SearchFixture &fx = *m_fx;
        const qint64 user = m_alice;
        const QDateTime when(QDate(2001, 5, 14), QTime(16, 39), Qt::UTC);
        const qint64 inBody = fx.addEmail(user, {QStringLiteral("Monday"), QStringLiteral("Carl"), QStringLiteral("carl@x.com"),
                                                 QString(), QString(), QStringLiteral("The pipeline report is attached."),
                                                 QStringLiteral("> old pipeline words"), when, {}, {}, {}, {}});
        const qint64 inSubject = fx.addEmail(user, {QStringLiteral("Pipeline review"), QString(), QStringLiteral("dee@x.com"),
                                                    QString(), QString(), QStringLiteral("See you at ten."), QString(), when,
                                                    {}, {}, {}, {}});
        const qint64 inQuoted = fx.addEmail(user, {QStringLiteral("Re: numbers"), QString(), QStringLiteral("eve@x.com"),
                                                   QString(), QString(), QStringLiteral("Agreed."),
                                                   QStringLiteral("> the pipeline numbers are wrong"), when, {}, {}, {}, {}});
        const qint64 inFilename = fx.addEmail(user, {QStringLiteral("Files"), QString(), QStringLiteral("fay@x.com"), QString(),
                                                     QString(), QStringLiteral("Two files."), QString(), when, {}, {},
                                                     {QStringLiteral("pipeline-map.pdf")}, {}});
        const qint64 inSender = fx.addEmail(user, {QStringLiteral("Hello"), QStringLiteral("Pipeline Team"),
                                                   QStringLiteral("team@x.com"), QString(), QString(), QStringLiteral("Hi all."),
                                                   QString(), when, {}, {}, {}, {}});
        QString longBody;
        for (int i = 0; i < 60; ++i)
            longBody += QStringLiteral("word%1 ").arg(i);
        const qint64 noMatch = fx.addEmail(user, {QStringLiteral("Other"), QString(), QStringLiteral("gus@x.com"), QString(),
                                                  QString(), longBody, QString(), QDateTime(), {}, {}, {}, {}});

        const ParsedQuery q = parsed(QStringLiteral("pipeline"));
        HitReader reader(fx.db(), user, q);
        auto snippetOf = [&](qint64 id) {
            SearchHit h;
            return reader.read(id, h) ? h.snippet : QStringLiteral("read failed");
        };
        QCOMPARE(snippetOf(inBody), QStringLiteral("The «pipeline» report is attached."));
        QCOMPARE(snippetOf(inSubject), QStringLiteral("«Pipeline» review"));
        QCOMPARE(snippetOf(inQuoted), QStringLiteral("> the «pipeline» numbers are wrong"));
        QCOMPARE(snippetOf(inFilename), QStringLiteral("«pipeline»-map.pdf"));
        QCOMPARE(snippetOf(inSender), QStringLiteral("«Pipeline» Team team@x.com"));
        // No match anywhere: the start of the new text, about 200 characters, cut at a word.
        const QString plain = snippetOf(noMatch);
        QVERIFY2(plain.startsWith(QStringLiteral("word0 word1 ")) && plain.endsWith(QStringLiteral("…")), qPrintable(plain));
        QVERIFY(plain.size() <= 201 && !plain.contains(QStringLiteral("«")));

        SearchHit h;
        QVERIFY(reader.read(inBody, h));
        QCOMPARE(h.subject, QStringLiteral("Monday"));
        QCOMPARE(h.from, QStringLiteral("Carl <carl@x.com>"));
        QCOMPARE(h.date, QStringLiteral("2001-05-14T16:39:00Z"));
        QVERIFY(reader.read(noMatch, h));
        QCOMPARE(h.date, QString());
        QCOMPARE(h.from, QStringLiteral("gus@x.com"));
        // Another user's email is not read.
        const qint64 bob = fx.addUser(QStringLiteral("bob"));
        HitReader bobs(fx.db(), bob, q);
        QVERIFY(!bobs.read(inBody, h));

        // The same through the searcher.
        Searcher searcher(fx.db());
        SearchRequest r;
        r.query = QStringLiteral("pipeline");
        QHash<qint64, QString> got;
        const auto result = searcher.run(user, r, [&](const SearchHit &hit) { got.insert(hit.rowId, hit.snippet); });
        QVERIFY(std::holds_alternative<SearchSummary>(result));
        QCOMPARE(got.value(inBody), QStringLiteral("The «pipeline» report is attached."));
        QCOMPARE(got.value(inQuoted), QStringLiteral("> the «pipeline» numbers are wrong"));
    }

    // A hit's date, written without QDateTime (searchtypes.cpp): the same text.
    void isoUtcAsQDateTime()
    {
        auto viaQt = [](qint64 s) { return QDateTime::fromSecsSinceEpoch(s, Qt::UTC).toString(Qt::ISODate); };
        const QList<qint64> edges = {0, 59, 86399, 86400, 951782400 /* 2000-02-29 */, 951868799, 4107542400 /* 2100-03-01 */,
                                     4107455999, 253402300799 /* 9999-12-31T23:59:59 */, 253402300800, -1, -86401,
                                     -62135596800 /* 0001-01-01 */};
        for (qint64 s : edges)
            QCOMPARE(isoUtc(s), viaQt(s));
        QRandomGenerator rng(3);
        for (int i = 0; i < 20000; ++i) {
            const qint64 s = qint64(rng.bounded(253402300800.0));
            QCOMPARE(isoUtc(s), viaQt(s));
        }
    }

    // CJK text is indexed spaced (emails_fts_cjk): the snippet marks the characters there.
    void cjkInASearch()
    {
        SearchFixture &fx = *m_fx;
        const qint64 user = m_alice;
        const QString stored = QStringLiteral("サーバがダウンしました (server)");
        const QString spaced = QStringLiteral("サ ー バ が ダ ウ ン し ま し た (server)");
        const qint64 id = fx.addEmail(user, {QStringLiteral("障害"), QString(), QStringLiteral("ops@x.jp"), QString(), QString(),
                                             stored, QString(), QDateTime(), {}, {}, {}, {}});
        QSqlDatabase db = fx.db();
        QSqlQuery q(db);
        // The row as the import writer leaves it: the index and emails_fts_cjk hold the spaced text.
        QVERIFY(q.exec(QStringLiteral("INSERT INTO emails_fts(emails_fts, rowid, subject, sender, recipients, body, quoted, "
                                      "attachments) VALUES ('delete', %1, '障害', ' ops@x.jp', ' ', '%2', '', '')")
                           .arg(id).arg(stored)));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO emails_fts_cjk VALUES (%1, '障 害', 'ops@x.jp', '', '%2', '', '')").arg(id).arg(spaced)));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO emails_fts(rowid, subject, sender, recipients, body, quoted, attachments) "
                                      "SELECT id, subject, sender, recipients, body, quoted, attachments FROM emails_fts_source "
                                      "WHERE id = %1").arg(id)));
        HitReader reader(db, user, parsed(QStringLiteral("\"ダ ウ ン\"")));
        SearchHit h;
        QVERIFY(reader.read(id, h));
        QCOMPARE(h.snippet, QStringLiteral("サ ー バ が «ダ ウ ン» し ま し た (server)"));
        HitReader subject(db, user, parsed(QStringLiteral("\"障 害\"")));
        QVERIFY(subject.read(id, h));
        QCOMPARE(h.snippet, QStringLiteral("«障 害»"));
        // The query as a user types it, unspaced: the same marks.
        HitReader typed(db, user, parsed(QStringLiteral("ダウン")));
        QVERIFY(typed.read(id, h));
        QCOMPARE(h.snippet, QStringLiteral("サ ー バ が «ダ ウ ン» し ま し た (server)"));
    }
};

QTEST_GUILESS_MAIN(TestSnippet)
#include "tst_snippet.moc"
