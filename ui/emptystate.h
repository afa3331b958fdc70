#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

// A centred hint shown where a view has nothing yet ("Drop a mailbox here", "Ask a question"):
// an icon, a title, a line of explanation and an optional button. GUI thread; owned by its view.
namespace emailrag::ui {

class EmptyState : public QWidget
{
    Q_OBJECT
public:
    EmptyState(const QString &iconName, QWidget *parent = nullptr);

    void setTexts(const QString &title, const QString &text, const QString &buttonText = QString());
    QPushButton *button() const { return m_button; }
    QString title() const;

Q_SIGNALS:
    void buttonClicked();

private:
    QLabel *m_icon = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_text = nullptr;
    QPushButton *m_button = nullptr;
};

} // namespace emailrag::ui
