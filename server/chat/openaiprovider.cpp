#include "openaiprovider.h"

#include "promptbuilder.h"
#include "sseparser.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QRegularExpression>
#include <QTimer>

#include "chatlog.h"

namespace emailrag::chat {

namespace {

bool saysContextTooLong(const QString &code, const QString &message)
{
    static const QRegularExpression re(
        QStringLiteral(R"(context[_ ]length|context window|maximum context|too many tokens|exceeds? (the )?(available )?context|prompt is too long|input is too long)"),
        QRegularExpression::CaseInsensitiveOption);
    return code == QLatin1String("context_length_exceeded") || re.match(message).hasMatch();
}

// {"error": {"message": "...", "code": "..."}} (OpenAI, vLLM, llama.cpp) or {"error": "..."} (Ollama).
std::pair<QString, QString> errorFromJson(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QJsonValue err = doc.object().value(QStringLiteral("error"));
    if (err.isString())
        return {QString(), err.toString()};
    if (err.isObject()) {
        const QJsonObject o = err.toObject();
        const QJsonValue code = o.value(QStringLiteral("code"));
        return {code.isString() ? code.toString() : QString::number(code.toInt()), o.value(QStringLiteral("message")).toString()};
    }
    return {QString(), QString::fromUtf8(body.left(300)).simplified()};
}

class OpenAiGeneration : public Generation
{
public:
    OpenAiGeneration(QNetworkAccessManager *network, const ProviderConfig &config, const QJsonArray &messages, QObject *parent)
        : Generation(parent), m_config(config)
    {
        QNetworkRequest req(OpenAiProvider::endpoint(config.baseUrl));
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        req.setRawHeader("Accept", "text/event-stream");
        if (!config.apiKey.isEmpty())
            req.setRawHeader("Authorization", "Bearer " + config.apiKey.toUtf8());
        req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
        QJsonObject body{{QStringLiteral("model"), config.model},
                         {QStringLiteral("messages"), messages},
                         {QStringLiteral("stream"), true},
                         {QStringLiteral("temperature"), config.temperature},
                         {QStringLiteral("max_tokens"), config.maxAnswerTokens}};
        m_reply = network->post(req, QJsonDocument(body).toJson(QJsonDocument::Compact));
        m_reply->setParent(this);
        QObject::connect(m_reply, &QNetworkReply::metaDataChanged, this, &OpenAiGeneration::onHeaders);
        QObject::connect(m_reply, &QNetworkReply::readyRead, this, &OpenAiGeneration::onReadyRead);
        QObject::connect(m_reply, &QNetworkReply::finished, this, &OpenAiGeneration::onFinished);

        m_timer.setSingleShot(true);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            fail(ChatError::LlmTimeout, m_gotHeaders
                     ? tr("The model server sent nothing for %1 s.").arg(m_config.idleTimeoutMs / 1000.0)
                     : tr("The model server did not answer within %1 s.").arg(m_config.connectTimeoutMs / 1000.0));
        });
        m_timer.start(config.connectTimeoutMs);
        m_total.setSingleShot(true);
        QObject::connect(&m_total, &QTimer::timeout, this, [this] {
            fail(ChatError::LlmTimeout, tr("The answer took longer than %1 s.").arg(m_config.totalTimeoutMs / 1000.0));
        });
        m_total.start(config.totalTimeoutMs);
    }

    ~OpenAiGeneration() override { abort(); }

    void cancel() override
    {
        m_done = true;
        abort();
    }

private:
    void abort()
    {
        m_timer.stop();
        m_total.stop();
        if (m_reply) {
            QNetworkReply *r = m_reply;
            m_reply = nullptr;
            QObject::disconnect(r, nullptr, this, nullptr);
            r->abort();
            r->deleteLater();
        }
    }

    void fail(ChatError e, QString message)
    {
        if (m_done)
            return;
        m_done = true;
        abort();
        // A server may echo what it was sent; the key must reach neither the log nor the user.
        if (m_config.apiKey.size() >= 4)
            message.replace(m_config.apiKey, QStringLiteral("***"));
        qCInfo(lcChat) << "model request failed:" << errorCodeName(e) << message;
        Q_EMIT failed(e, message);
    }

    void succeed()
    {
        if (m_done)
            return;
        m_done = true;
        abort();
        Q_EMIT finished();
    }

    int status() const { return m_reply ? m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() : 0; }

    void onHeaders()
    {
        if (m_gotHeaders || !m_reply)
            return;
        m_gotHeaders = true;
        m_isStream = m_reply->header(QNetworkRequest::ContentTypeHeader).toString().contains(QLatin1String("event-stream"));
        m_timer.start(m_config.idleTimeoutMs);
    }

    void onReadyRead()
    {
        if (!m_reply || m_done)
            return;
        onHeaders();
        m_timer.start(m_config.idleTimeoutMs);
        const QByteArray bytes = m_reply->readAll();
        if (status() >= 400 || !m_isStream) {
            m_body += bytes; // an error body or a non-streamed answer: judged when finished
            if (m_body.size() > 4 * 1024 * 1024)
                fail(ChatError::LlmBadStream, tr("The model server's answer is too large."));
            return;
        }
        const QList<SseParser::Event> events = m_parser.feed(bytes);
        for (const SseParser::Event &ev : events) {
            handleEvent(ev);
            if (m_done)
                return;
        }
    }

