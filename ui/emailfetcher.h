#pragma once

#include "emaildocument.h"

#include <QObject>
#include <QPointer>

namespace emailrag::client {
class Connection;
}

// Fetches one email at a time for a reading pane (get_email through the client connection).
// Only the latest request counts: a newer fetch() makes the older reply irrelevant, so fast
// keyboard navigation never shows a stale email. GUI thread; owned by its view.
namespace emailrag::ui {

class EmailFetcher : public QObject
{
    Q_OBJECT
public:
    explicit EmailFetcher(client::Connection *connection, QObject *parent = nullptr);

    // `passage` travels with the request and comes back with loaded() (to highlight it).
    void fetch(const QString &emailId, const QString &passage = QString());

Q_SIGNALS:
    void loaded(const emailrag::ui::EmailDocument &email, const QString &passage);
    void failed(const QString &message);

private:
    QPointer<client::Connection> m_connection;
    QString m_requestId;
    QString m_passage;
};

} // namespace emailrag::ui
