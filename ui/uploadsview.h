#pragma once

#include "notificationbanner.h"

#include <QPointer>
#include <QTemporaryDir>
#include <QWidget>

#include <memory>

class QListView;
class QMimeData;
class QPushButton;
class QStackedWidget;

namespace emailrag::client {
class Connection;
class UploadsModel;
} // namespace emailrag::client

// The Uploads view: mailboxes added by file dialog or drag and drop (mbox, .eml, a Maildir
// folder), one row per upload with a progress bar, processed/total, current operation, speed,
// time left, cancel and error details; an empty first-run state that says what to do. Maildir
// folders are packed into one mbox off the GUI thread before they are sent. GUI thread; owned by
// the main window.
namespace emailrag::ui {

class EmptyState;
class UploadRates;

class UploadsView : public QWidget
{
    Q_OBJECT
public:
    explicit UploadsView(client::Connection *connection, QWidget *parent = nullptr);
    ~UploadsView() override;

    // Starts one upload per file or folder.
    void addPaths(const QStringList &paths);
    void chooseFiles();
    void chooseFolder();
    void cancelSelected();
    void showSelectedError();

    client::UploadsModel *model() const { return m_model; }
    QListView *listView() const { return m_list; }
    UploadRates *rates() const { return m_rates; }
    int runningJobs() const { return m_jobs; }
    // Paths accepted from a drop: local files and folders only.
    static QStringList droppablePaths(const QMimeData *mime);

Q_SIGNALS:
    void notify(emailrag::ui::NotificationBanner::Level level, const QString &text);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void uploadFile(const QString &path, const QString &displayName, bool removeAfter);
    void packAndUpload(const QString &folder);
    void updateState();
    void retranslate();

    client::Connection *m_connection = nullptr;
    client::UploadsModel *m_model = nullptr;
    UploadRates *m_rates = nullptr;
    QStackedWidget *m_stack = nullptr;
    EmptyState *m_empty = nullptr;
    QListView *m_list = nullptr;
    QPushButton *m_addFiles = nullptr;
    QPushButton *m_addFolder = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_details = nullptr;
    std::unique_ptr<QTemporaryDir> m_packDir; // packed Maildir folders, removed with the view
    int m_jobs = 0;
};

} // namespace emailrag::ui
