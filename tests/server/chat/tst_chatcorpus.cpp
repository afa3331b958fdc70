// The extractive default on real mail: Enron inboxes (and the mu and notmuch test corpora)
// imported by the real importer, questions answered through the real search engine, and every
// [n] of every answer checked to open an email (get_email) whose text contains the quoted sentence.
#include "chatengine.h"
#include "corpora.h"
#include "database.h"
#include "importer.h"
#include "searchengine.h"
#include "textutil.h"
#include "uploads.h"

#include <QDir>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace emailrag;
using namespace emailrag::chat;

namespace {

struct Outcome
{
    QString text;
    QList<Source> sources;
    QString errorCode;
    bool done = false;
};

Outcome runToEnd(ChatRun *run)
{
    Outcome o;
    QObject ctx;
    QObject::connect(run, &ChatRun::chunkReady, &ctx, [&](const QString &c) { o.text += c; });
    QObject::connect(run, &ChatRun::completed, &ctx, [&](const QString &, const QList<Source> &s) {
        o.sources = s;
        o.done = true;
    });
    QObject::connect(run, &ChatRun::failed, &ctx, [&](ChatError, const QString &code, const QString &) {
        o.errorCode = code;
        o.done = true;
    });
    (void)QTest::qWaitFor([&] { return o.done; }, 30000);
    return o;
}

} // namespace

