#include "connectionstatus.h"

#include "connection.h"
#include "icons.h"

#include <QAccessible>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>

namespace emailrag::ui {

using client::Connection;

ConnectionStatus::ConnectionStatus(Connection *connection, QWidget *parent)
    : QWidget(parent)
    , m_connection(connection)
{
    setObjectName(QStringLiteral("connectionStatus"));
    m_dot = new QLabel(this);
    m_text = new QLabel(this);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_dot);
    layout->addWidget(m_text);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &ConnectionStatus::update);
    if (connection) {
        connect(connection, &Connection::stateChanged, this, &ConnectionStatus::update);
        connect(connection, &Connection::reconnectScheduled, this, &ConnectionStatus::update);
    }
    update();
}

void ConnectionStatus::setServer(const QString &serverLabel, const QString &userName)
{
    m_server = serverLabel;
    m_user = userName;
    update();
}

QString ConnectionStatus::text() const
{
    return m_text->text();
}

void ConnectionStatus::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        update();
    QWidget::changeEvent(event);
}

void ConnectionStatus::update()
{
    const Connection::State state = m_connection ? m_connection->state() : Connection::State::Offline;
    QString text;
    QColor colour;
    switch (state) {
    case Connection::State::Connected:
        text = m_user.isEmpty() ? tr("Connected to %1").arg(m_server)
                                : tr("Connected to %1 as %2").arg(m_server, m_user);
        colour = QColor(0x2e, 0xa0, 0x43);
        break;
    case Connection::State::Connecting:
        text = tr("Connecting to %1…").arg(m_server);
        colour = QColor(0xd0, 0x90, 0x10);
        break;
    case Connection::State::Reconnecting: {
        const int ms = m_connection->reconnectRemainingMs();
        text = ms > 0 ? tr("Connection lost; reconnecting in %n s", nullptr, (ms + 999) / 1000) : tr("Reconnecting…");
        colour = QColor(0xd0, 0x90, 0x10);
        break;
    }
    case Connection::State::Unauthorized:
        text = tr("Not logged in to %1").arg(m_server);
        colour = QColor(0xd0, 0x30, 0x30);
        break;
    case Connection::State::Offline:
        text = tr("Offline");
        colour = QColor(0x90, 0x90, 0x90);
        break;
    }
    if (state == Connection::State::Reconnecting)
        m_tick.start();
    else
        m_tick.stop();
    const bool on = state == Connection::State::Connected;
    m_dot->setPixmap(themedIcon(on ? QStringLiteral("connected") : QStringLiteral("offline"), colour)
                         .pixmap(QSize(12, 12), devicePixelRatioF()));
    if (m_text->text() != text) {
        m_text->setText(text);
        setAccessibleName(text);
        QAccessibleEvent event(this, QAccessible::NameChanged);
        QAccessible::updateAccessibility(&event);
    }
}

} // namespace emailrag::ui
