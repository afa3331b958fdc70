#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QListView;
class QStackedWidget;
class QToolButton;

namespace emailrag::client {
class Connection;
class SearchResultsModel;
} // namespace emailrag::client

// The Search view: a search field (operators and plain requests), hits that appear while the
// search streams (subject, sender, date, highlighted snippet, score bar), keyboard navigation
// (Down from the field into the list, Up from the top back), and a reading pane with the selected
// email. GUI thread; owned by the main window.
namespace emailrag::ui {

class EmailFetcher;
class ReadingPane;

class SearchView : public QWidget
{
    Q_OBJECT
public:
    explicit SearchView(client::Connection *connection, QWidget *parent = nullptr);

    void focusSearchField();
    void search(const QString &query);
    void openEmail(const QString &emailId, const QString &passage = QString());

    client::SearchResultsModel *model() const { return m_model; }
    QLineEdit *searchField() const { return m_field; }
    QListView *resultsView() const { return m_list; }
    ReadingPane *readingPane() const { return m_pane; }
    QString statusText() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void onSubmit();
    void onCurrentChanged();
    void updateStatus();
    void retranslate();

    client::Connection *m_connection = nullptr;
    client::SearchResultsModel *m_model = nullptr;
    EmailFetcher *m_fetcher = nullptr;
    QLineEdit *m_field = nullptr;
    QToolButton *m_stop = nullptr;
    QLabel *m_status = nullptr;
    QStackedWidget *m_stack = nullptr;
    class EmptyState *m_empty = nullptr;
    QListView *m_list = nullptr;
    ReadingPane *m_pane = nullptr;
};

} // namespace emailrag::ui
