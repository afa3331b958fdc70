#include "searchtypes.h"

#include <QDateTime>

namespace emailrag::search {

int SearchRequest::effectiveLimit() const
{
    if (limit <= 0)
        return kDefaultLimit;
    return qMin(limit, kMaxLimit);
}

QString emailIdFor(qint64 rowId) { return QStringLiteral("email_%1").arg(rowId); }

std::optional<qint64> rowIdFromEmailId(const QString &emailId)
{
    QStringView v(emailId);
    if (v.startsWith(QLatin1String("email_")))
        v = v.mid(6);
    if (v.isEmpty() || v.size() > 18)
        return std::nullopt;
    for (QChar c : v) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return std::nullopt;
    }
    bool ok = false;
    const qint64 id = v.toLongLong(&ok);
    if (!ok || id <= 0)
        return std::nullopt;
    return id;
}

QString isoUtc(qint64 secondsSinceEpoch)
{
    return QDateTime::fromSecsSinceEpoch(secondsSinceEpoch, Qt::UTC).toString(Qt::ISODate);
}

} // namespace emailrag::search
