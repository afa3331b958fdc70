#include "chatview.h"

#include "chatmodel.h"
#include "connection.h"
#include "conversationsmodel.h"
#include "emailfetcher.h"
#include "emptystate.h"
#include "icons.h"
#include "readingpane.h"
#include "richtext.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace emailrag::ui {

using client::ChatModel;

ChatView::ChatView(client::Connection *connection, QWidget *parent)
    : QWidget(parent)
    , m_connection(connection)
{
    setObjectName(QStringLiteral("chatView"));
    m_chat = new ChatModel(this);
    m_chat->setConnection(connection);
    m_conversations = new client::ConversationsModel(this);
    m_conversations->setConnection(connection);
    m_fetcher = new EmailFetcher(connection, this);

    // Left: conversations.
    m_new = new QPushButton(themedIcon(QStringLiteral("new")), QString(), this);
    m_new->setObjectName(QStringLiteral("newConversation"));
    connect(m_new, &QPushButton::clicked, this, &ChatView::newConversation);
    m_list = new QListView(this);
    m_list->setObjectName(QStringLiteral("conversationList"));
    m_list->setModel(m_conversations);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setTextElideMode(Qt::ElideRight);
    connect(m_list, &QListView::activated, this, &ChatView::onConversationActivated);
    connect(m_list, &QListView::clicked, this, &ChatView::onConversationActivated);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_new);
    leftLayout->addWidget(m_list, 1);

    // Middle: transcript and question.
    m_empty = new EmptyState(QStringLiteral("chat"), this);
    m_transcript = new QTextBrowser(this);
    m_transcript->setObjectName(QStringLiteral("transcript"));
    m_transcript->setOpenLinks(false);
    connect(m_transcript, &QTextBrowser::anchorClicked, this, &ChatView::onAnchorClicked);
    auto *stack = new QStackedWidget(this);
    stack->addWidget(m_empty);
    stack->addWidget(m_transcript);
    m_question = new QPlainTextEdit(this);
    m_question->setObjectName(QStringLiteral("questionBox"));
    m_question->setTabChangesFocus(true);
    m_question->setMaximumHeight(QFontMetrics(font()).height() * 5);
    m_question->installEventFilter(this);
    m_send = new QPushButton(themedIcon(QStringLiteral("send")), QString(), this);
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_stop = new QPushButton(themedIcon(QStringLiteral("stop")), QString(), this);
    m_stop->setObjectName(QStringLiteral("stopButton"));
    connect(m_send, &QPushButton::clicked, this, &ChatView::onSend);
    connect(m_stop, &QPushButton::clicked, this, &ChatView::stop);
    auto *buttons = new QVBoxLayout;
    buttons->addWidget(m_send);
    buttons->addWidget(m_stop);
    buttons->addStretch();
    auto *inputRow = new QHBoxLayout;
    inputRow->addWidget(m_question, 1);
    inputRow->addLayout(buttons);
    auto *middle = new QWidget(this);
    auto *middleLayout = new QVBoxLayout(middle);
    middleLayout->setContentsMargins(0, 0, 0, 0);
    middleLayout->addWidget(stack, 1);
    middleLayout->addLayout(inputRow);

    // Right: the cited email.
    m_pane = new ReadingPane(this);
    connect(m_pane, &ReadingPane::emailRequested, this, [this](const QString &id) {
        m_pane->showLoading();
        m_fetcher->fetch(id);
    });
    connect(m_fetcher, &EmailFetcher::loaded, m_pane, &ReadingPane::showEmail);
    connect(m_fetcher, &EmailFetcher::failed, m_pane, &ReadingPane::showError);

    auto *splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(middle);
    splitter->addWidget(m_pane);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 2);
    splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    // Streaming chunks can arrive many times a second; the transcript is redrawn at most every
    // 40 ms so that the window stays responsive.
    m_renderTimer.setSingleShot(true);
    m_renderTimer.setInterval(40);
    connect(&m_renderTimer, &QTimer::timeout, this, &ChatView::render);
    connect(m_chat, &QAbstractItemModel::rowsInserted, this, &ChatView::scheduleRender);
    connect(m_chat, &QAbstractItemModel::dataChanged, this, &ChatView::scheduleRender);
    connect(m_chat, &QAbstractItemModel::modelReset, this, &ChatView::scheduleRender);
    connect(m_chat, &QAbstractItemModel::rowsRemoved, this, &ChatView::scheduleRender);
    connect(m_chat, &ChatModel::answerCompleted, this, &ChatView::render);
    connect(m_chat, &ChatModel::answerFailed, this, &ChatView::render);
    connect(m_chat, &ChatModel::busyChanged, this, &ChatView::updateButtons);
    connect(m_chat, &ChatModel::conversationIdChanged, this, [this](const QString &id) {
        const int row = m_conversations->rowOf(id);
        if (row >= 0)
            m_list->setCurrentIndex(m_conversations->index(row));
    });
    connect(m_transcript, &QTextBrowser::textChanged, this, [this, stack] {
        stack->setCurrentWidget(m_chat->rowCount() > 0 ? static_cast<QWidget *>(m_transcript) : m_empty);
    });
    connect(m_question, &QPlainTextEdit::textChanged, this, &ChatView::updateButtons);
    if (connection) {
        connect(connection, &client::Connection::connected, m_conversations, [this] { m_conversations->refresh(); });
        if (connection->isConnected())
            m_conversations->refresh();
    }
    setFocusProxy(m_question);
    retranslate();
    updateButtons();
}

