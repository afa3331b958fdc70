#include "uploadsview.h"

#include "connection.h"
#include "emptystate.h"
#include "icons.h"
#include "maildirpacker.h"
#include "uploaddelegate.h"
#include "uploadjob.h"
#include "uploadrates.h"
#include "uploadsmodel.h"

#include <QCoreApplication>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QListView>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace emailrag::ui {

using client::UploadsModel;

UploadsView::UploadsView(client::Connection *connection, QWidget *parent)
    : QWidget(parent)
    , m_connection(connection)
{
    setObjectName(QStringLiteral("uploadsView"));
    setAcceptDrops(true);
    m_model = new UploadsModel(this);
    m_model->setConnection(connection);
    m_rates = new UploadRates(this);
    m_rates->setSourceModel(m_model);

    m_addFiles = new QPushButton(themedIcon(QStringLiteral("upload")), QString(), this);
    m_addFiles->setObjectName(QStringLiteral("addMailbox"));
    m_addFolder = new QPushButton(themedIcon(QStringLiteral("folder")), QString(), this);
    m_cancel = new QPushButton(themedIcon(QStringLiteral("cancel")), QString(), this);
    m_details = new QPushButton(themedIcon(QStringLiteral("error")), QString(), this);
    connect(m_addFiles, &QPushButton::clicked, this, &UploadsView::chooseFiles);
    connect(m_addFolder, &QPushButton::clicked, this, &UploadsView::chooseFolder);
    connect(m_cancel, &QPushButton::clicked, this, &UploadsView::cancelSelected);
    connect(m_details, &QPushButton::clicked, this, &UploadsView::showSelectedError);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_addFiles);
    buttons->addWidget(m_addFolder);
    buttons->addStretch();
    buttons->addWidget(m_details);
    buttons->addWidget(m_cancel);

    m_empty = new EmptyState(QStringLiteral("drop"), this);
    connect(m_empty, &EmptyState::buttonClicked, this, &UploadsView::chooseFiles);
    m_list = new QListView(this);
    m_list->setObjectName(QStringLiteral("uploadList"));
    m_list->setModel(m_rates);
    m_list->setItemDelegate(new UploadDelegate(m_list));
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, &UploadsView::updateState);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_list);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_stack, 1);

    connect(m_model, &QAbstractItemModel::rowsInserted, this, &UploadsView::updateState);
    connect(m_model, &QAbstractItemModel::modelReset, this, &UploadsView::updateState);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &UploadsView::updateState);
    if (connection) {
        connect(connection, &client::Connection::connected, m_model, [this] { m_model->refresh(); });
        if (connection->isConnected())
            m_model->refresh();
    }
    retranslate();
    updateState();
}

UploadsView::~UploadsView() = default;

void UploadsView::addPaths(const QStringList &paths)
{
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (info.isDir())
            packAndUpload(info.absoluteFilePath());
        else if (info.isFile())
            uploadFile(info.absoluteFilePath(), info.fileName(), false);
        else
            Q_EMIT notify(NotificationBanner::Level::Error, tr("%1 is neither a file nor a folder.").arg(path));
    }
}

void UploadsView::chooseFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Add mailboxes"), QString(),
        tr("Mailboxes (*.mbox *.mbx *.eml *.txt *);;mbox files (*.mbox *.mbx);;Single emails (*.eml)"));
    addPaths(files);
}

void UploadsView::chooseFolder()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Add a Maildir folder"));
    if (!dir.isEmpty())
        addPaths({ dir });
}

void UploadsView::cancelSelected()
{
    const QModelIndex index = m_list->currentIndex();
    if (!index.isValid() || !m_connection)
        return;
    const QString id = index.data(UploadsModel::UploadIdRole).toString();
    if (!id.isEmpty() && !index.data(UploadsModel::FinishedRole).toBool())
        m_connection->cancelUpload(id);
}

void UploadsView::showSelectedError()
{
    const QModelIndex index = m_list->currentIndex();
    const QString error = index.data(UploadsModel::ErrorRole).toString();
    if (error.isEmpty())
        return;
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Upload failed"),
        tr("%1 could not be imported.").arg(index.data(UploadsModel::FilenameRole).toString()), QMessageBox::Close,
        this);
    box->setDetailedText(error);
    box->setInformativeText(error);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

QStringList UploadsView::droppablePaths(const QMimeData *mime)
{
    QStringList paths;
    if (!mime || !mime->hasUrls())
        return paths;
    for (const QUrl &url : mime->urls()) {
        if (url.isLocalFile() && QFileInfo::exists(url.toLocalFile()))
            paths << url.toLocalFile();
    }
    return paths;
}

