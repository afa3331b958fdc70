#include "mainwindow.h"

#include "appearance.h"
#include "chatview.h"
#include "connection.h"
#include "connectionstatus.h"
#include "icons.h"
#include "notificationsmodel.h"
#include "searchview.h"
#include "secretstore.h"
#include "settingsdialog.h"
#include "uploadsmodel.h"
#include "uploadsview.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFutureWatcher>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace emailrag::ui {

using client::Connection;

namespace {
std::unique_ptr<QSettings> openSettingsFile(const QString &file)
{
    if (file.isEmpty())
        return std::make_unique<QSettings>();
    return std::make_unique<QSettings>(file, QSettings::IniFormat);
}
} // namespace

MainWindow::MainWindow(Connection *connection, client::SecretStore *secrets, Options options, QWidget *parent)
    : QMainWindow(parent)
    , m_connection(connection)
    , m_secrets(secrets)
    , m_options(std::move(options))
{
    setObjectName(QStringLiteral("mainWindow"));
    setAcceptDrops(true);
    if (QFile::exists(QStringLiteral(":/icons/emailrag.svg")))
        setWindowIcon(QIcon(QStringLiteral(":/icons/emailrag.svg")));

    m_banner = new NotificationBanner(this);
    m_uploads = new UploadsView(connection, this);
    m_search = new SearchView(connection, this);
    m_chat = new ChatView(connection, this);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("views"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_uploads, themedIcon(QStringLiteral("upload")), QString());
    m_tabs->addTab(m_search, themedIcon(QStringLiteral("search")), QString());
    m_tabs->addTab(m_chat, themedIcon(QStringLiteral("chat")), QString());
    m_tabs->setIconSize(QSize(20, 20));

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    m_status = new ConnectionStatus(connection, this);
    m_status->setServer(m_options.serverLabel, m_options.userName);
    m_emailCount = new QLabel(this);
    m_emailCount->setObjectName(QStringLiteral("emailCount"));
    statusBar()->addWidget(m_status);
    statusBar()->addPermanentWidget(m_emailCount);

    m_notifications = new client::NotificationsModel(this);
    m_notifications->setConnection(connection);
    connect(m_notifications, &client::NotificationsModel::notificationAdded, this,
        [this](const protocol::SystemNotification &n) {
            const auto level = n.level == protocol::NotificationLevel::Error ? NotificationBanner::Level::Error
                : n.level == protocol::NotificationLevel::Warning            ? NotificationBanner::Level::Warning
                                                                             : NotificationBanner::Level::Info;
            m_banner->showMessage(level, n.message);
        });
    connect(m_uploads, &UploadsView::notify, m_banner, &NotificationBanner::showMessage);

    if (connection) {
        connect(connection, &Connection::connected, this, &MainWindow::onConnected);
        connect(connection, &Connection::newEmails, this, [this](const protocol::NewEmails &n) {
            QString name;
            if (n.uploadId) {
                const int row = m_uploads->model()->rowOf(*n.uploadId);
                if (row >= 0)
                    name = m_uploads->model()->upload(row).filename;
            }
            const QString count = QLocale().toString(n.count);
            m_banner->showMessage(NotificationBanner::Level::Info,
                name.isEmpty() ? tr("%n new email(s) can now be searched.", nullptr, int(n.count))
                               : tr("%1 new emails from %2 can now be searched.").arg(count, name));
            if (m_connection)
                m_connection->getSystemStatus();
        });
        connect(connection, &Connection::systemStatus, this, [this](const QString &, const protocol::SystemStatus &s) {
            m_emailsIndexed = s.emailsIndexed;
            retranslate();
        });
        connect(connection, &Connection::stateChanged, this, [this](Connection::State state) {
            if (state == Connection::State::Unauthorized)
                Q_EMIT loginRequired();
        });
        // The connection remembers its channels and subscribes again after a reconnect.
        connection->subscribe({ QStringLiteral("uploads"), QStringLiteral("system_status") });
        if (connection->isConnected())
            onConnected();
    }

    createActions();
    retranslate();

    auto settings = openSettingsFile(m_options.settingsFile);
    restoreGeometry(settings->value(QStringLiteral("window/geometry")).toByteArray());
    m_tabs->setCurrentIndex(qBound(0, settings->value(QStringLiteral("window/view"), 0).toInt(), 2));
    if (!settings->contains(QStringLiteral("window/geometry")))
        resize(1100, 720);
}

