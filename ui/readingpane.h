#pragma once

#include "emaildocument.h"

#include <QWidget>

class QLabel;
class QTextBrowser;
class QUrl;

// Shows one email: headers, body (a cited passage highlighted and scrolled into view),
// attachments and the thread it belongs to. Clicking a thread entry asks for that email through
// emailRequested(); the owner fetches it and calls showEmail(). GUI thread; owned by its view.
namespace emailrag::ui {

class ReadingPane : public QWidget
{
    Q_OBJECT
public:
    explicit ReadingPane(QWidget *parent = nullptr);

    void showEmail(const EmailDocument &email, const QString &highlightPassage = QString());
    void showLoading();
    void showError(const QString &message);
    void clear();

    QString currentEmailId() const { return m_emailId; }
    bool passageHighlighted() const { return m_highlighted; }
    QString html() const; // for tests
    QTextBrowser *browser() const { return m_browser; }

Q_SIGNALS:
    void emailRequested(const QString &emailId);

private:
    void onAnchorClicked(const QUrl &url);

    QTextBrowser *m_browser = nullptr;
    QString m_emailId;
    bool m_highlighted = false;
};

} // namespace emailrag::ui
