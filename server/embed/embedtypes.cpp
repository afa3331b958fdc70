#include "embedtypes.h"

#include <QDateTime>

#include <cmath>
#include <cstring>

Q_LOGGING_CATEGORY(lcEmbed, "emailrag.embed")

namespace emailrag::embed {

QString emailChunk(const QString &subject, const QString &fromName, const QString &fromAddr, qint64 dateUtc,
                   const QString &bodyText, int maxBodyChars)
{
    QString out = QStringLiteral("Subject: ") + subject.simplified() + QLatin1Char('\n');
    out += QStringLiteral("From: ") + (fromName.isEmpty() ? fromAddr : fromName) + QLatin1Char('\n');
    if (dateUtc > 0)
        out += QStringLiteral("Date: ") + QDateTime::fromSecsSinceEpoch(dateUtc, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd"))
            + QLatin1Char('\n');
    out += QLatin1Char('\n');
    out += bodyText.left(maxBodyChars);
    return out;
}

bool normalize(Vector &v)
{
    double n = 0;
    for (float x : v)
        n += double(x) * x;
    if (n <= 0)
        return false;
    const float inv = float(1.0 / std::sqrt(n));
    for (float &x : v)
        x *= inv;
    return true;
}

float dot(const float *a, const float *b, int dim)
{
    float s = 0;
    for (int i = 0; i < dim; ++i)
        s += a[i] * b[i];
    return s;
}

QByteArray vectorToBlob(const Vector &v)
{
    // float32 in the machine's byte order (little-endian on every supported platform).
    return QByteArray(reinterpret_cast<const char *>(v.data()), qsizetype(v.size() * sizeof(float)));
}

Vector vectorFromBlob(const QByteArray &blob)
{
    Vector v(size_t(blob.size()) / sizeof(float));
    if (!v.empty())
        std::memcpy(v.data(), blob.constData(), v.size() * sizeof(float));
    return v;
}

} // namespace emailrag::embed