void MainWindow::showView(View view)
{
    switch (view) {
    case View::Uploads:
        m_tabs->setCurrentWidget(m_uploads);
        m_uploads->listView()->setFocus();
        break;
    case View::Search:
        m_tabs->setCurrentWidget(m_search);
        m_search->focusSearchField();
        break;
    case View::Chat:
        m_tabs->setCurrentWidget(m_chat);
        m_chat->focusQuestion();
        break;
    }
}

void MainWindow::openSettings()
{
    auto settings = openSettingsFile(m_options.settingsFile);
    const UiSettings current = UiSettings::load(*settings);
    auto *dialog = new SettingsDialog(current, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (m_secrets && !current.modelProviderUrl.isEmpty()) {
        auto *watcher = new QFutureWatcher<client::SecretResult>(dialog);
        connect(watcher, &QFutureWatcherBase::finished, dialog, [dialog, watcher] {
            dialog->setApiKeyStored(watcher->result().ok() && !watcher->result().value.isEmpty());
        });
        watcher->setFuture(m_secrets->read(client::SecretStore::apiKeyKey(current.modelProviderUrl)));
    }
    connect(dialog, &QDialog::accepted, this, [this, dialog, current] {
        const UiSettings s = dialog->settings();
        auto file = openSettingsFile(m_options.settingsFile);
        s.save(*file);
        if (dialog->apiKeyChanged() && m_secrets) {
            const QString key = client::SecretStore::apiKeyKey(s.modelProviderUrl);
            if (dialog->apiKey().isEmpty())
                m_secrets->remove(key);
            else
                m_secrets->write(key, dialog->apiKey());
        }
        if (s.theme != current.theme)
            applyTheme(s.theme);
        if (s.language != current.language)
            installTranslations(s.language, qApp);
        if (s.serverUrl != current.serverUrl || s.dataDir != current.dataDir
            || s.modelProviderUrl != current.modelProviderUrl || s.model != current.model || dialog->apiKeyChanged()) {
            m_banner->showMessage(NotificationBanner::Level::Info,
                tr("The new server, data directory or model settings take effect at the next start."));
        }
        Q_EMIT settingsChanged(s);
    });
    dialog->open();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!UploadsView::droppablePaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QStringList paths = UploadsView::droppablePaths(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    m_tabs->setCurrentWidget(m_uploads);
    m_uploads->addPaths(paths);
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    auto settings = openSettingsFile(m_options.settingsFile);
    settings->setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings->setValue(QStringLiteral("window/view"), m_tabs->currentIndex());
    QMainWindow::closeEvent(event);
}

void MainWindow::createActions()
{
    auto make = [this](const QString &icon, const QKeySequence &key, auto slot) {
        auto *a = new QAction(this);
        if (!icon.isEmpty())
            a->setIcon(themedIcon(icon));
        if (!key.isEmpty())
            a->setShortcut(key);
        a->setShortcutContext(Qt::WindowShortcut);
        connect(a, &QAction::triggered, this, slot);
        addAction(a); // shortcuts work even with the menu bar hidden
        return a;
    };
    m_actions.addFiles = make(QStringLiteral("upload"), QKeySequence::Open, [this] {
        m_tabs->setCurrentWidget(m_uploads);
        m_uploads->chooseFiles();
    });
    m_actions.addFolder = make(QStringLiteral("folder"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), [this] {
        m_tabs->setCurrentWidget(m_uploads);
        m_uploads->chooseFolder();
    });
    m_actions.settings
        = make(QStringLiteral("settings"), QKeySequence(Qt::CTRL | Qt::Key_Comma), [this] { openSettings(); });
    m_actions.quit = make(QString(), QKeySequence::Quit, [this] { close(); });
    m_actions.uploads
        = make(QStringLiteral("upload"), QKeySequence(Qt::CTRL | Qt::Key_1), [this] { showView(View::Uploads); });
    m_actions.search
        = make(QStringLiteral("search"), QKeySequence(Qt::CTRL | Qt::Key_2), [this] { showView(View::Search); });
    m_actions.chat = make(QStringLiteral("chat"), QKeySequence(Qt::CTRL | Qt::Key_3), [this] { showView(View::Chat); });
    m_actions.find
        = make(QStringLiteral("search"), QKeySequence(Qt::CTRL | Qt::Key_K), [this] { showView(View::Search); });
    m_actions.newConversation = make(QStringLiteral("new"), QKeySequence::New, [this] {
        m_tabs->setCurrentWidget(m_chat);
        m_chat->newConversation();
    });
    m_actions.about = make(QString(), QKeySequence(), [this] { showAbout(); });

    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->addAction(m_actions.addFiles);
    m_fileMenu->addAction(m_actions.addFolder);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_actions.settings);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_actions.quit);
    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->addAction(m_actions.uploads);
    m_viewMenu->addAction(m_actions.search);
    m_viewMenu->addAction(m_actions.chat);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_actions.find);
    m_chatMenu = menuBar()->addMenu(QString());
    m_chatMenu->addAction(m_actions.newConversation);
    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->addAction(m_actions.about);
}

