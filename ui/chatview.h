#pragma once

#include <QTimer>
#include <QWidget>

class QListView;
class QPlainTextEdit;
class QPushButton;
class QTextBrowser;
class QToolButton;
class QUrl;

namespace emailrag::client {
class ChatModel;
class Connection;
class ConversationsModel;
} // namespace emailrag::client

// The Chat view: the conversation list, the transcript with the answer streaming in as it
// arrives, [n] citations as links that open the cited email in the reading pane with the cited
// passage highlighted, the sources under each answer, a question box (Enter sends, Shift+Enter
// adds a line), a stop button (Esc) and "new conversation". GUI thread; owned by the main window.
namespace emailrag::ui {

class EmailFetcher;
class EmptyState;
class ReadingPane;

class ChatView : public QWidget
{
    Q_OBJECT
public:
    explicit ChatView(client::Connection *connection, QWidget *parent = nullptr);

    void ask(const QString &question);
    void stop();
    void newConversation();
    void focusQuestion();
    // Opens source `number` of the answer in `row` (what a click on [number] does).
    bool openCitation(int row, int number);

    client::ChatModel *chatModel() const { return m_chat; }
    client::ConversationsModel *conversations() const { return m_conversations; }
    QTextBrowser *transcript() const { return m_transcript; }
    ReadingPane *readingPane() const { return m_pane; }
    QPlainTextEdit *questionBox() const { return m_question; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void onSend();
    void onAnchorClicked(const QUrl &url);
    void onConversationActivated();
    void scheduleRender();
    void render();
    void updateButtons();
    void retranslate();

    client::Connection *m_connection = nullptr;
    client::ChatModel *m_chat = nullptr;
    client::ConversationsModel *m_conversations = nullptr;
    EmailFetcher *m_fetcher = nullptr;
    QListView *m_list = nullptr;
    QPushButton *m_new = nullptr;
    EmptyState *m_empty = nullptr;
    QTextBrowser *m_transcript = nullptr;
    QPlainTextEdit *m_question = nullptr;
    QPushButton *m_send = nullptr;
    QPushButton *m_stop = nullptr;
    ReadingPane *m_pane = nullptr;
    QTimer m_renderTimer;
};

} // namespace emailrag::ui