void UploadsView::dragEnterEvent(QDragEnterEvent *event)
{
    if (!droppablePaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void UploadsView::dropEvent(QDropEvent *event)
{
    const QStringList paths = droppablePaths(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    addPaths(paths);
}

void UploadsView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void UploadsView::uploadFile(const QString &path, const QString &displayName, bool removeAfter)
{
    if (!m_connection)
        return;
    auto *job = new client::UploadJob(m_connection, path, this);
    ++m_jobs;
    const QString name = displayName;
    connect(job, &client::UploadJob::started, this, [this, job, name](const QString &id) {
        m_model->setTransfer(id, name, 0, job->size());
        const int row = m_model->rowOf(id);
        if (row >= 0 && !m_list->currentIndex().isValid())
            m_list->setCurrentIndex(m_rates->index(row, 0));
    });
    connect(job, &client::UploadJob::bytesSent, this, [this, job, name](qint64 sent, qint64 total) {
        if (!job->uploadId().isEmpty())
            m_model->setTransfer(job->uploadId(), name, sent, total);
    });
    auto done = [this, job, path, removeAfter] {
        --m_jobs;
        if (removeAfter)
            QFile::remove(path);
        job->deleteLater();
        updateState();
    };
    connect(job, &client::UploadJob::finished, this, done);
    connect(job, &client::UploadJob::failed, this, [this, name, done](const QString &error) {
        Q_EMIT notify(NotificationBanner::Level::Error, tr("Upload of %1 failed: %2").arg(name, error));
        done();
    });
    job->start();
    m_stack->setCurrentWidget(m_list);
}

void UploadsView::packAndUpload(const QString &folder)
{
    if (!m_packDir)
        m_packDir = std::make_unique<QTemporaryDir>();
    // One folder per packing, so that the upload is called "<folder>.mbox" on the server too.
    static int serial = 0;
    const QString subdir = m_packDir->filePath(QString::number(++serial));
    QDir().mkpath(subdir);
    const QString name = QFileInfo(folder).fileName() + QStringLiteral(".mbox");
    const QString target = subdir + QLatin1Char('/') + name;
    ++m_jobs;
    Q_EMIT notify(
        NotificationBanner::Level::Info, tr("Collecting the messages of %1…").arg(QFileInfo(folder).fileName()));
    auto *watcher = new QFutureWatcher<client::PackResult>(this);
    connect(watcher, &QFutureWatcher<client::PackResult>::finished, this, [this, watcher, target, name, folder] {
        const client::PackResult result = watcher->result();
        watcher->deleteLater();
        --m_jobs;
        if (!result.ok) {
            // The context keeps the string where the translations already have it.
            const QString why = result.noMessages
                ? QCoreApplication::translate("emailrag::ui::MaildirPacker", "The folder %1 holds no messages.").arg(folder)
                : result.error;
            Q_EMIT notify(NotificationBanner::Level::Error, tr("%1 could not be read: %2").arg(name, why));
            updateState();
            return;
        }
        uploadFile(target, name, true);
    });
    watcher->setFuture(QtConcurrent::run(client::packMaildir, folder, target));
}

void UploadsView::updateState()
{
    const bool any = m_model->rowCount() > 0 || m_jobs > 0;
    m_stack->setCurrentWidget(any ? static_cast<QWidget *>(m_list) : m_empty);
    const QModelIndex index = m_list->currentIndex();
    m_cancel->setEnabled(index.isValid() && !index.data(UploadsModel::FinishedRole).toBool());
    m_details->setEnabled(index.isValid() && !index.data(UploadsModel::ErrorRole).toString().isEmpty());
}

void UploadsView::retranslate()
{
    m_addFiles->setText(tr("&Add mailbox…"));
    m_addFiles->setAccessibleName(tr("Add mailbox files"));
    m_addFiles->setToolTip(tr("mbox files (Thunderbird, Gmail Takeout) and .eml files"));
    m_addFolder->setText(tr("Add &folder…"));
    m_addFolder->setAccessibleName(tr("Add a Maildir folder"));
    m_cancel->setText(tr("&Cancel upload"));
    m_cancel->setAccessibleName(tr("Cancel the selected upload"));
    m_details->setText(tr("Error &details"));
    m_details->setAccessibleName(tr("Show why the selected upload failed"));
    m_list->setAccessibleName(tr("Uploads"));
    m_empty->setTexts(tr("Bring in your mail"),
        tr("Drop an mbox file, .eml files or a Maildir folder anywhere on this window, "
           "or choose them with <b>Add mailbox…</b>. Everything stays on this computer."),
        tr("Add mailbox…"));
}

} // namespace emailrag::ui
