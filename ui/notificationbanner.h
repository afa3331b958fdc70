#pragma once

#include <QFrame>
#include <QTimer>

class QLabel;
class QToolButton;

// A non-modal strip at the top of the main window for system notifications, new-email notices
// and errors. Never blocks input; info messages hide after a few seconds, warnings and errors stay
// until closed (Esc or the close button). A newer message replaces the shown one. GUI thread;
// owned by the main window.
namespace emailrag::ui {

class NotificationBanner : public QFrame
{
    Q_OBJECT
public:
    enum class Level { Info, Warning, Error };

    explicit NotificationBanner(QWidget *parent = nullptr);

    void showMessage(Level level, const QString &text);
    QString text() const;
    Level level() const { return m_level; }
    static Level levelFromString(const QString &level); // "info", "warning", "error", "critical"

Q_SIGNALS:
    void dismissed();

protected:
    void changeEvent(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void dismiss();
    void applyColours();

    QLabel *m_icon = nullptr;
    QLabel *m_text = nullptr;
    QToolButton *m_close = nullptr;
    QTimer m_hideTimer;
    Level m_level = Level::Info;
};

} // namespace emailrag::ui
