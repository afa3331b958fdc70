#include "notificationbanner.h"

#include "icons.h"

#include <QAccessible>
#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QToolButton>

namespace emailrag::ui {

NotificationBanner::NotificationBanner(QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("notificationBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setFocusPolicy(Qt::TabFocus);
    setAccessibleName(tr("Notification"));
    m_icon = new QLabel(this);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_close = new QToolButton(this);
    m_close->setIcon(themedIcon(QStringLiteral("close")));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Close notification"));
    m_close->setAccessibleName(tr("Close notification"));
    connect(m_close, &QToolButton::clicked, this, &NotificationBanner::dismiss);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_icon);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_close);
    m_hideTimer.setSingleShot(true);
    connect(&m_hideTimer, &QTimer::timeout, this, &NotificationBanner::dismiss);
    hide();
}

void NotificationBanner::showMessage(Level level, const QString &text)
{
    m_level = level;
    m_text->setText(text);
    const QString iconName = level == Level::Error ? QStringLiteral("error")
        : level == Level::Warning                  ? QStringLiteral("warning")
                                                   : QStringLiteral("info");
    m_icon->setPixmap(themedIcon(iconName).pixmap(QSize(20, 20), devicePixelRatioF()));
    applyColours();
    setAccessibleDescription(text);
    show();
    // Screen readers announce the banner like an alert, without taking the focus away.
    QAccessibleEvent event(this, QAccessible::Alert);
    QAccessible::updateAccessibility(&event);
    if (level == Level::Info)
        m_hideTimer.start(8000);
    else
        m_hideTimer.stop();
}

QString NotificationBanner::text() const
{
    return isVisible() ? m_text->text() : QString();
}

NotificationBanner::Level NotificationBanner::levelFromString(const QString &level)
{
    if (level == QLatin1String("error") || level == QLatin1String("critical"))
        return Level::Error;
    if (level == QLatin1String("warning"))
        return Level::Warning;
    return Level::Info;
}

void NotificationBanner::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange && isVisible())
        applyColours();
    QFrame::changeEvent(event);
}

void NotificationBanner::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        dismiss();
        return;
    }
    QFrame::keyPressEvent(event);
}

void NotificationBanner::dismiss()
{
    m_hideTimer.stop();
    hide();
    Q_EMIT dismissed();
}

void NotificationBanner::applyColours()
{
    // A tint of the level's colour over the window background keeps the text readable in both
    // light and dark palettes.
    const QColor base
        = parentWidget() ? parentWidget()->palette().color(QPalette::Window) : palette().color(QPalette::Window);
    const QColor accent = m_level == Level::Error ? QColor(0xd0, 0x30, 0x30)
        : m_level == Level::Warning               ? QColor(0xd0, 0x90, 0x10)
                                                  : QColor(0x30, 0x80, 0xd0);
    const qreal a = 0.22;
    const QColor mixed = QColor::fromRgbF(base.redF() * (1 - a) + accent.redF() * a,
        base.greenF() * (1 - a) + accent.greenF() * a, base.blueF() * (1 - a) + accent.blueF() * a);
    QPalette p = palette();
    p.setColor(QPalette::Window, mixed);
    setPalette(p);
}

} // namespace emailrag::ui
