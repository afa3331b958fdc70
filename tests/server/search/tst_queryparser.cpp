// The query language: every operator, natural-language requests and error positions.
#include "queryparser.h"
#include "sqlplan.h"

#include <QTest>

using namespace emailrag::search;

namespace {

// 2026-11-26 is a Thursday; this week starts on Monday 2026-11-23.
const QDateTime kNow(QDate(2026, 11, 26), QTime(10, 0), Qt::UTC);

QString atomText(const Atom &a)
{
    static const char *fields[] = {"", "subject:", "from:", "to:", "cc:", "filename:"};
    QString t = a.phrase ? QLatin1Char('"') + a.text + QLatin1Char('"') : a.text;
    return QLatin1String(fields[int(a.field)]) + t + (a.prefix ? QStringLiteral("*") : QString());
}

// A canonical one-line description of a parse, compared in the tests.
QString describe(const ParsedQuery &p)
{
    QStringList parts;
    for (const Clause &c : p.must) {
        QStringList alts;
        for (const Atom &a : c.anyOf)
            alts << atomText(a);
        parts << alts.join(QLatin1Char('|'));
    }
    for (const Atom &a : p.mustNot)
        parts << QLatin1Char('-') + atomText(a);
    if (p.after)
        parts << QStringLiteral("after:") + p.after->toString(Qt::ISODate);
    if (p.before)
        parts << QStringLiteral("before:") + p.before->toString(Qt::ISODate);
    if (p.hasAttachment)
        parts << QStringLiteral("has:%1").arg(*p.hasAttachment ? 1 : 0);
    for (const QString &t : p.threadIds)
        parts << QStringLiteral("thread:") + t;
    for (const QString &u : p.uploadIds)
        parts << QStringLiteral("upload:") + u;
    if (p.naturalLanguage)
        parts << QStringLiteral("[nl]");
    return parts.join(QLatin1Char(' '));
}

} // namespace

class TestQueryParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parses_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("expected");
        QTest::newRow("words") << "budget meeting" << "budget meeting";
        QTest::newRow("phrase") << "\"quarterly report\" draft" << "\"quarterly report\" draft";
        QTest::newRow("exclusion") << "budget -draft" << "budget -draft";
        QTest::newRow("excluded phrase") << "budget -\"first draft\"" << "budget -\"first draft\"";
        QTest::newRow("or") << "budget OR forecast meeting" << "budget|forecast meeting";
        QTest::newRow("or chain") << "a OR b OR c" << "a|b|c";
        QTest::newRow("lowercase or is a word") << "salt or pepper" << "salt or pepper";
        QTest::newRow("parentheses ignored") << "(budget OR forecast) meeting" << "budget|forecast meeting";
        QTest::newRow("from") << "from:anna" << "from:anna";
        QTest::newRow("from address") << "from:anna@example.com" << "from:anna@example.com";
        QTest::newRow("excluded sender") << "report -from:bob" << "report -from:bob";
        QTest::newRow("to and cc") << "to:bob@example.com cc:carol" << "to:bob@example.com cc:carol";
        QTest::newRow("or senders") << "from:anna OR from:bob" << "from:anna|from:bob";
        QTest::newRow("subject phrase") << "subject:\"weekly report\"" << "subject:\"weekly report\"";
        QTest::newRow("operator case") << "From:Anna SUBJECT:Gas" << "from:Anna subject:Gas";
        QTest::newRow("attachment") << "has:attachment filename:pdf" << "filename:pdf has:1";
        QTest::newRow("no attachment") << "memo -has:attachment" << "memo has:0";
        QTest::newRow("file alias") << "file:budget.xls" << "filename:budget.xls";
        QTest::newRow("after before") << "after:2001-05-01 before:2001-06-01"
                                      << "after:2001-05-01T00:00:00Z before:2001-06-01T00:00:00Z";
        QTest::newRow("date day") << "date:2001-05-14" << "after:2001-05-14T00:00:00Z before:2001-05-15T00:00:00Z";
        QTest::newRow("date month") << "date:2001-05" << "after:2001-05-01T00:00:00Z before:2001-06-01T00:00:00Z";
        QTest::newRow("date slashes") << "date:2001/5/4" << "after:2001-05-04T00:00:00Z before:2001-05-05T00:00:00Z";
        QTest::newRow("today") << "date:today" << "after:2026-11-26T00:00:00Z before:2026-11-27T00:00:00Z";
        QTest::newRow("yesterday") << "date:yesterday" << "after:2026-11-25T00:00:00Z before:2026-11-26T00:00:00Z";
        QTest::newRow("7d") << "after:7d" << "after:2026-11-19T10:00:00Z";
        QTest::newRow("date 7d") << "date:7d" << "after:2026-11-19T10:00:00Z before:2026-11-26T10:00:01Z";
        QTest::newRow("before 2w") << "before:2w" << "before:2026-11-12T10:00:00Z";
        QTest::newRow("last week quoted") << "date:\"last week\"" << "after:2026-11-16T00:00:00Z before:2026-11-23T00:00:00Z";
        QTest::newRow("last-week") << "date:last-week" << "after:2026-11-16T00:00:00Z before:2026-11-23T00:00:00Z";
        QTest::newRow("last month") << "date:last_month" << "after:2026-10-01T00:00:00Z before:2026-11-01T00:00:00Z";
        QTest::newRow("narrowing") << "after:2001-01-01 after:2001-03-01 date:2001"
                                   << "after:2001-03-01T00:00:00Z before:2002-01-01T00:00:00Z";
        QTest::newRow("thread upload") << "thread:abc upload:upload_1" << "thread:abc upload:upload_1";
        QTest::newRow("prefix") << "budg*" << "budg*";
        QTest::newRow("unknown operator is text") << "re:meeting" << "re:meeting";
        QTest::newRow("lone dash") << "Q3 - report" << "Q3 report";
        QTest::newRow("and is implicit") << "gas AND power" << "gas power";
        QTest::newRow("punctuation only words") << "budget !!! ..." << "budget";
        // Natural-language requests.
        QTest::newRow("nl urgent anna") << "Find urgent emails from Anna last week"
                                        << "urgent from:Anna after:2026-11-16T00:00:00Z before:2026-11-23T00:00:00Z [nl]";
        QTest::newRow("nl legal merger") << "what did the legal team send about the merger"
                                         << "legal team merger [nl]";
        QTest::newRow("nl full name") << "emails from Jeff Skilling about the California crisis"
                                      << "from:\"Jeff Skilling\" California crisis [nl]";
        QTest::newRow("nl address") << "anything from anna@example.com about gas?"
                                    << "from:anna@example.com gas [nl]";
        QTest::newRow("nl from date") << "show me messages with attachments from yesterday"
                                      << "after:2026-11-25T00:00:00Z before:2026-11-26T00:00:00Z has:1 [nl]";
        QTest::newRow("nl sent to") << "emails sent to Bob about the budget" << "to:Bob budget [nl]";
        QTest::newRow("nl month year") << "what did Vince say about the conference in May 2001"
                                       << "Vince conference after:2001-05-01T00:00:00Z before:2001-06-01T00:00:00Z [nl]";
        QTest::newRow("nl since iso") << "messages about gas prices since 2001-06-01"
                                      << "gas prices after:2001-06-01T00:00:00Z [nl]";
        QTest::newRow("nl last 3 days") << "find the invoice from the last 3 days"
                                        << "invoice after:2026-11-23T10:00:00Z before:2026-11-26T10:00:01Z [nl]";
        QTest::newRow("nl keeps operators") << "find emails about pipeline from:jeff -draft"
                                            << "pipeline from:jeff -draft [nl]";
        QTest::newRow("nl question mark") << "who knows the password?" << "knows password [nl]";
        QTest::newRow("nl only request words") << "show me my emails" << "[nl]";
        // Names in scripts without capitals (Han, kana, Hangul, Arabic, Hebrew, Thai) are names too.
        QTest::newRow("nl from cjk") << "emails from 田中 about the budget" << "from:田中 budget [nl]";
        QTest::newRow("nl from cjk full name") << "emails from 田中 太郎 about the budget"
                                               << "from:\"田中 太郎\" budget [nl]";
        QTest::newRow("nl by hangul") << "the report by 김민수" << "report from:김민수 [nl]";
        QTest::newRow("nl sent to cjk") << "emails sent to 王伟 about the contract" << "to:王伟 contract [nl]";
        QTest::newRow("nl sent to arabic") << "emails sent to محمد about the contract" << "to:محمد contract [nl]";
        QTest::newRow("nl by lower-case word is text") << "the report by tomorrow" << "report tomorrow [nl]";
    }
    void parses()
    {
        QFETCH(QString, query);
        QFETCH(QString, expected);
        const auto result = QueryParser(kNow).parse(query);
        if (const auto *e = std::get_if<SearchError>(&result))
            QFAIL(qPrintable(e->message));
        QCOMPARE(describe(std::get<ParsedQuery>(result)), expected);
    }

    void rejects_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("position");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unterminated quote") << "budget \"quarterly report" << 7 << "quote";
        QTest::newRow("unterminated operator quote") << "subject:\"weekly" << 8 << "quote";
        QTest::newRow("empty from") << "budget from: x" << 7 << "from:";
        QTest::newRow("bad date") << "budget after:2001-13-40" << 13 << "not a date";
        QTest::newRow("unknown relative date") << "date:someday" << 5 << "not a date";
        QTest::newRow("or at start") << "OR budget" << 0 << "OR";
        QTest::newRow("or at end") << "budget OR" << 7 << "OR";
        QTest::newRow("double or") << "a OR OR b" << 5 << "OR";
        QTest::newRow("or with date") << "budget OR after:2001-01-01" << 7 << "OR";
        QTest::newRow("or with exclusion") << "budget OR -draft" << 7 << "excluded";
        QTest::newRow("has other") << "has:pizza" << 4 << "has:attachment";
        QTest::newRow("excluded date") << "x -date:today" << 2 << "date";
        QTest::newRow("empty") << "   " << 0 << "Empty";
        QTest::newRow("empty phrase") << "\"\"" << 0 << "Empty";
        QTest::newRow("operator punctuation") << "from:!!!" << 5 << "letters";
    }
    void rejects()
    {
        QFETCH(QString, query);
        QFETCH(int, position);
        QFETCH(QString, mentions);
        const auto result = QueryParser(kNow).parse(query);
        const auto *e = std::get_if<SearchError>(&result);
        QVERIFY2(e, qPrintable(QStringLiteral("accepted: ") + query));
        QCOMPARE(e->code, SearchError::Code::InvalidQuery);
        QCOMPARE(e->position, position);
        QVERIFY2(e->message.contains(mentions), qPrintable(e->message));
        QVERIFY2(e->message.contains(QStringLiteral("character %1").arg(position + 1)), qPrintable(e->message));
    }

    // Whatever the user types reaches FTS5 only inside string literals.
    void ftsLiterals_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("match");
        QTest::newRow("plain") << "gas power" << "\"gas\" AND \"power\"";
        QTest::newRow("colon inside") << "subject:a:b" << "subject : \"a:b\"";
        QTest::newRow("fts syntax") << "NEAR(a b) col:x ^start" << "\"NEAR\" AND \"a\" AND \"b\" AND \"col:x\" AND \"^start\"";
        QTest::newRow("sql") << "'; DROP TABLE x; --" << "\"DROP\" AND \"TABLE\" AND \"x;\"";
        QTest::newRow("sender prefix") << "from:anna" << "sender : \"anna\"*";
        QTest::newRow("not") << "gas -from:bob -draft" << "(\"gas\") NOT (sender : \"bob\"* OR \"draft\")";
        QTest::newRow("or") << "a OR b c" << "(\"a\" OR \"b\") AND \"c\"";
        // CJK: the phrase of the characters, as the index holds them (cjkquery.h); a prefix ending
        // in a CJK character is that phrase, one ending in Latin letters keeps its star.
        QTest::newRow("cjk word") << "東京 ダウン" << "\"東 京\" AND \"ダ ウ ン\"";
        QTest::newRow("cjk mixed") << "東京abc" << "\"東 京 abc\"";
        QTest::newRow("cjk prefix") << "東京* 東京ab*" << "\"東 京\" AND \"東 京 ab\"*";
        QTest::newRow("cjk name") << "from:田中太郎 to:김민수 subject:会议" << "sender : \"田 中 太 郎\" AND recipients : \"김 민 수\" AND subject : \"会 议\"";
        QTest::newRow("cjk not") << "会议 -北京" << "(\"会 议\") NOT \"北 京\"";
    }
    void ftsLiterals()
    {
        QFETCH(QString, query);
        QFETCH(QString, match);
        const auto result = QueryParser(kNow).parse(query);
        QVERIFY(std::holds_alternative<ParsedQuery>(result));
        const SqlPlan plan = buildPlan(std::get<ParsedQuery>(result), 1, Matching::AllTerms, 0, 10);
        QCOMPARE(plan.match, match);
        QVERIFY(!plan.sql.contains(QStringLiteral("DROP")));
        QVERIFY(!plan.sql.contains(QStringLiteral("anna")));
    }

    void literalEscapesQuotes() { QCOMPARE(ftsLiteral(QStringLiteral("a\"b")), QStringLiteral("\"a\"\"b\"")); }

    void requestMatchingIsAnyTerm()
    {
        const auto result = QueryParser(kNow).parse(QStringLiteral("Find urgent budget emails from Anna"));
        const ParsedQuery &p = std::get<ParsedQuery>(result);
        QCOMPARE(buildPlan(p, 1, Matching::AnyTerm, 0, 10).match, QStringLiteral("sender : \"Anna\"* AND (\"urgent\" OR \"budget\")"));
        QCOMPARE(buildPlan(p, 1, Matching::AnyTermLoose, 0, 10).match, QStringLiteral("(\"urgent\" OR \"budget\" OR \"Anna\")"));
    }

    void commonWordsNarrowTheCandidates()
    {
        const auto result = QueryParser(kNow).parse(QStringLiteral("What did Anna say about the enron budget meeting?"));
        const ParsedQuery &p = std::get<ParsedQuery>(result);
        const SqlPlan full = buildPlan(p, 1, Matching::AnyTerm, 0, 10);
        QVERIFY(!full.narrowed);
        const SqlPlan narrowed = buildPlan(p, 1, Matching::AnyTerm, 0, 10, {}, {}, {QStringLiteral("enron"), QStringLiteral("meeting")});
        QVERIFY(narrowed.narrowed);
        // Candidates must hold a rarer word; every word still takes part in the ranking.
        QVERIFY2(narrowed.match.endsWith(QStringLiteral(" AND ") + full.match), qPrintable(narrowed.match));
        QVERIFY2(narrowed.match.contains(QStringLiteral("\"budget\"")), qPrintable(narrowed.match));
        QVERIFY2(!narrowed.match.section(QStringLiteral(" AND "), 0, 0).contains(QStringLiteral("\"enron\"")),
                 qPrintable(narrowed.match));
        QCOMPARE(narrowed.positiveAtoms, full.positiveAtoms + 2); // budget, Anna counted twice
        // Only common words: nothing to narrow by, the plan stays as it was.
        const SqlPlan allCommon = buildPlan(p, 1, Matching::AnyTerm, 0, 10, {}, {},
                                            {QStringLiteral("enron"), QStringLiteral("meeting"), QStringLiteral("budget"), QStringLiteral("anna")});
        QVERIFY(!allCommon.narrowed);
        QCOMPARE(allCommon.match, full.match);
        // Keyword queries (all terms must match) are never narrowed.
        QVERIFY(!buildPlan(p, 1, Matching::AllTerms, 0, 10, {}, {}, {QStringLiteral("enron")}).narrowed);
    }
};

QTEST_APPLESS_MAIN(TestQueryParser)
#include "tst_queryparser.moc"
