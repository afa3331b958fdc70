#include "emailfetcher.h"

#include "connection.h"

namespace emailrag::ui {

EmailFetcher::EmailFetcher(client::Connection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
    if (!connection)
        return;
    connect(connection, &client::Connection::emailReceived, this,
        [this](const QString &requestId, const protocol::Email &email) {
            if (requestId != m_requestId)
                return;
            m_requestId.clear();
            Q_EMIT loaded(emailDocumentFrom(email), m_passage);
        });
    connect(connection, &client::Connection::errorReceived, this,
        [this](const QString &requestId, const protocol::ErrorMessage &error) {
            if (requestId.isEmpty() || requestId != m_requestId)
                return;
            m_requestId.clear();
            Q_EMIT failed(error.code == protocol::ErrorCode::NotFound
                    ? tr("This email no longer exists.")
                    : tr("The email could not be loaded: %1").arg(error.message));
        });
    auto lost = [this](const QString &requestId) {
        if (requestId != m_requestId)
            return;
        m_requestId.clear();
        Q_EMIT failed(tr("The server did not answer. Try again when the connection is back."));
    };
    connect(connection, &client::Connection::requestTimedOut, this, lost);
    connect(
        connection, &client::Connection::requestFailed, this, [lost](const QString &id, const QString &) { lost(id); });
}

void EmailFetcher::fetch(const QString &emailId, const QString &passage)
{
    if (!m_connection)
        return;
    m_passage = passage;
    m_requestId = m_connection->getEmail(emailId);
}

} // namespace emailrag::ui
