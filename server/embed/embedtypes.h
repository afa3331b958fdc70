#pragma once

#include <QList>
#include <QLoggingCategory>
#include <QString>

#include <variant>
#include <vector>

Q_DECLARE_LOGGING_CATEGORY(lcEmbed)

// The embedding-provider interface and its value types.
// A provider turns texts into vectors. Calls are blocking and made from a worker thread (the
// search pool or the embedding stage), never from an event-loop thread the UI needs.
// Failures come back as EmbedError values; nothing throws. Providers never log secrets.
namespace emailrag::embed {

using Vector = std::vector<float>;

struct EmbedError
{
    enum class Code { Network, Timeout, Http, BadResponse, NoModel, Database, Cancelled };
    Code code = Code::Network;
    int httpStatus = 0;   // for Http
    QString message;      // for a person; never holds the API key
};

using EmbedResult = std::variant<QList<Vector>, EmbedError>;

class EmbeddingProvider
{
public:
    virtual ~EmbeddingProvider() = default;
    // Stored with every vector: vectors of different models are never compared.
    virtual QString model() const = 0;
    // One vector per text, in order. An all-zero vector means "nothing to go on" (no known word).
    virtual EmbedResult embed(const QStringList &texts) = 0;
};

// The text embedded for one email: one chunk that keeps subject, sender and date as context and
// holds only the new text (quoted history and signature are stored apart by the importer and
// left out). The body is cut at `maxBodyChars`.
QString emailChunk(const QString &subject, const QString &fromName, const QString &fromAddr, qint64 dateUtc,
                   const QString &bodyText, int maxBodyChars = 3000);

// Unit length in place; returns false (vector left as is) when it is all zeros.
bool normalize(Vector &v);
float dot(const float *a, const float *b, int dim);

QByteArray vectorToBlob(const Vector &v);
Vector vectorFromBlob(const QByteArray &blob);

} // namespace emailrag::embed
