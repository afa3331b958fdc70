#include "emaildocument.h"

#include "servermessages.h"

#include <QStringList>

namespace emailrag::ui {

QString formatAddress(const protocol::Address &a)
{
    if (a.name.isEmpty())
        return a.address;
    if (a.address.isEmpty())
        return a.name;
    return QStringLiteral("%1 <%2>").arg(a.name, a.address);
}

EmailDocument emailDocumentFrom(const protocol::Email &e)
{
    auto list = [](const QList<protocol::Address> &addresses) {
        QStringList out;
        for (const auto &a : addresses)
            out << formatAddress(a);
        return out.join(QStringLiteral(", "));
    };
    EmailDocument d;
    d.emailId = e.emailId;
    d.subject = e.subject;
    d.from = formatAddress(e.from);
    d.to = list(e.to);
    d.cc = list(e.cc);
    d.date = e.date.value_or(QDateTime());
    d.body = e.text;
    d.quoted = e.quotedText;
    for (const auto &a : e.attachments)
        d.attachments.append({ a.name, a.mimeType, a.size });
    for (const auto &t : e.thread)
        d.thread.append({ t.emailId, t.subject, formatAddress(t.from), t.date.value_or(QDateTime()) });
    return d;
}

} // namespace emailrag::ui
