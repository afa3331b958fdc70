#include "storedlogin.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace emailrag::client {

QString StoredLogin::encode() const
{
    const QJsonObject o{{QStringLiteral("user"), user}, {QStringLiteral("token"), token}};
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

StoredLogin StoredLogin::decode(const QString &value)
{
    const QJsonDocument doc = QJsonDocument::fromJson(value.toUtf8());
    if (!doc.isObject())
        return {QString(), value.trimmed()};
    const QJsonObject o = doc.object();
    return {o.value(QLatin1String("user")).toString(), o.value(QLatin1String("token")).toString()};
}

} // namespace emailrag::client
