#pragma once

#include <QTimer>
#include <QWidget>

class QLabel;

namespace emailrag::client {
class Connection;
}

// The connection state in the status bar: "Connected to … as …", "Reconnecting in N s",
// "Connecting…", "Offline", "Not logged in", with a coloured dot. Follows the client connection;
// the countdown is refreshed every second. GUI thread; owned by the status bar.
namespace emailrag::ui {

class ConnectionStatus : public QWidget
{
    Q_OBJECT
public:
    ConnectionStatus(client::Connection *connection, QWidget *parent = nullptr);

    // "built-in server on 127.0.0.1:8000" or the remote address; and the user name.
    void setServer(const QString &serverLabel, const QString &userName);
    QString text() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void update();

    client::Connection *m_connection = nullptr;
    QLabel *m_dot = nullptr;
    QLabel *m_text = nullptr;
    QTimer m_tick;
    QString m_server;
    QString m_user;
};

} // namespace emailrag::ui
