// The desktop path end to end, offscreen: the real server on a loopback port (as the desktop
// mode runs it), a local user's token, the client connection, and the real main window driven
// like a person would: drop a mailbox and watch it reach 100%, add a Maildir folder, search and
// see hits stream in before the search completes, open one in the reading pane, ask a question
// and see the answer arrive in chunks with citations that open the cited email.
#include "chatmodel.h"
#include "chatview.h"
#include "connection.h"
#include "connectionstatus.h"
#include "conversationsmodel.h"
#include "corpora.h"
#include "embeddedserver.h"
#include "emptystate.h"
#include "logindialog.h"
#include "maildirpacker.h"
#include "mainwindow.h"
#include "readingpane.h"
#include "searchresultsmodel.h"
#include "searchview.h"
#include "sessionstart.h"
#include "uploadrates.h"
#include "uploadsmodel.h"
#include "uploadsview.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDialogButtonBox>
#include <QDirIterator>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTimer>

using namespace emailrag;
using namespace emailrag::ui;

class TestDesktop : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void firstRunShowsWhatToDo();
    void connectedStatus();
    void everyControlHasAnAccessibleName();
    void dropMailboxImportsToHundredPercent();
    void maildirFolderImports();
    void ctrlKFocusesSearch();
    void searchStreamsHitsAndOpensEmail();
    void chatStreamsAndCitationsOpenEmail();
    void newConversationClears();
    void loginDialogGetsAWorkingToken();

private:
    int waitForUpload(const QString &filename, int timeoutMs);

    QTemporaryDir m_dir;
    server::EmbeddedServer m_server;
    client::Connection *m_connection = nullptr;
    MainWindow *m_window = nullptr;
};

void TestDesktop::initTestCase()
{
    QVERIFY(m_dir.isValid());
    server::ServerConfig config;
    config.dataDir = m_dir.filePath(QStringLiteral("data"));
    QDir().mkpath(config.dataDir);
    config.listenAddress = QHostAddress::LocalHost;
    config.port = 0;
    QString error;
    QVERIFY2(m_server.start(config, true, &error), qPrintable(error));
    const auto access
        = server::ensureLocalUser(config.dataDir, QStringLiteral("tester"), std::chrono::hours(1), &error);
    QVERIFY2(access, qPrintable(error));

    // Exactly what the desktop mode does: the client module, the token, the WebSocket.
    m_connection = new client::Connection(this);
    m_connection->setServerUrl(QUrl(m_server.webSocketUrl()));
    m_connection->setToken(access->token);
    MainWindow::Options options;
    options.serverLabel = builtInServerLabel(m_server.serverPort());
    options.userName = access->userName;
    options.settingsFile = m_dir.filePath(QStringLiteral("settings.ini"));
    m_window = new MainWindow(m_connection, nullptr, options);
    m_connection->open();
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    QTRY_VERIFY_WITH_TIMEOUT(m_connection->isConnected(), 15000);
}

void TestDesktop::cleanupTestCase()
{
    delete m_window;
    if (m_connection)
        m_connection->close();
    m_server.stop();
}

void TestDesktop::firstRunShowsWhatToDo()
{
    UploadsView *uploads = m_window->uploadsView();
    m_window->showView(MainWindow::View::Uploads);
    QTRY_VERIFY(m_window->tabs()->currentWidget() == uploads);
    // No uploads yet: the empty state tells the user to drop or add a mailbox.
    auto *empty = uploads->findChild<EmptyState *>();
    QVERIFY(empty);
    QVERIFY(empty->isVisible());
    QVERIFY(!empty->title().isEmpty());
    QVERIFY(empty->accessibleDescription().contains(QStringLiteral("Maildir")));
}

void TestDesktop::connectedStatus()
{
    const QString text = m_window->connectionStatus()->text();
    QVERIFY2(text.contains(QStringLiteral("Connected")), qPrintable(text));
    QVERIFY2(text.contains(QString::number(m_server.serverPort())), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("tester")), qPrintable(text));
}