    void handleEvent(const SseParser::Event &ev)
    {
        const QByteArray data = ev.data.trimmed();
        if (data == "[DONE]") {
            m_sawDone = true;
            succeed();
            return;
        }
        QJsonParseError perr;
        const QJsonDocument doc = QJsonDocument::fromJson(data, &perr);
        if (perr.error != QJsonParseError::NoError || !doc.isObject()) {
            fail(ChatError::LlmBadStream, tr("The model server sent a malformed stream event: %1")
                                              .arg(QString::fromUtf8(data.left(120))));
            return;
        }
        const QJsonObject o = doc.object();
        if (o.contains(QStringLiteral("error")) || ev.name == "error") {
            const auto [code, message] = errorFromJson(data);
            fail(saysContextTooLong(code, message) ? ChatError::ContextTooLong : ChatError::LlmError,
                 tr("The model server reported an error: %1").arg(message));
            return;
        }
        const QJsonArray choices = o.value(QStringLiteral("choices")).toArray();
        if (choices.isEmpty())
            return; // usage-only chunk, or keep-alive object
        const QJsonObject choice = choices.at(0).toObject();
        const QString content = choice.value(QStringLiteral("delta")).toObject().value(QStringLiteral("content")).toString();
        if (!content.isEmpty())
            Q_EMIT textReady(content);
        const QJsonValue reason = choice.value(QStringLiteral("finish_reason"));
        if (reason.isString() && !reason.toString().isEmpty())
            m_finishReason = reason.toString();
    }

    void onFinished()
    {
        if (m_done || !m_reply)
            return;
        const QNetworkReply::NetworkError err = m_reply->error();
        const int code = status();
        if (code >= 400) {
            m_body += m_reply->readAll();
            const auto [ecode, message] = errorFromJson(m_body);
            ChatError e = ChatError::LlmError;
            if (saysContextTooLong(ecode, message))
                e = ChatError::ContextTooLong;
            else if (code == 503)
                e = ChatError::LlmUnavailable;
            fail(e, tr("The model server answered HTTP %1: %2").arg(code).arg(message.isEmpty() ? m_reply->errorString() : message));
            return;
        }
        if (err != QNetworkReply::NoError && !m_gotHeaders) {
            switch (err) {
            case QNetworkReply::OperationCanceledError:
            case QNetworkReply::TimeoutError:
                fail(ChatError::LlmTimeout, tr("The model server did not answer in time."));
                return;
            default:
                fail(ChatError::LlmUnavailable, tr("Cannot reach the model server at %1: %2")
                                                    .arg(m_config.baseUrl.toDisplayString(QUrl::RemoveUserInfo), m_reply->errorString()));
                return;
            }
        }
        if (!m_isStream) {
            // Some servers ignore "stream": take a complete JSON answer as one piece.
            m_body += m_reply->readAll();
            const QJsonObject o = QJsonDocument::fromJson(m_body).object();
            const QJsonArray choices = o.value(QStringLiteral("choices")).toArray();
            if (choices.isEmpty()) {
                fail(ChatError::LlmBadStream, tr("The model server's answer has no choices."));
                return;
            }
            const QString content = choices.at(0).toObject().value(QStringLiteral("message")).toObject()
                                        .value(QStringLiteral("content")).toString();
            if (!content.isEmpty())
                Q_EMIT textReady(content);
            succeed();
            return;
        }
        // Trailing bytes of a stream whose last event has no blank line after it.
        const QList<SseParser::Event> events = m_parser.feed(m_reply->readAll() + "\n\n");
        for (const SseParser::Event &ev : events) {
            handleEvent(ev);
            if (m_done)
                return;
        }
        if (err != QNetworkReply::NoError) {
            fail(ChatError::LlmBadStream, tr("The model server's stream broke off: %1").arg(m_reply->errorString()));
            return;
        }
        if (!m_finishReason.isEmpty()) {
            succeed(); // finished cleanly, just without the [DONE] line
            return;
        }
        fail(ChatError::LlmBadStream, tr("The model server's stream ended before the answer was complete."));
    }

    ProviderConfig m_config;
    QNetworkReply *m_reply = nullptr;
    QTimer m_timer;
    QTimer m_total;
    SseParser m_parser;
    QByteArray m_body;
    QString m_finishReason;
    bool m_gotHeaders = false;
    bool m_isStream = false;
    bool m_sawDone = false;
    bool m_done = false;
};

} // namespace

OpenAiProvider::OpenAiProvider(QNetworkAccessManager *network, ProviderConfig config)
    : m_network(network), m_config(std::move(config))
{
}

QUrl OpenAiProvider::endpoint(const QUrl &base)
{
    QUrl url = base;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    if (path.endsWith(QLatin1String("/chat/completions")))
        return url;
    if (!path.endsWith(QLatin1String("/v1")))
        path += QStringLiteral("/v1");
    url.setPath(path + QStringLiteral("/chat/completions"));
    return url;
}

Generation *OpenAiProvider::start(const GenerationInput &input, QObject *parent)
{
    // The caller (ChatRun) has already fitted the input with PromptBuilder; build it again here
    // so the provider stays usable on its own.
    const auto prompt = PromptBuilder::build(input, m_config);
    return new OpenAiGeneration(m_network, m_config, prompt ? prompt->messages : QJsonArray(), parent);
}

} // namespace emailrag::chat