class TestChatCorpus : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    storage::DatabaseConfig m_config;
    qint64 m_user = 0;
    QList<qint64> m_importedFrom; // nothing; kept for clarity of setup failures

    bool import(const QStringList &paths)
    {
        QSqlDatabase db = storage::Database::connection(m_config, QStringLiteral("corpus-setup"));
        const auto upload = ingest::createUpload(db, m_user, QStringLiteral("corpus"), paths);
        if (!upload)
            return false;
        ingest::Importer importer(m_config, m_user, *upload, paths);
        bool done = false;
        bool ok = false;
        QObject ctx;
        connect(&importer, &ingest::Importer::finished, &ctx, [&](const ingest::ImportSummary &s) {
            ok = s.status == ingest::ImportStatus::Completed && s.imported > 0;
            done = true;
        });
        importer.start();
        (void)QTest::qWaitFor([&] { return done; }, 600000);
        importer.wait();
        return ok;
    }

    // Every quoted line "> sentence [n]" is in email n's text, every passage line too, and the
    // answer cites exactly the listed sources.
    void verify(search::SearchEngine &search, const QString &question, const Outcome &o)
    {
        QVERIFY2(o.errorCode.isEmpty(), qPrintable(question + ": " + o.errorCode));
        QVERIFY(o.text.startsWith(QStringLiteral("Extractive answer")) || o.text.startsWith(QStringLiteral("I found no")));
        QHash<int, QString> bodies;
        for (const Source &s : o.sources) {
            const auto email = search.getEmail(m_user, s.emailId).result();
            QVERIFY2(email.has_value(), qPrintable(s.emailId));
            QCOMPARE(email->subject, s.subject);
            bodies.insert(s.number, text::normalizeWhitespace(email->bodyText));
            for (const QString &line : s.passage.split(QLatin1Char('\n')))
                QVERIFY2(bodies.value(s.number).contains(line), qPrintable(question + " | " + line + " | " + s.emailId));
        }
        static const QRegularExpression quoteLine(QStringLiteral(R"(^> (.*) \[(\d+)\]$)"), QRegularExpression::MultilineOption);
        auto it = quoteLine.globalMatch(o.text);
        int quotes = 0;
        while (it.hasNext()) {
            const auto m = it.next();
            const int n = m.captured(2).toInt();
            QVERIFY2(bodies.contains(n), qPrintable(question + ": cites [" + m.captured(2) + "] not in sources"));
            QVERIFY2(bodies.value(n).contains(m.captured(1)), qPrintable(question + " | " + m.captured(1)));
            ++quotes;
        }
        QCOMPARE(quotes > 0, !o.sources.isEmpty());
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString enron = test::unpackCorpus(QStringLiteral("enron-inbox-subset.tar.zst"));
        if (enron.isEmpty())
            QSKIP("Enron corpus not available");
        m_config = storage::DatabaseConfig::sqliteFile(m_dir.filePath(QStringLiteral("corpus.db")));
        QVERIFY(!storage::Database::migrate(m_config, QStringLiteral("corpus-setup")).has_value());
        QSqlDatabase db = storage::Database::connection(m_config, QStringLiteral("corpus-setup"));
        m_user = ingest::ensureUser(db, QStringLiteral("corpus")).value_or(-1);
        QVERIFY(m_user > 0);
        const QString root = enron + QStringLiteral("/enron-inbox-subset/");
        QVERIFY(import({root + "skilling-j", root + "lokay-m", root + "grigsby-m", root + "cash-m"}));
        for (const char *name : {"mu-testdata.tar.zst", "notmuch-test-corpora.tar.zst"}) {
            const QString path = test::unpackCorpus(QString::fromLatin1(name));
            if (!path.isEmpty())
                QVERIFY(import({path}));
        }
    }

    void fixedQuestions_data()
    {
        QTest::addColumn<QString>("question");
        QTest::newRow("california") << "What was said about the California power crisis?";
        QTest::newRow("pipeline") << "gas pipeline capacity on the Transwestern system";
        QTest::newRow("meeting") << "When is the meeting with Jeff Skilling?";
        QTest::newRow("stock") << "What did people say about the Enron stock price?";
        QTest::newRow("operators") << "subject:meeting schedule";
        QTest::newRow("notmuch") << "What did Carl Worth write about notmuch?";
        QTest::newRow("nothing") << "zyxwvut qwxzzy";
    }
    void fixedQuestions()
    {
        QFETCH(QString, question);
        search::SearchEngine search(m_config);
        ChatEngine engine(m_config, ProviderConfig{}, &search);
        const Outcome o = runToEnd(engine.ask(m_user, question));
        if (qEnvironmentVariableIsSet("EMAILRAG_SHOW_ANSWERS"))
            qInfo().noquote() << question << "\n" << o.text;
        verify(search, question, o);
        if (QTest::currentDataTag() != QLatin1String("nothing"))
            QVERIFY2(!o.sources.isEmpty(), qPrintable(question + "\n" + o.text));
        else
            QVERIFY(o.sources.isEmpty());
    }

    void questionsFromRealEmails()
    {
        // For 30 emails spread over the store: "What did <sender> say about <subject>?". The answer
        // must cite something, and everything it cites must check out.
        QSqlDatabase db = storage::Database::connection(m_config, QStringLiteral("corpus-setup"));
        QSqlQuery q(db);
        QVERIFY(storage::Database::exec(q, QStringLiteral(
            "SELECT id, from_name, subject FROM emails WHERE user_id = ? AND length(body_text) > 300 AND length(subject) > 8 "
            "AND from_name <> '' ORDER BY (id * 7919) % 1009 LIMIT 30"), {m_user}));
        QList<std::pair<qint64, QString>> questions;
        while (q.next())
            questions.append({q.value(0).toLongLong(),
                              QStringLiteral("What did %1 say about %2?").arg(q.value(1).toString(), q.value(2).toString())});
        QVERIFY(questions.size() >= 20);
        search::SearchEngine search(m_config);
        ChatEngine engine(m_config, ProviderConfig{}, &search);
        int cited = 0, targetCited = 0;
        for (const auto &[target, question] : questions) {
            const Outcome o = runToEnd(engine.ask(m_user, question));
            verify(search, question, o);
            if (QTest::currentTestFailed())
                return;
            cited += o.sources.isEmpty() ? 0 : 1;
            for (const Source &s : o.sources)
                targetCited += s.emailRowId == target ? 1 : 0;
        }
        qInfo() << "answers with citations:" << cited << "/" << questions.size() << "citing the email asked about:" << targetCited;
        QVERIFY(cited >= questions.size() * 9 / 10);
        QVERIFY(targetCited >= questions.size() / 2);
    }
};

QTEST_GUILESS_MAIN(TestChatCorpus)
#include "tst_chatcorpus.moc"