void TestDesktop::everyControlHasAnAccessibleName()
{
    // Screen readers need a name for every control: its own text (buttons) or an accessible name.
    QStringList missing;
    const auto widgets = m_window->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        const bool control = qobject_cast<QAbstractButton *>(w) || qobject_cast<QLineEdit *>(w)
            || qobject_cast<QPlainTextEdit *>(w) || qobject_cast<QAbstractItemView *>(w);
        if (!control || w->isHidden() || w->objectName().startsWith(QLatin1String("qt_")) || w->inherits("QTabBar")
            || qobject_cast<QAbstractItemView *>(w->parentWidget()) || w->parentWidget()->inherits("QTabBar")
            || w->parentWidget()->inherits("QScrollBar") || w->parentWidget()->inherits("QLineEdit"))
            continue;
        const auto *button = qobject_cast<QAbstractButton *>(w);
        if (w->accessibleName().isEmpty() && !(button && !button->text().isEmpty()))
            missing << QStringLiteral("%1 %2").arg(QLatin1String(w->metaObject()->className()), w->objectName());
    }
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral(", "))));
}

int TestDesktop::waitForUpload(const QString &filename, int timeoutMs)
{
    client::UploadsModel *model = m_window->uploadsView()->model();
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        for (int row = 0; row < model->rowCount(); ++row) {
            const QModelIndex i = model->index(row);
            if (i.data(client::UploadsModel::FilenameRole).toString() == filename
                && i.data(client::UploadsModel::FinishedRole).toBool())
                return row;
        }
        QTest::qWait(50);
    }
    return -1;
}

void TestDesktop::dropMailboxImportsToHundredPercent()
{
    const QString mbox = test::unpackCorpus(QStringLiteral("mimekit-content-length.mbox.zst"));
    if (mbox.isEmpty())
        QSKIP("corpus not available");
    const QString filename = QFileInfo(mbox).fileName();
    UploadRates *rates = m_window->uploadsView()->rates();
    QList<int> progressSeen;
    QObject scope; // the connection ends with this test function
    connect(rates, &QAbstractItemModel::dataChanged, &scope,
        [&](const QModelIndex &tl) { progressSeen << tl.data(client::UploadsModel::ProgressRole).toInt(); });

    // Drop the file on the window (on the Search view, to show drops work anywhere).
    m_window->showView(MainWindow::View::Search);
    QMimeData mime;
    mime.setUrls({ QUrl::fromLocalFile(mbox) });
    const QPoint at = m_window->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window, &drop);
    QVERIFY(drop.isAccepted());
    QCOMPARE(m_window->tabs()->currentWidget(), m_window->uploadsView());

    const int row = waitForUpload(filename, 60000);
    QVERIFY2(row >= 0, "the upload did not finish within 60 s");
    const QModelIndex index = rates->index(row, 0);
    QCOMPARE(index.data(client::UploadsModel::StatusRole).toString(), QStringLiteral("completed"));
    QCOMPARE(index.data(client::UploadsModel::ProgressRole).toInt(), 100);
    QVERIFY(index.data(client::UploadsModel::TotalEmailsRole).toLongLong() > 0);
    QCOMPARE(index.data(client::UploadsModel::EmailsProcessedRole).toLongLong(),
        index.data(client::UploadsModel::TotalEmailsRole).toLongLong());
    QCOMPARE(index.data(UploadRates::StatusTextRole).toString(), QStringLiteral("Done"));
    QVERIFY(!progressSeen.isEmpty());
    QCOMPARE(progressSeen.last(), 100);
    // new_emails arrives as a non-modal notification.
    QTRY_VERIFY_WITH_TIMEOUT(index.data(client::UploadsModel::NewEmailsRole).toLongLong() > 0, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->banner()->text().contains(QStringLiteral("can now be searched")), 10000);
    QVERIFY(!QApplication::activeModalWidget());
}