void MainWindow::retranslate()
{
    setWindowTitle(m_options.builtInServer ? tr("EmailRAG") : tr("EmailRAG — %1").arg(m_options.serverLabel));
    m_tabs->setTabText(0, tr("Uploads"));
    m_tabs->setTabText(1, tr("Search"));
    m_tabs->setTabText(2, tr("Chat"));
    m_tabs->setTabToolTip(0, tr("Add mailboxes and watch them import (Ctrl+1)"));
    m_tabs->setTabToolTip(1, tr("Find emails (Ctrl+2, or Ctrl+K from anywhere)"));
    m_tabs->setTabToolTip(2, tr("Ask questions answered from your mail (Ctrl+3)"));
    m_tabs->setAccessibleName(tr("Views"));
    m_emailCount->setText(
        m_emailsIndexed < 0 ? QString() : tr("%1 emails indexed").arg(QLocale().toString(m_emailsIndexed)));
    if (!m_fileMenu)
        return;
    m_fileMenu->setTitle(tr("&File"));
    m_viewMenu->setTitle(tr("&View"));
    m_chatMenu->setTitle(tr("&Chat"));
    m_helpMenu->setTitle(tr("&Help"));
    m_actions.addFiles->setText(tr("&Add mailbox…"));
    m_actions.addFolder->setText(tr("Add Maildir &folder…"));
    m_actions.settings->setText(tr("&Settings…"));
    m_actions.quit->setText(tr("&Quit"));
    m_actions.uploads->setText(tr("&Uploads"));
    m_actions.search->setText(tr("&Search"));
    m_actions.chat->setText(tr("C&hat"));
    m_actions.find->setText(tr("&Find…"));
    m_actions.newConversation->setText(tr("&New conversation"));
    m_actions.about->setText(tr("&About EmailRAG"));
}

void MainWindow::onConnected()
{
    if (!m_connection)
        return;
    m_connection->getSystemStatus();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About EmailRAG"),
        tr("<h3>EmailRAG %1</h3><p>Search your email archives and ask questions answered from "
           "your own mail, with the sources cited.</p><p>Connected to: %2</p>")
            .arg(QCoreApplication::applicationVersion().toHtmlEscaped(), m_options.serverLabel.toHtmlEscaped()));
}

} // namespace emailrag::ui
