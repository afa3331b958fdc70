#include "emptystate.h"

#include "icons.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace emailrag::ui {

EmptyState::EmptyState(const QString &iconName, QWidget *parent)
    : QWidget(parent)
{
    m_icon = new QLabel(this);
    m_icon->setPixmap(
        themedIcon(iconName, palette().color(QPalette::PlaceholderText)).pixmap(QSize(64, 64), devicePixelRatioF()));
    m_icon->setAlignment(Qt::AlignCenter);
    m_title = new QLabel(this);
    QFont f = m_title->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    f.setBold(true);
    m_title->setFont(f);
    m_title->setAlignment(Qt::AlignCenter);
    m_title->setWordWrap(true);
    m_text = new QLabel(this);
    m_text->setAlignment(Qt::AlignCenter);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_button = new QPushButton(this);
    m_button->setVisible(false);
    connect(m_button, &QPushButton::clicked, this, &EmptyState::buttonClicked);

    auto *layout = new QVBoxLayout(this);
    layout->addStretch(2);
    layout->addWidget(m_icon);
    layout->addWidget(m_title);
    layout->addWidget(m_text);
    layout->addWidget(m_button, 0, Qt::AlignHCenter);
    layout->addStretch(3);
    layout->setSpacing(12);
    setMinimumWidth(200);
}

void EmptyState::setTexts(const QString &title, const QString &text, const QString &buttonText)
{
    m_title->setText(title);
    m_text->setText(text);
    m_button->setText(buttonText);
    m_button->setVisible(!buttonText.isEmpty());
    m_button->setAccessibleName(buttonText);
    setAccessibleName(title);
    setAccessibleDescription(text);
}

QString EmptyState::title() const
{
    return m_title->text();
}

} // namespace emailrag::ui
