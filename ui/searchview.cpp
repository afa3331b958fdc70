#include "searchview.h"

#include "connection.h"
#include "emailfetcher.h"
#include "emptystate.h"
#include "icons.h"
#include "readingpane.h"
#include "searchhitdelegate.h"
#include "searchresultsmodel.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QSplitter>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>

namespace emailrag::ui {

SearchView::SearchView(client::Connection *connection, QWidget *parent)
    : QWidget(parent)
    , m_connection(connection)
{
    setObjectName(QStringLiteral("searchView"));
    m_model = new client::SearchResultsModel(this);
    m_model->setConnection(connection);
    m_fetcher = new EmailFetcher(connection, this);

    m_field = new QLineEdit(this);
    m_field->setObjectName(QStringLiteral("searchField"));
    m_field->setClearButtonEnabled(true);
    m_field->addAction(themedIcon(QStringLiteral("search")), QLineEdit::LeadingPosition);
    m_field->installEventFilter(this);
    connect(m_field, &QLineEdit::returnPressed, this, &SearchView::onSubmit);

    m_stop = new QToolButton(this);
    m_stop->setIcon(themedIcon(QStringLiteral("stop")));
    m_stop->setEnabled(false);
    connect(m_stop, &QToolButton::clicked, m_model, &client::SearchResultsModel::cancel);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("searchStatus"));

    m_empty = new EmptyState(QStringLiteral("search"), this);
    m_list = new QListView(this);
    m_list->setObjectName(QStringLiteral("searchResults"));
    m_list->setModel(m_model);
    m_list->setItemDelegate(new SearchHitDelegate(m_list));
    m_list->setUniformItemSizes(false);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_list->installEventFilter(this);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, &SearchView::onCurrentChanged);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_list);

    m_pane = new ReadingPane(this);
    connect(m_pane, &ReadingPane::emailRequested, this, [this](const QString &id) { openEmail(id); });
    connect(m_fetcher, &EmailFetcher::loaded, m_pane, &ReadingPane::showEmail);
    connect(m_fetcher, &EmailFetcher::failed, m_pane, &ReadingPane::showError);

    connect(m_model, &client::SearchResultsModel::runningChanged, this, &SearchView::updateStatus);
    connect(m_model, &client::SearchResultsModel::resultAppended, this, [this](int row) {
        m_stack->setCurrentWidget(m_list);
        // The first hit is selected as soon as it arrives, unless the user already moved.
        if (row == 0 && !m_list->currentIndex().isValid() && !m_list->hasFocus())
            m_list->setCurrentIndex(m_model->index(0, 0));
        updateStatus();
    });
    connect(m_model, &client::SearchResultsModel::completed, this, &SearchView::updateStatus);
    connect(m_model, &client::SearchResultsModel::failed, this, &SearchView::updateStatus);
    connect(m_model, &QAbstractItemModel::modelReset, this, &SearchView::updateStatus);

    auto *top = new QHBoxLayout;
    top->addWidget(m_field, 1);
    top->addWidget(m_stop);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(top);
    leftLayout->addWidget(m_status);
    leftLayout->addWidget(m_stack, 1);
    auto *splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(m_pane);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);
    setFocusProxy(m_field);
    retranslate();
    updateStatus();
}

void SearchView::focusSearchField()
{
    m_field->setFocus(Qt::ShortcutFocusReason);
    m_field->selectAll();
}

void SearchView::search(const QString &query)
{
    m_field->setText(query);
    onSubmit();
}

void SearchView::openEmail(const QString &emailId, const QString &passage)
{
    m_pane->showLoading();
    m_fetcher->fetch(emailId, passage);
}

QString SearchView::statusText() const
{
    return m_status->text();
}

bool SearchView::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (watched == m_field && key->key() == Qt::Key_Down && m_model->rowCount() > 0) {
            m_list->setFocus(Qt::TabFocusReason);
            if (!m_list->currentIndex().isValid())
                m_list->setCurrentIndex(m_model->index(0, 0));
            return true;
        }
        if (watched == m_list && key->key() == Qt::Key_Up && m_list->currentIndex().row() <= 0) {
            focusSearchField();
            return true;
        }
        if (watched == m_list && (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)) {
            m_pane->browser()->setFocus(Qt::TabFocusReason);
            return true;
        }
        if (watched == m_field && key->key() == Qt::Key_Escape && m_model->isRunning()) {
            m_model->cancel();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void SearchView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void SearchView::onSubmit()
{
    const QString query = m_field->text().trimmed();
    if (query.isEmpty())
        return;
    m_list->clearSelection();
    m_list->setCurrentIndex({});
    m_pane->clear();
    m_model->search(query);
    updateStatus();
}

void SearchView::onCurrentChanged()
{
    const QModelIndex index = m_list->currentIndex();
    if (!index.isValid())
        return;
    const QString id = index.data(client::SearchResultsModel::EmailIdRole).toString();
    if (id != m_pane->currentEmailId())
        openEmail(id);
}

void SearchView::updateStatus()
{
    const int rows = m_model->rowCount();
    m_stop->setEnabled(m_model->isRunning());
    if (!m_model->errorText().isEmpty()) {
        m_status->setText(m_model->errorText());
    } else if (m_model->isRunning()) {
        m_status->setText(rows == 0 ? tr("Searching…") : tr("Searching… %n result(s) so far", nullptr, rows));
    } else if (m_model->isComplete()) {
        m_status->setText(
            tr("%n result(s) in %1 ms", nullptr, int(m_model->totalResults())).arg(m_model->processingTimeMs()));
        if (rows == 0) {
            m_empty->setTexts(tr("No email matches"),
                tr("Try fewer words, another spelling, or remove a filter such as <i>from:</i> or <i>after:</i>."));
            m_stack->setCurrentWidget(m_empty);
        }
    } else {
        m_status->clear();
    }
    m_status->setVisible(!m_status->text().isEmpty());
}

void SearchView::retranslate()
{
    m_field->setPlaceholderText(
        tr("Search mail: words, \"phrases\", from:anna, after:2001-01-01, has:attachment… (Ctrl+K)"));
    m_field->setAccessibleName(tr("Search"));
    m_field->setToolTip(tr("Type words or a question and press Enter. Operators: from: to: subject: "
                           "has:attachment filename: before: after: date: \"phrase\" -word OR"));
    m_stop->setToolTip(tr("Stop the search (Esc)"));
    m_stop->setAccessibleName(tr("Stop search"));
    m_list->setAccessibleName(tr("Search results"));
    if (m_model->rowCount() == 0 && !m_model->isComplete()) {
        m_empty->setTexts(tr("Find an email"),
            tr("Type what you remember — words, a sender, a date — or ask in plain words, e.g. "
               "<i>invoices from Anna last month</i>. Press <b>Ctrl+K</b> from anywhere to search."));
    }
    updateStatus();
}

} // namespace emailrag::ui
