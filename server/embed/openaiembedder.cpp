#include "openaiembedder.h"

#include "embedkey.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace emailrag::embed {

std::optional<OpenAiEmbedConfig> OpenAiEmbedConfig::fromEnvironment()
{
    const QString url = qEnvironmentVariable("EMAILRAG_EMBED_URL");
    if (url.isEmpty())
        return std::nullopt;
    OpenAiEmbedConfig c;
    c.baseUrl = QUrl(url);
    c.model = qEnvironmentVariable("EMAILRAG_EMBED_MODEL", QStringLiteral("nomic-embed-text"));
    c.apiKey = resolveEmbedApiKey(url); // the environment, else the keychain (embedkey.h)
    return c;
}

OpenAiEmbedder::OpenAiEmbedder(OpenAiEmbedConfig config)
    : m_config(std::move(config))
{
    m_config.batchSize = qBound(1, m_config.batchSize, 2048);
}

QString OpenAiEmbedder::model() const
{
    return QStringLiteral("openai:") + m_config.model;
}

QString OpenAiEmbedder::redact(QString text) const
{
    if (!m_config.apiKey.isEmpty())
        text.replace(m_config.apiKey, QStringLiteral("[redacted]"));
    return text.left(500);
}

EmbedResult OpenAiEmbedder::embed(const QStringList &texts)
{
    QList<Vector> out;
    out.reserve(texts.size());
    for (qsizetype i = 0; i < texts.size(); i += m_config.batchSize) {
        EmbedResult r = embedBatch(texts.mid(i, m_config.batchSize));
        if (auto *e = std::get_if<EmbedError>(&r))
            return *e;
        out << std::get<QList<Vector>>(r);
    }
    return out;
}

EmbedResult OpenAiEmbedder::embedBatch(const QStringList &texts)
{
    auto fail = [](EmbedError::Code code, const QString &message, int status = 0) {
        EmbedError e;
        e.code = code;
        e.message = message;
        e.httpStatus = status;
        return e;
    };
    QUrl url = m_config.baseUrl;
    QString path = url.path();
    if (!path.endsWith(QLatin1Char('/')))
        path += QLatin1Char('/');
    url.setPath(path + QStringLiteral("embeddings"));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    if (!m_config.apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_config.apiKey.toUtf8());
    request.setTransferTimeout(m_config.timeoutMs);
    QJsonObject body{{QStringLiteral("model"), m_config.model},
                     {QStringLiteral("input"), QJsonArray::fromStringList(texts)},
                     {QStringLiteral("encoding_format"), QStringLiteral("float")}};

    QNetworkAccessManager nam;
    QEventLoop loop;
    QNetworkReply *reply = nam.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer guard; // transferTimeout covers stalls; this covers a server that trickles bytes forever
    guard.setSingleShot(true);
    QObject::connect(&guard, &QTimer::timeout, &loop, [reply] { reply->abort(); });
    guard.start(m_config.timeoutMs * 2);
    if (!reply->isFinished())
        loop.exec();
    const bool timedOut = !guard.isActive() || reply->error() == QNetworkReply::OperationCanceledError
        || reply->error() == QNetworkReply::TimeoutError;
    guard.stop();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray bytes = reply->readAll();
    const QNetworkReply::NetworkError netError = reply->error();
    const QString netMessage = reply->errorString();
    delete reply;

    if (timedOut)
        return fail(EmbedError::Code::Timeout,
                    QStringLiteral("The embedding server did not answer within %1 s").arg(m_config.timeoutMs / 1000.0));
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    if (status >= 400 || (netError != QNetworkReply::NoError && status == 0)) {
        if (status == 0)
            return fail(EmbedError::Code::Network, redact(QStringLiteral("Cannot reach the embedding server: ") + netMessage));
        QString message = doc.object().value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString();
        if (message.isEmpty())
            message = doc.object().value(QStringLiteral("error")).toString(); // llama.cpp/Ollama: "error": "..."
        if (message.isEmpty())
            message = QString::fromUtf8(bytes.left(200));
        return fail(EmbedError::Code::Http, redact(QStringLiteral("Embedding server error %1: %2").arg(status).arg(message)), status);
    }
    const QJsonArray data = doc.object().value(QStringLiteral("data")).toArray();
    if (!doc.isObject() || data.size() != texts.size())
        return fail(EmbedError::Code::BadResponse,
                    QStringLiteral("The embedding server answered %1 vectors for %2 texts").arg(data.size()).arg(texts.size()));
    QList<Vector> out(texts.size());
    QList<bool> filled(texts.size(), false);
    int dim = -1;
    for (const QJsonValue &item : data) {
        const QJsonObject o = item.toObject();
        const int index = o.value(QStringLiteral("index")).toInt(-1);
        const QJsonArray emb = o.value(QStringLiteral("embedding")).toArray();
        if (index < 0 || index >= texts.size() || filled[index] || emb.isEmpty() || (dim >= 0 && emb.size() != dim))
            return fail(EmbedError::Code::BadResponse, QStringLiteral("The embedding server sent a malformed vector list"));
        dim = int(emb.size());
        Vector v(static_cast<size_t>(dim));
        for (int i = 0; i < dim; ++i) {
            if (!emb[i].isDouble())
                return fail(EmbedError::Code::BadResponse, QStringLiteral("The embedding server sent a non-numeric vector"));
            v[size_t(i)] = float(emb[i].toDouble());
        }
        normalize(v);
        out[index] = std::move(v);
        filled[index] = true;
    }
    return out;
}

} // namespace emailrag::embed
