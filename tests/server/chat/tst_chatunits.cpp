// Unit tests of the chat engine's pure parts: sentence splitting and quote stripping, the
// streaming citation filter, the SSE parser, endpoints, prompt fitting and the extractive answer.
#include "citationfilter.h"
#include "extractiveprovider.h"
#include "openaiprovider.h"
#include "promptbuilder.h"
#include "sseparser.h"
#include "textutil.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace emailrag::chat;

class TestChatUnits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stripsQuotesAndSignature_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("gt quotes") << "Yes, Friday works.\n\n> Can we meet Friday?\n> Anna" << "Yes, Friday works.";
        QTest::newRow("signature") << "See attached.\n-- \nJohn Doe\nEnron Corp" << "See attached.";
        QTest::newRow("outlook original") << "Approved.\n\n -----Original Message-----\nFrom: Anna\nSent: Monday\nPlease approve."
                                          << "Approved.";
        QTest::newRow("on wrote") << "Thanks!\nOn Mon, 3 Mar 2001, Anna Smith wrote:\nold text" << "Thanks!";
        QTest::newRow("enron forwarded") << "FYI\n---------------------- Forwarded by Jeff Skilling/HOU/ECT on 03/05/2001\nold"
                                         << "FYI";
        QTest::newRow("nothing to strip") << "Line one.\nLine two." << "Line one.\nLine two.";
    }
    void stripsQuotesAndSignature()
    {
        QFETCH(QString, body);
        QFETCH(QString, expected);
        QCOMPARE(text::stripQuotedAndSignature(body), expected);
    }

    void splitsSentences()
    {
        const QStringList s = text::splitSentences(
            "The budget for Q2 is $4.5M. Mr. Lay approved it\nyesterday! Is that final?\n\nNew paragraph without stop\n- bullet one");
        QCOMPARE(s, QStringList({"The budget for Q2 is $4.5M.", "Mr. Lay approved it yesterday!", "Is that final?",
                                 "New paragraph without stop", "bullet one"}));
    }

    void contentTermsDropQuestionWords()
    {
        QCOMPARE(text::contentTerms("What did Anna say about the budget last March?"),
                 QStringList({"anna", "budget", "last", "march"}));
        QVERIFY(text::looksLikeFollowUp("and what did she reply?"));
        QVERIFY(text::asksForReply("and what did she reply?"));
        QVERIFY(!text::looksLikeFollowUp("What did the legal team send about the Dynegy merger agreement"));
    }

    void citationFilter_data()
    {
        QTest::addColumn<QStringList>("pieces");
        QTest::addColumn<int>("sourceCount");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QList<int>>("cited");
        QTest::newRow("renumbers by first use") << QStringList{"A [3]. B [1]. C [3]."} << 3 << "A [1]. B [2]. C [1]."
                                                << QList<int>{3, 1};
        QTest::newRow("drops unknown") << QStringList{"A [7]. B [2]."} << 3 << "A. B [1]." << QList<int>{2};
        QTest::newRow("split across pieces") << QStringList{"A [", "2", "] and [1", "]."} << 2 << "A [1] and [2]."
                                             << QList<int>{2, 1};
        QTest::newRow("comma list") << QStringList{"Both [2, 9, 1]."} << 2 << "Both [1][2]." << QList<int>{2, 1};
        QTest::newRow("source word") << QStringList{"X [Source 2]."} << 2 << "X [1]." << QList<int>{2};
        QTest::newRow("not a citation kept") << QStringList{"He said [sic] it [1]."} << 1 << "He said [sic] it [1]."
                                             << QList<int>{1};
        QTest::newRow("zero dropped") << QStringList{"X [0]"} << 2 << "X" << QList<int>{};
        QTest::newRow("unterminated at end") << QStringList{"X [2"} << 2 << "X [2" << QList<int>{};
        QTest::newRow("no sources") << QStringList{"Nothing [1]."} << 0 << "Nothing." << QList<int>{};
    }
    void citationFilter()
    {
        QFETCH(QStringList, pieces);
        QFETCH(int, sourceCount);
        QFETCH(QString, expected);
        QFETCH(QList<int>, cited);
        CitationFilter f(sourceCount);
        QString out;
        for (const QString &p : pieces)
            out += f.feed(p);
        out += f.flush();
        QCOMPARE(out, expected);
        QCOMPARE(f.cited(), cited);
    }

    void sseParserAnySplit()
    {
        const QByteArray stream = ": keep-alive comment\r\n"
                                  "data: {\"a\":1}\r\n\r\n"
                                  "event: error\ndata: line1\ndata: line2\n\n"
                                  "data:[DONE]\r\r";
        // Every split point gives the same events.
        for (int cut = 0; cut <= stream.size(); ++cut) {
            SseParser p;
            QList<SseParser::Event> events = p.feed(stream.left(cut));
            events += p.feed(stream.mid(cut));
            QCOMPARE(events.size(), 3);
            QCOMPARE(events.at(0).data, QByteArray("{\"a\":1}"));
            QCOMPARE(events.at(1).name, QByteArray("error"));
            QCOMPARE(events.at(1).data, QByteArray("line1\nline2"));
            QCOMPARE(events.at(2).data, QByteArray("[DONE]"));
            QVERIFY(!p.hasPartialEvent());
        }
    }

    void endpoint_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("expected");
        QTest::newRow("ollama v1") << "http://127.0.0.1:11434/v1" << "http://127.0.0.1:11434/v1/chat/completions";
        QTest::newRow("slash") << "http://h:8080/v1/" << "http://h:8080/v1/chat/completions";
        QTest::newRow("bare") << "http://h:8080" << "http://h:8080/v1/chat/completions";
        QTest::newRow("full") << "https://api.openai.com/v1/chat/completions" << "https://api.openai.com/v1/chat/completions";
    }
    void endpoint()
    {
        QFETCH(QString, base);
        QFETCH(QString, expected);
        QCOMPARE(OpenAiProvider::endpoint(QUrl(base)).toString(), expected);
    }

    void promptNumbersSourcesAndFits()
    {
        GenerationInput in;
        in.question = "What about the budget?";
        for (int i = 1; i <= 5; ++i) {
            ContextDoc d;
            d.index = i;
            d.subject = QStringLiteral("Subject %1").arg(i);
            d.from = "a@b.c";
            d.text = QString(400, QLatin1Char('x')) + QStringLiteral(" budget %1.").arg(i);
            in.docs << d;
        }
        ProviderConfig cfg;
        cfg.contextTokens = 100000;
        auto all = PromptBuilder::build(in, cfg);
        QVERIFY(all);
        QCOMPARE(all->sourceCount, 5);
        const QString user = all->messages.last().toObject().value("content").toString();
        QVERIFY(user.contains("[1] From: a@b.c"));
        QVERIFY(user.contains("[5] From: a@b.c"));
        QVERIFY(all->messages.first().toObject().value("content").toString().contains("[1]"));

        cfg.contextTokens = 1024 + 400; // room for about two sources
        auto some = PromptBuilder::build(in, cfg);
        QVERIFY(some);
        QVERIFY(some->sourceCount >= 1 && some->sourceCount < 5);
        QVERIFY(some->estimatedTokens <= cfg.contextTokens - cfg.maxAnswerTokens);

        in.question = QString(20000, QLatin1Char('q'));
        QVERIFY(!PromptBuilder::build(in, cfg)); // the question alone does not fit
    }

    void extractiveQuotesVerbatimAndSaysSo()
    {
        GenerationInput in;
        in.question = "When is the budget review meeting?";
        in.queryTerms = text::contentTerms(in.question);
        ContextDoc a;
        a.index = 1; a.rowId = 10; a.threadId = "t1"; a.subject = "Budget [2002]"; a.from = "Anna <anna@x.com>";
        a.relevance = 1.0; a.date = QDateTime(QDate(2001, 3, 12), QTime(9, 0), Qt::UTC);
        a.text = "Hi all.\nThe budget review meeting is on Friday at 10am in room 3.\nPlease bring the Q2 numbers, see [1] below.\nThanks";
        ContextDoc b;
        b.index = 2; b.rowId = 11; b.threadId = "t2"; b.subject = "Lunch"; b.from = "bob@x.com"; b.relevance = 0.4;
        b.text = "Lunch is at noon today in the cafeteria with everyone.";
        in.docs << a << b;
        const auto answer = ExtractiveProvider::compose(in);
        const QString all = answer.chunks.join(QString());
        QVERIFY2(all.contains("Extractive answer"), qPrintable(all));
        QVERIFY(all.contains("> The budget review meeting is on Friday at 10am in room 3. [1]"));
        QVERIFY(!all.contains("see [1] below"));    // a quoted bracket number would read as a citation
        QVERIFY(all.contains("Budget (2002)"));      // headings never carry brackets
        QVERIFY(!all.contains("[2]"));              // nothing about lunch matches
        QCOMPARE(answer.passages.value(1), QStringList{"The budget review meeting is on Friday at 10am in room 3."});
        QVERIFY(answer.chunks.size() >= 3);         // streamed in pieces

        GenerationInput none;
        none.question = "anything?";
        QVERIFY(ExtractiveProvider::compose(none).chunks.join(QString()).contains("found no emails"));
    }
};

QTEST_GUILESS_MAIN(TestChatUnits)
#include "tst_chatunits.moc"