void TestDesktop::maildirFolderImports()
{
    const QString root = test::unpackCorpus(QStringLiteral("mu-testdata.tar.zst"));
    if (root.isEmpty())
        QSKIP("corpus not available");
    // The unpacked tree holds one folder; its 'cjk' Maildir is small and has raw UTF-8 bodies.
    QString folder;
    QDirIterator it(root, { QStringLiteral("cjk") }, QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    if (it.hasNext())
        folder = it.next();
    QVERIFY2(!folder.isEmpty(), qPrintable(root));
    QVERIFY(client::isMailFolder(folder));

    m_window->uploadsView()->addPaths({ folder });
    const int row = waitForUpload(QFileInfo(folder).fileName() + QStringLiteral(".mbox"), 60000);
    QVERIFY2(row >= 0, "the Maildir upload did not finish within 60 s");
    const QModelIndex index = m_window->uploadsView()->model()->index(row);
    QCOMPARE(index.data(client::UploadsModel::StatusRole).toString(), QStringLiteral("completed"));
    QCOMPARE(index.data(client::UploadsModel::ProgressRole).toInt(), 100);
    QCOMPARE(index.data(client::UploadsModel::TotalEmailsRole).toLongLong(), 4); // cjk: 4 messages (corpora README)
}

void TestDesktop::ctrlKFocusesSearch()
{
    m_window->showView(MainWindow::View::Chat);
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window));
    QTest::keyClick(m_window, Qt::Key_K, Qt::ControlModifier);
    QTRY_COMPARE(m_window->tabs()->currentWidget(), m_window->searchView());
    QTRY_VERIFY(m_window->searchView()->searchField()->hasFocus());
}