void ChatView::ask(const QString &question)
{
    m_question->setPlainText(question);
    onSend();
}

void ChatView::stop()
{
    m_chat->cancel();
}

void ChatView::newConversation()
{
    m_chat->clear();
    m_list->clearSelection();
    m_list->setCurrentIndex({});
    m_pane->clear();
    render();
    focusQuestion();
}

void ChatView::focusQuestion()
{
    m_question->setFocus(Qt::OtherFocusReason);
}

bool ChatView::openCitation(int row, int number)
{
    if (row < 0 || row >= m_chat->rowCount())
        return false;
    const auto &sources = m_chat->turn(row).sources;
    if (number < 1 || number > sources.size())
        return false;
    const auto &source = sources.at(number - 1);
    m_pane->showLoading();
    m_fetcher->fetch(source.emailId, source.passage.value_or(QString()));
    return true;
}

bool ChatView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_question && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && !(key->modifiers() & Qt::ShiftModifier)) {
            onSend();
            return true;
        }
        if (key->key() == Qt::Key_Escape && m_chat->isBusy()) {
            stop();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ChatView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ChatView::onSend()
{
    const QString text = m_question->toPlainText().trimmed();
    if (text.isEmpty() || m_chat->isBusy())
        return;
    m_question->clear();
    m_chat->ask(text);
    render();
}

void ChatView::onAnchorClicked(const QUrl &url)
{
    int row = 0, number = 0;
    if (richtext::parseCitation(url, &row, &number))
        openCitation(row, number);
}

void ChatView::onConversationActivated()
{
    const QModelIndex index = m_list->currentIndex();
    if (!index.isValid())
        return;
    const QString id = index.data(client::ConversationsModel::ConversationIdRole).toString();
    if (id == m_chat->conversationId() || m_chat->isBusy())
        return;
    m_chat->load(id);
    m_pane->clear();
}

void ChatView::scheduleRender()
{
    if (!m_renderTimer.isActive())
        m_renderTimer.start();
}

void ChatView::render()
{
    m_renderTimer.stop();
    QScrollBar *bar = m_transcript->verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum() - 4;
    const int keep = bar->value();
    const QLocale locale;
    const QColor base = palette().color(QPalette::Base), accent = palette().color(QPalette::Highlight);
    const qreal k = 0.14;
    const QString questionBackground = QColor::fromRgbF(base.redF() * (1 - k) + accent.redF() * k,
        base.greenF() * (1 - k) + accent.greenF() * k, base.blueF() * (1 - k) + accent.blueF() * k)
                                           .name();
    QString html;
    for (int row = 0; row < m_chat->rowCount(); ++row) {
        const QModelIndex index = m_chat->index(row);
        const auto &turn = m_chat->turn(row);
        const bool streaming = index.data(ChatModel::StreamingRole).toBool();
        const QString error = index.data(ChatModel::ErrorRole).toString();
        if (turn.role == protocol::ChatRole::User) {
            // The question on a tint of the highlight colour, readable in light and dark palettes.
            html += QStringLiteral(
                "<table width=\"100%\" cellpadding=\"6\" style=\"margin-top:10px;\" bgcolor=\"%1\"><tr><td>"
                "<b>%2</b><br>%3</td></tr></table>")
                        .arg(questionBackground, tr("You").toHtmlEscaped(), richtext::answerToHtml(turn.text, 0, row));
            continue;
        }
        html += QStringLiteral("<p><b>%1</b><br>%2%3</p>")
                    .arg(tr("EmailRAG").toHtmlEscaped(),
                        richtext::answerToHtml(turn.text, int(turn.sources.size()), row),
                        streaming ? QStringLiteral(" <i>▍</i>") : QString());
        if (streaming && turn.text.isEmpty())
            html += QStringLiteral("<p><i>%1</i></p>").arg(tr("Looking through your mail…").toHtmlEscaped());
        if (!error.isEmpty())
            html += QStringLiteral("<p style=\"color:#c03030;\">%1</p>").arg(error.toHtmlEscaped());
        if (!turn.sources.isEmpty()) {
            html += QStringLiteral(
                "<p style=\"margin-bottom:0;\"><small><b>%1</b></small></p><ol style=\"margin-top:0;\">")
                        .arg(tr("Sources").toHtmlEscaped());
            for (int n = 1; n <= turn.sources.size(); ++n) {
                const auto &s = turn.sources.at(n - 1);
                QString subject = s.subject.value_or(QString());
                if (subject.isEmpty())
                    subject = tr("(no subject)");
                QString meta;
                if (s.from)
                    meta += s.from->name.isEmpty() ? s.from->address : s.from->name;
                if (s.date && s.date->isValid())
                    meta += (meta.isEmpty() ? QString() : QStringLiteral(", "))
                        + locale.toString(s.date->toLocalTime().date(), QLocale::ShortFormat);
                html += QStringLiteral("<li><small><a href=\"%1:%2/%3\">%4</a> — %5</small></li>")
                            .arg(QLatin1String(richtext::kCiteScheme))
                            .arg(row)
                            .arg(n)
                            .arg(subject.toHtmlEscaped(), meta.toHtmlEscaped());
            }
            html += QStringLiteral("</ol>");
        }
    }
    m_transcript->setHtml(html);
    bar->setValue(atEnd ? bar->maximum() : keep);
    m_transcript->setAccessibleDescription(
        m_chat->rowCount() > 0 ? m_chat->turn(m_chat->rowCount() - 1).text : QString());
}

void ChatView::updateButtons()
{
    const bool busy = m_chat->isBusy();
    m_send->setEnabled(!busy && !m_question->toPlainText().trimmed().isEmpty());
    m_stop->setEnabled(busy);
}

void ChatView::retranslate()
{
    m_new->setText(tr("&New conversation"));
    m_new->setAccessibleName(tr("New conversation"));
    m_list->setAccessibleName(tr("Conversations"));
    m_transcript->setAccessibleName(tr("Conversation"));
    m_question->setPlaceholderText(tr("Ask a question about your mail (Enter sends, Shift+Enter adds a line)"));
    m_question->setAccessibleName(tr("Question"));
    m_send->setText(tr("&Send"));
    m_send->setAccessibleName(tr("Send question"));
    m_stop->setText(tr("S&top"));
    m_stop->setAccessibleName(tr("Stop the answer"));
    m_stop->setToolTip(tr("Stop the answer (Esc)"));
    m_empty->setTexts(tr("Ask your mail"),
        tr("Ask in plain words, e.g. <i>What did Anna say about the budget?</i> The answer cites "
           "the emails it comes from: click a [1] to read the email with the passage marked."));
    render();
}

} // namespace emailrag::ui
