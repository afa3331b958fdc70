// Item models: streamed appends, sorting with later hits placed in order, chat text growing per
// chunk, uploads progress, conversations order, notifications cap. Checked with
// QAbstractItemModelTester and against a Connection to the protocol test server.
#include "chatmodel.h"
#include "connection.h"
#include "conversationsmodel.h"
#include "notificationsmodel.h"
#include "protocolserver.h"
#include "searchresultsmodel.h"
#include "uploadsmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace emailrag::client;
namespace P = emailrag::protocol;

namespace {
P::SearchResult hit(const QString &id, const QString &subject, double score, int day)
{
    P::SearchResult r;
    r.emailId = id;
    r.subject = subject;
    r.score = score;
    r.date = QDateTime(QDate(2001, 5, day), QTime(12, 0), Qt::UTC);
    r.from = P::Address{QStringLiteral("Name %1").arg(id), QStringLiteral("%1@example.org").arg(id)};
    return r;
}
QStringList ids(const SearchResultsModel &m)
{
    QStringList out;
    for (int i = 0; i < m.rowCount(); ++i)
        out << m.index(i, 0).data(SearchResultsModel::EmailIdRole).toString();
    return out;
}
} // namespace

class TestModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void searchAppendsAndSorts()
    {
        SearchResultsModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.reset(QStringLiteral("req_1"), QStringLiteral("q"));
        QVERIFY(m.isRunning());
        QSignalSpy appended(&m, &SearchResultsModel::resultAppended);
        m.appendResult(hit(QStringLiteral("a"), QStringLiteral("Zeta"), 0.9, 3));
        m.appendResult(hit(QStringLiteral("b"), QStringLiteral("Alpha"), 0.8, 1));
        QCOMPARE(ids(m), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(appended.count(), 2);
        QCOMPARE(m.index(0, SearchResultsModel::ScoreColumn).data().toString(), QStringLiteral("0.90"));
        QCOMPARE(m.index(1, SearchResultsModel::SubjectColumn).data().toString(), QStringLiteral("Alpha"));
        QCOMPARE(m.index(1, 0).data(SearchResultsModel::RankRole).toInt(), 2);

        QPersistentModelIndex keep = m.index(0, 0); // "a"
        m.sort(SearchResultsModel::SubjectColumn, Qt::AscendingOrder);
        QCOMPARE(ids(m), (QStringList{QStringLiteral("b"), QStringLiteral("a")}));
        QCOMPARE(keep.data(SearchResultsModel::EmailIdRole).toString(), QStringLiteral("a"));
        QCOMPARE(keep.row(), 1);
        // A hit streamed in after sorting goes to its sorted place.
        m.appendResult(hit(QStringLiteral("c"), QStringLiteral("Mid"), 0.7, 2));
        QCOMPARE(ids(m), (QStringList{QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("a")}));
        QCOMPARE(appended.last().first().toInt(), 1);
        m.sort(SearchResultsModel::DateColumn, Qt::DescendingOrder);
        QCOMPARE(ids(m), (QStringList{QStringLiteral("a"), QStringLiteral("c"), QStringLiteral("b")}));
        m.sort(-1); // back to the server's ranking
        QCOMPARE(ids(m), (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));

        QSignalSpy completed(&m, &SearchResultsModel::completed);
        m.setComplete({3, 12, std::nullopt});
        QVERIFY(!m.isRunning());
        QCOMPARE(completed.count(), 1);
        QCOMPARE(m.totalResults(), 3);
    }

    void searchThroughConnection()
    {
        emailrag::test::ProtocolServer server;
        server.searchHits = 4;
        QVERIFY(server.listen());
        Connection c;
        c.setServerUrl(QUrl(server.url()));
        c.open();
        QTRY_VERIFY(c.isConnected());
        SearchResultsModel m;
        m.setConnection(&c);
        SearchResultsModel other; // a second model must not pick up the first one's hits
        other.setConnection(&c);
        QSignalSpy completed(&m, &SearchResultsModel::completed);
        m.search(QStringLiteral("invoice"), 4);
        QTRY_COMPARE(completed.count(), 1);
        QCOMPARE(m.rowCount(), 4);
        QCOMPARE(other.rowCount(), 0);
        QCOMPARE(m.index(0, 0).data(SearchResultsModel::EmailIdRole).toString(), QStringLiteral("invoice_email_0"));
    }

    void chatGrowsPerChunk()
    {
        emailrag::test::ProtocolServer server;
        QVERIFY(server.listen());
        Connection c;
        c.setServerUrl(QUrl(server.url()));
        c.open();
        QTRY_VERIFY(c.isConnected());
        ChatModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setConnection(&c);
        QSignalSpy grew(&m, &ChatModel::answerGrew);
        QSignalSpy done(&m, &ChatModel::answerCompleted);
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        QVERIFY(!m.ask(QStringLiteral("What was decided?")).isEmpty());
        QVERIFY(m.isBusy());
        QCOMPARE(m.rowCount(), 2);
        QVERIFY(m.index(1).data(ChatModel::StreamingRole).toBool());
        QTRY_COMPARE(done.count(), 1);
        QCOMPARE(grew.count(), 3);
        QVERIFY(changed.count() >= 3);
        QCOMPARE(m.index(0).data(ChatModel::RoleRole).toString(), QStringLiteral("user"));
        QCOMPARE(m.index(1).data(ChatModel::TextRole).toString(), QStringLiteral("Hello from the test."));
        QVERIFY(!m.index(1).data(ChatModel::StreamingRole).toBool());
        const QVariantList sources = m.index(1).data(ChatModel::SourcesRole).toList();
        QCOMPARE(sources.size(), 1);
        QCOMPARE(sources.first().toMap().value(QStringLiteral("emailId")).toString(), QStringLiteral("email_1"));
        QCOMPARE(m.conversationId(), QStringLiteral("conv_1"));
        QVERIFY(!m.isBusy());
        // The follow-up goes to the same conversation.
        m.ask(QStringLiteral("And then?"));
        QTRY_COMPARE(done.count(), 2);
        const auto sent = server.ofType(QStringLiteral("chat_message"));
        QCOMPARE(std::get<P::ChatMessage>(sent.at(1).envelope.message).conversationId.value_or(QString()), QStringLiteral("conv_1"));
        QCOMPARE(m.rowCount(), 4);
    }

    void chatFailureMarksTurn()
    {
        ChatModel m;
        m.addUserTurn(QStringLiteral("q"));
        m.appendChunk({QStringLiteral("partial"), QStringLiteral("c9")});
        QSignalSpy failed(&m, &ChatModel::answerFailed);
        m.fail(QStringLiteral("model unavailable"));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(m.index(1).data(ChatModel::ErrorRole).toString(), QStringLiteral("model unavailable"));
        QCOMPARE(m.index(1).data(ChatModel::TextRole).toString(), QStringLiteral("partial"));
        QVERIFY(!m.isBusy());
    }

    void uploadsProgress()
    {
        UploadsModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setTransfer(QStringLiteral("u1"), QStringLiteral("inbox.mbox"), 50, 200);
        QCOMPARE(m.rowCount(), 1);
        QCOMPARE(m.index(0).data(UploadsModel::ProgressRole).toInt(), 25);
        QCOMPARE(m.index(0).data(UploadsModel::StatusRole).toString(), QStringLiteral("receiving"));
        P::UploadProgress p;
        p.uploadId = QStringLiteral("u1");
        p.status = P::UploadStatus::Processing;
        p.progress = 45;
        p.emailsProcessed = 45;
        p.totalEmails = 100;
        p.currentOperation = QStringLiteral("indexing_emails");
        m.applyProgress(p);
        QCOMPARE(m.index(0).data(UploadsModel::ProgressRole).toInt(), 45);
        QCOMPARE(m.index(0).data(UploadsModel::OperationRole).toString(), QStringLiteral("indexing_emails"));
        QVERIFY(!m.index(0).data(UploadsModel::FinishedRole).toBool());
        p.status = P::UploadStatus::Completed;
        p.progress = 100;
        m.applyProgress(p);
        m.applyNewEmails({100, QStringLiteral("u1")});
        QCOMPARE(m.index(0).data(UploadsModel::NewEmailsRole).toLongLong(), 100);
        QVERIFY(m.index(0).data(UploadsModel::FinishedRole).toBool());
        // Progress for an upload started elsewhere (another client) adds a row at the top.
        p.uploadId = QStringLiteral("u2");
        p.status = P::UploadStatus::Processing;
        m.applyProgress(p);
        QCOMPARE(m.rowCount(), 2);
        QCOMPARE(m.index(0).data(UploadsModel::UploadIdRole).toString(), QStringLiteral("u2"));
        // A list from the server keeps what we knew locally.
        P::UploadInfo a;
        a.uploadId = QStringLiteral("u1");
        a.filename = QStringLiteral("inbox.mbox");
        a.status = P::UploadStatus::Completed;
        m.setUploads({a});
        QCOMPARE(m.rowCount(), 1);
        QCOMPARE(m.index(0).data(UploadsModel::NewEmailsRole).toLongLong(), 100);
    }

    void conversationsOrder()
    {
        ConversationsModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QDateTime t0 = QDateTime::currentDateTimeUtc();
        m.setConversations({{QStringLiteral("c1"), QStringLiteral("Old"), t0, t0},
                            {QStringLiteral("c2"), QStringLiteral("New"), t0, t0.addSecs(60)}});
        QCOMPARE(m.index(0).data(ConversationsModel::ConversationIdRole).toString(), QStringLiteral("c2"));
        m.upsert({QStringLiteral("c1"), QStringLiteral("Old, renamed"), t0, t0.addSecs(120)});
        QCOMPARE(m.rowCount(), 2);
        QCOMPARE(m.index(0).data().toString(), QStringLiteral("Old, renamed"));
        m.removeLocal(QStringLiteral("c2"));
        QCOMPARE(m.rowCount(), 1);
    }

    void notificationsCapAndUnread()
    {
        NotificationsModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setCapacity(3);
        QSignalSpy unread(&m, &NotificationsModel::unreadCountChanged);
        for (int i = 0; i < 5; ++i)
            m.add({P::NotificationLevel::Warning, QStringLiteral("n%1").arg(i), i == 4});
        QCOMPARE(m.rowCount(), 3);
        QCOMPARE(m.index(0).data().toString(), QStringLiteral("n4")); // newest first
        QCOMPARE(m.index(0).data(NotificationsModel::LevelRole).toString(), QStringLiteral("warning"));
        QVERIFY(m.index(0).data(NotificationsModel::ActionRequiredRole).toBool());
        QCOMPARE(m.unreadCount(), 3);
        m.markAllRead();
        QCOMPARE(m.unreadCount(), 0);
        QVERIFY(unread.count() >= 2);
    }
};

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
