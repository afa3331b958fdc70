#pragma once

#include "notificationbanner.h"
#include "uisettings.h"

#include <QMainWindow>

class QLabel;
class QTabWidget;

namespace emailrag::client {
class Connection;
class NotificationsModel;
class SecretStore;
} // namespace emailrag::client

// The main window: Uploads, Search and Chat views in tabs, a non-modal notification banner, the
// connection state (server, user) and the number of indexed emails in the status bar, menus with
// keyboard shortcuts (Ctrl+K search from anywhere, Ctrl+1/2/3 views, Ctrl+O add mailbox, Ctrl+N
// new conversation, Ctrl+, settings), drag and drop of mailboxes anywhere on the window, and the
// settings dialog. It talks to the server only through the client connection it is given.
// GUI thread; owned by the mode that creates it (connection and secret store outlive it).
namespace emailrag::ui {

class ChatView;
class ConnectionStatus;
class SearchView;
class UploadsView;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    struct Options
    {
        QString serverLabel; // shown in the status bar, e.g. "built-in server (127.0.0.1:8000)"
        QString userName;
        bool builtInServer = true;
        QString settingsFile; // empty: the user's QSettings
    };

    MainWindow(
        client::Connection *connection, client::SecretStore *secrets, Options options, QWidget *parent = nullptr);

    UploadsView *uploadsView() const { return m_uploads; }
    SearchView *searchView() const { return m_search; }
    ChatView *chatView() const { return m_chat; }
    NotificationBanner *banner() const { return m_banner; }
    ConnectionStatus *connectionStatus() const { return m_status; }
    QTabWidget *tabs() const { return m_tabs; }

    enum class View { Uploads, Search, Chat };
    void showView(View view);
    void openSettings();

Q_SIGNALS:
    void settingsChanged(const emailrag::ui::UiSettings &settings);
    // The server refused the token (connect mode: log in again; desktop mode: issue a new one).
    void loginRequired();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void retranslate();
    void onConnected();
    void showAbout();

    client::Connection *m_connection = nullptr;
    client::SecretStore *m_secrets = nullptr;
    client::NotificationsModel *m_notifications = nullptr;
    Options m_options;
    NotificationBanner *m_banner = nullptr;
    QTabWidget *m_tabs = nullptr;
    UploadsView *m_uploads = nullptr;
    SearchView *m_search = nullptr;
    ChatView *m_chat = nullptr;
    ConnectionStatus *m_status = nullptr;
    QLabel *m_emailCount = nullptr;
    qint64 m_emailsIndexed = -1;

    struct Actions
    {
        QAction *addFiles, *addFolder, *settings, *quit, *uploads, *search, *chat, *find, *newConversation, *about;
    } m_actions {};
    QMenu *m_fileMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_chatMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
};

} // namespace emailrag::ui
