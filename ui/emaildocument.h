#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

// What the reading pane shows of one email: the fields of the server's get_email reply that a
// person reads. Filled from the client's reply (see readingpane.cpp); plain data, any thread.
namespace emailrag::ui {

struct EmailDocument
{
    struct Attachment
    {
        QString name;
        QString mimeType;
        qint64 size = 0;
    };
    struct ThreadItem
    {
        QString emailId;
        QString subject;
        QString from;
        QDateTime date;
    };

    QString emailId;
    QString subject;
    QString from;
    QString to;
    QString cc;
    QDateTime date;
    QString body; // new text
    QString quoted; // quoted history and signature, shown dimmed below
    QList<Attachment> attachments;
    QList<ThreadItem> thread; // oldest first, this email included
};

} // namespace emailrag::ui

namespace emailrag::protocol {
struct Email;
struct Address;
} // namespace emailrag::protocol

namespace emailrag::ui {

// "Name <address>", or the address alone.
QString formatAddress(const protocol::Address &address);
// The reading pane's view of a get_email reply.
EmailDocument emailDocumentFrom(const protocol::Email &email);

} // namespace emailrag::ui