void TestDesktop::searchStreamsHitsAndOpensEmail()
{
    SearchView *view = m_window->searchView();
    client::SearchResultsModel *model = view->model();
    QStringList order;
    QObject scope; // the connections end with this test function
    connect(
        model, &client::SearchResultsModel::resultAppended, &scope, [&order](int) { order << QStringLiteral("hit"); });
    connect(model, &client::SearchResultsModel::completed, &scope, [&order] { order << QStringLiteral("complete"); });

    QLineEdit *field = view->searchField();
    field->clear();
    QTest::keyClicks(field, QStringLiteral("encrypted message"));
    QTest::keyClick(field, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(model->isComplete(), 20000);
    QVERIFY2(model->rowCount() > 0, qPrintable(view->statusText()));
    // Hits streamed in one by one, before search_complete.
    QCOMPARE(order.first(), QStringLiteral("hit"));
    QCOMPARE(order.last(), QStringLiteral("complete"));
    QCOMPARE(order.count(QStringLiteral("hit")), model->rowCount());
    QVERIFY(view->resultsView()->isVisible());
    QVERIFY2(view->statusText().contains(QStringLiteral("result")), qPrintable(view->statusText()));

    // Keyboard: Down moves from the field into the list; the selected email opens.
    field->setFocus();
    QTest::keyClick(field, Qt::Key_Down);
    QTRY_VERIFY(view->resultsView()->hasFocus());
    const QString id = view->resultsView()->currentIndex().data(client::SearchResultsModel::EmailIdRole).toString();
    QVERIFY(!id.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(view->readingPane()->currentEmailId(), id, 10000);
    const QString shown = view->readingPane()->browser()->toPlainText();
    QVERIFY2(
        shown.contains(view->resultsView()->currentIndex().data(client::SearchResultsModel::SubjectRole).toString()),
        qPrintable(shown));
    if (model->rowCount() > 1) {
        QTest::keyClick(view->resultsView(), Qt::Key_Down);
        const QString second
            = view->resultsView()->currentIndex().data(client::SearchResultsModel::EmailIdRole).toString();
        QTRY_COMPARE_WITH_TIMEOUT(view->readingPane()->currentEmailId(), second, 10000);
    }
}

void TestDesktop::chatStreamsAndCitationsOpenEmail()
{
    m_window->showView(MainWindow::View::Chat);
    ChatView *view = m_window->chatView();
    client::ChatModel *chat = view->chatModel();
    QSignalSpy chunks(chat, &client::ChatModel::answerGrew);
    QSignalSpy completed(chat, &client::ChatModel::answerCompleted);

    QTest::keyClicks(view->questionBox(), QStringLiteral("Who sent an encryption certificate for S/MIME testing?"));
    QTest::keyClick(view->questionBox(), Qt::Key_Return);
    QVERIFY(view->questionBox()->toPlainText().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(completed.count() == 1 || !chat->isBusy(), 30000);
    QCOMPARE(completed.count(), 1);
    QVERIFY2(chunks.count() >= 1, "no chunk arrived");
    const int row = chat->rowCount() - 1;
    const auto &answer = chat->turn(row);
    QVERIFY(!answer.text.isEmpty());
    QVERIFY2(!answer.sources.isEmpty(), qPrintable(answer.text));
    QVERIFY2(answer.text.contains(QStringLiteral("[1]")), qPrintable(answer.text));

    // The transcript shows the streamed text and [1] as a link to source 1 of this answer.
    QTRY_VERIFY(view->transcript()->toHtml().contains(QStringLiteral("cite:%1/1").arg(row)));
    QVERIFY(view->transcript()->toPlainText().contains(answer.text.left(20)));

    // Clicking [1] opens the cited email in the reading pane with the passage highlighted.
    Q_EMIT view->transcript()->anchorClicked(QUrl(QStringLiteral("cite:%1/1").arg(row)));
    const auto &source = answer.sources.first();
    QTRY_COMPARE_WITH_TIMEOUT(view->readingPane()->currentEmailId(), source.emailId, 10000);
    if (source.passage && !source.passage->isEmpty())
        QVERIFY2(view->readingPane()->passageHighlighted(),
            qPrintable(
                *source.passage + QStringLiteral("\n---- shown:\n") + view->readingPane()->browser()->toPlainText()));
}

void TestDesktop::newConversationClears()
{
    ChatView *view = m_window->chatView();
    QVERIFY(view->chatModel()->rowCount() > 0);
    QTRY_VERIFY_WITH_TIMEOUT(view->conversations()->rowCount() > 0, 10000);
    QTest::keyClick(m_window, Qt::Key_N, Qt::ControlModifier);
    QTRY_COMPARE(view->chatModel()->rowCount(), 0);
    QVERIFY(view->chatModel()->conversationId().isEmpty());
}

void TestDesktop::loginDialogGetsAWorkingToken()
{
    // A user with a password, made the way an administrator does it.
    const QString binary = qEnvironmentVariable("EMAILRAG_BINARY");
    if (binary.isEmpty() || !QFileInfo::exists(binary))
        QSKIP("the emailrag binary is not built");
    QProcess add;
    add.start(binary,
        { QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("bob"), QStringLiteral("--password-stdin"),
            QStringLiteral("--data"), m_dir.filePath(QStringLiteral("data")) });
    QVERIFY(add.waitForStarted());
    add.write("s3cret-pass\n");
    add.closeWriteChannel();
    QVERIFY(add.waitForFinished(60000));
    QVERIFY2(add.exitCode() == 0, add.readAllStandardError().constData());

    // Drive the modal dialog: a wrong password first (the dialog stays, with the server's
    // answer), then the right one.
    int step = 0;
    bool sawError = false;
    QTimer driver;
    driver.setInterval(50);
    connect(&driver, &QTimer::timeout, this, [&] {
        auto *dialog = qobject_cast<LoginDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        QLineEdit *password = nullptr;
        for (auto *e : dialog->findChildren<QLineEdit *>())
            if (e->echoMode() == QLineEdit::Password)
                password = e;
        auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        auto *error = dialog->findChild<QLabel *>(QStringLiteral("loginError"));
        if (step == 0) {
            password->setText(QStringLiteral("wrong"));
            ok->click();
            step = 1;
        } else if (step == 1 && error->isVisible() && password->isEnabled()) {
            sawError = true;
            password->setText(QStringLiteral("s3cret-pass"));
            ok->click();
            step = 2;
        }
    });
    driver.start();
    const auto login = loginInteractively(m_server.webSocketUrl(), QStringLiteral("bob"), QString(), nullptr);
    driver.stop();
    QVERIFY(sawError);
    QVERIFY(login);
    QCOMPARE(login->userName, QStringLiteral("bob"));
    QVERIFY(!login->token.isEmpty());

    // The token opens a connection as bob.
    client::Connection bob;
    bob.setServerUrl(login->server);
    bob.setToken(login->token);
    bob.open();
    QTRY_VERIFY_WITH_TIMEOUT(bob.isConnected(), 10000);
    QVERIFY(!bob.userId().isEmpty());
    bob.close();
}

QTEST_MAIN(TestDesktop)
#include "tst_desktop.moc"
