#include "session.h"

#include "futurewatch.h"
#include "hub.h"
#include "logging.h"
#include "metrics.h"
#include "servercontext.h"
#include "uploadmanager.h"
#include "userstore.h"

#include "closecode.h"
#include "codec.h"
#include "dbworker.h"
#include "timestamp.h"

#if defined(HAVE_EMAILRAG_SEARCH)
#include "searchjob.h"
#endif
#if defined(HAVE_EMAILRAG_CHAT)
#include "chatrun.h"
#endif

#include <QJsonArray>
#include <QUrlQuery>
#include <QJsonDocument>
#include <QSslSocket>
#include <QWebSocket>

#include <sodium.h>

namespace emailrag::server {

using namespace emailrag::protocol;

namespace {

QString randomId(const char *prefix)
{
    unsigned char raw[8];
    randombytes_buf(raw, sizeof raw);
    return QLatin1String(prefix) + QString::fromLatin1(QByteArray(reinterpret_cast<char *>(raw), sizeof raw).toHex());
}

constexpr int kMaxBufferedWhileAuthenticating = 64;
constexpr int kCloseGraceMs = 3000;

} // namespace

Session::Session(QWebSocket *socket, ServerContext &context, QObject *parent)
    : QObject(parent), m_ctx(context), m_sessionId(randomId("session_"))
{
    // Connected before the Endpoint so that the raw text is known when decodeFailed arrives
    // (used only to honour the valid channels of a subscribe that also names unknown ones).
    connect(socket, &QWebSocket::textMessageReceived, this, &Session::onRawText);
    Limits limits;
    limits.maxMessageBytes = std::max<qint64>(m_ctx.config.maxMessageBytes, qint64(m_ctx.config.uploadChunkBytes) + 64);
    m_endpoint = new Endpoint(Endpoint::Role::Server, socket, this, limits);
    connect(m_endpoint, &Endpoint::clientMessageReceived, this, &Session::onClientMessage);
    connect(m_endpoint, &Endpoint::decodeFailed, this, &Session::onDecodeFailed);
    connect(m_endpoint, &Endpoint::uploadChunkReceived, this, &Session::onUploadChunk);
    connect(m_endpoint, &Endpoint::disconnected, this, &Session::onDisconnected);
    connect(socket, &QWebSocket::pong, this, &Session::touch);
    m_expiry.setSingleShot(true);
    connect(&m_expiry, &QTimer::timeout, this, [this] { armExpiry(m_tokenExpiresAt); });
    m_ctx.metrics->connectionOpened();
    touch();
}

Session::~Session() = default;

void Session::start() { authenticate(); }

void Session::touch() { m_lastActivityMs = m_ctx.nowMs(); }

void Session::authenticate()
{
    QWebSocket *socket = m_endpoint->socket();
    QString token = QUrlQuery(socket->requestUrl()).queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded);
    if (token.isEmpty()) {
        const QByteArray auth = socket->request().rawHeader("Authorization").trimmed();
        if (auth.size() > 7 && auth.left(7).compare("bearer ", Qt::CaseInsensitive) == 0)
            token = QString::fromLatin1(auth.mid(7).trimmed());
    }
    if (token.isEmpty())
        return refuse(QStringLiteral("missing token: connect with ?token=ACCESS_TOKEN"));
    TokenError error = TokenError::None;
    const auto claims = m_ctx.tokens.verify(token, &error);
    if (!claims)
        return refuse(tokenErrorText(error));
    const TokenClaims c = *claims;
    whenFinished(this, m_ctx.db->run([id = c.userId](QSqlDatabase &db) { return UserStore::byId(db, id); }),
        [this, c](const std::optional<User> &user) {
            if (m_state != State::Authenticating)
                return;
            // A removed user (or a newer user who got the same id) is refused.
            if (!user || user->createdAt != c.version || user->name != c.userName)
                return refuse(QStringLiteral("the token's user does not exist"));
            open(user->id, user->name, user->isAdmin, c.expiresAt);
        });
}

void Session::refuse(const QString &why)
{
    qCInfo(lcCore) << "refused connection from" << m_endpoint->socket()->peerAddress().toString() << ":" << why;
    m_ctx.metrics->authRefused();
    m_buffered.clear();
    sendError(ErrorCode::Unauthorized, why);
    m_state = State::Closing;
    m_endpoint->close(CloseCode::Unauthorized, QStringLiteral("unauthorized"));
    QTimer::singleShot(kCloseGraceMs, this, [this] { abort(CloseCode::Unauthorized, QStringLiteral("unauthorized")); });
}

void Session::open(qint64 userId, const QString &name, bool admin, qint64 expiresAt)
{
    m_state = State::Open;
    m_userId = userId;
    m_userName = name;
    m_admin = admin;
    m_rate = m_ctx.rateLimiter->open(userId, m_ctx.nowMs());
    m_rateOpen = true;
    m_ctx.hub->add(this);
    Connected c;
    c.sessionId = m_sessionId;
    c.userId = QStringLiteral("user_%1").arg(userId);
    c.serverVersion = QStringLiteral(EMAILRAG_VERSION);
    send(c);
    m_tokenExpiresAt = expiresAt;
    armExpiry(expiresAt);
    const QList<Buffered> buffered = std::exchange(m_buffered, {});
    for (const Buffered &b : buffered) {
        if (m_state != State::Open)
            break;
        if (auto *env = std::get_if<ClientEnvelope>(&b))
            onClientMessage(*env);
        else if (auto *err = std::get_if<DecodeError>(&b))
            onDecodeFailed(*err);
        else
            onUploadChunk(std::get<UploadChunk>(b));
    }
}

void Session::armExpiry(qint64 expiresAt)
{
    const qint64 leftMs = (expiresAt - QDateTime::currentSecsSinceEpoch()) * 1000;
    if (leftMs <= 0) {
        disconnectWith(QStringLiteral("token_expired"), CloseCode::TokenExpired, std::nullopt);
        return;
    }
    m_expiry.start(int(std::min<qint64>(leftMs, 24LL * 3600 * 1000))); // re-armed on timeout
}

void Session::onRawText(const QString &text)
{
    m_lastRawText = text;
    touch();
}

bool Session::admit(const QString &type, const QString &requestId)
{
    qint64 retry = 0;
    switch (m_ctx.rateLimiter->take(m_rate, m_ctx.nowMs(), &retry)) {
    case RateLimiter::Verdict::Allowed:
        return true;
    case RateLimiter::Verdict::Refused:
        m_ctx.metrics->rateLimited();
        sendError(ErrorCode::RateLimited,
                  QStringLiteral("rate limit of %1 messages per minute exceeded").arg(m_ctx.config.rateLimitPerMinute), requestId,
                  {{QStringLiteral("type"), type}}, retry);
        return false;
    case RateLimiter::Verdict::Flooding:
        m_ctx.metrics->rateLimited();
        qCInfo(lcCore) << "closing flooding session" << m_sessionId << "of user" << m_userId;
        disconnectWith(QStringLiteral("rate_limited"), CloseCode::RateLimited, std::max<qint64>(retry, 1000));
        return false;
    }
    return false;
}

void Session::onClientMessage(const ClientEnvelope &envelope)
{
    if (m_state == State::Authenticating) {
        if (m_buffered.size() >= kMaxBufferedWhileAuthenticating)
            return abort(CloseCode::PolicyViolation, QStringLiteral("too many messages before authentication"));
        m_buffered.append(envelope);
        return;
    }
    if (m_state != State::Open)
        return;
    const QString type = messageType(envelope.message);
    m_ctx.metrics->messageIn(type);
    if (!admit(type, envelope.requestId))
        return;
    std::visit([this, &envelope](const auto &m) { handle(envelope.requestId, m); }, envelope.message);
}

void Session::onDecodeFailed(const DecodeError &error)
{
    if (m_state == State::Authenticating) {
        if (m_buffered.size() >= kMaxBufferedWhileAuthenticating)
            return abort(CloseCode::PolicyViolation, QStringLiteral("too many messages before authentication"));
        m_buffered.append(error);
        return;
    }
    if (m_state != State::Open)
        return;
    m_ctx.metrics->messageIn(QStringLiteral("invalid"));
    if (!admit(error.type, error.requestId))
        return;
    const bool channelList = (error.type == QLatin1String(Subscribe::Type) || error.type == QLatin1String(Unsubscribe::Type))
        && error.reason == DecodeReason::InvalidValue && error.field.startsWith(QLatin1String("data.channels"));
    if (channelList) {
        // The codec refuses the whole message for one unknown channel; the API promises that the
        // known channels of the same request still take effect. So: re-decode the message with
        // the unknown names taken out (through the codec), and report those names.
        QJsonObject root = QJsonDocument::fromJson(m_lastRawText.toUtf8()).object();
        QJsonObject data = root.value(QStringLiteral("data")).toObject();
        QStringList known, unknown;
        for (const QJsonValue &v : data.value(QStringLiteral("channels")).toArray())
            (Channel::all().contains(v.toString()) ? known : unknown).append(v.toString());
        QJsonObject details{{QStringLiteral("reason"), decodeReasonName(error.reason)},
                            {QStringLiteral("field"), error.field},
                            {QStringLiteral("unknown_channels"), QJsonArray::fromStringList(unknown)}};
        sendError(ErrorCode::InvalidRequest, QStringLiteral("unknown channel(s): %1 (known: %2)")
                                                 .arg(unknown.join(QStringLiteral(", ")), Channel::all().join(QStringLiteral(", "))),
                  error.requestId, details);
        if (known.isEmpty())
            return;
        data.insert(QStringLiteral("channels"), QJsonArray::fromStringList(known));
        root.insert(QStringLiteral("data"), data);
        const auto again = decodeClientObject(root, m_endpoint->limits());
        if (again.ok())
            std::visit([this, &again](const auto &m) { handle(again.value().requestId, m); }, again.value().message);
        return;
    }
    send(toErrorMessage(error), error.requestId);
}

void Session::onUploadChunk(const UploadChunk &chunk)
{
    touch();
    if (m_state == State::Authenticating) {
        m_buffered.append(chunk);
        return;
    }
    if (m_state != State::Open)
        return;
    if (m_activeUpload.isEmpty()) {
        sendError(ErrorCode::InvalidRequest, QStringLiteral("binary frame without an active upload; send upload_start first"));
        return;
    }
    m_ctx.uploads->appendChunk(this, m_activeUpload, chunk);
}

void Session::onDisconnected()
{
    if (m_state == State::Closing && m_closedEmitted)
        return;
    m_state = State::Closing;
    m_closedEmitted = true;
    m_expiry.stop();
    for (const auto &job : std::as_const(m_searches)) {
        if (job)
            job->deleteLater(); // deleting a running job cancels it
    }
    m_searches.clear();
    cancelChats();
    if (m_userId > 0) {
        m_ctx.uploads->detach(this);
        m_ctx.hub->remove(this);
    }
    if (m_rateOpen)
        m_ctx.rateLimiter->close(m_rate, m_ctx.nowMs());
    Q_EMIT closed(this);
    deleteLater();
}

void Session::send(const ServerMessage &message, const QString &requestId)
{
    sendEncoded(encodeText(ServerEnvelope{message, requestId, currentTimestamp()}), messageType(message));
}

void Session::sendEncoded(const QString &text, const QString &type)
{
    QWebSocket *socket = m_endpoint->socket();
    if (!socket || socket->state() != QAbstractSocket::ConnectedState)
        return;
    // A reader that never drains must not make the server buffer without bound.
    if (socket->bytesToWrite() + text.size() > m_ctx.config.maxSendQueueBytes) {
        m_ctx.metrics->slowClientDropped();
        qCInfo(lcCore) << "dropping slow session" << m_sessionId << ":" << socket->bytesToWrite() << "bytes unsent";
        abort(CloseCode::PolicyViolation, QStringLiteral("send queue overflow"));
        return;
    }
    const bool idle = socket->bytesToWrite() == 0;
    socket->sendTextMessage(text);
    if (idle && m_ctx.hub)
        m_ctx.hub->markUnflushed(this); // once per batch of writes
    m_ctx.metrics->messageOut(type);
}

void Session::flush()
{
    if (QWebSocket *socket = m_endpoint->socket(); socket && socket->state() == QAbstractSocket::ConnectedState)
        socket->flush();
}

int Session::directDescriptor() const
{
    if (m_state != State::Open || !m_transport || qobject_cast<QSslSocket *>(m_transport.data()))
        return -1;
    // A close frame sent or received closes the TCP socket too (QWebSocket::close), so a
    // connected transport with an empty buffer is one where a frame may go next.
    if (m_transport->state() != QAbstractSocket::ConnectedState || m_transport->bytesToWrite() > 0)
        return -1;
    if (QWebSocket *socket = m_endpoint->socket(); !socket || socket->state() != QAbstractSocket::ConnectedState)
        return -1;
    return int(m_transport->socketDescriptor());
}

void Session::directWritten(const QByteArray &frame, qint64 sent, const QString &type)
{
    m_ctx.metrics->messageOut(type);
    m_ctx.metrics->fanoutDirect(sent >= 0 && sent < frame.size());
    if (sent < 0 || sent >= frame.size())
        return; // all taken, or a failing socket that Qt reports as disconnected on its next read
    if (!m_transport) {
        abort(CloseCode::PolicyViolation, QStringLiteral("transport gone mid-frame")); // cannot happen: nothing ran in between
        return;
    }
    // The kernel's buffer was full: the rest goes through Qt's buffer (written when the socket
    // is writable again), ahead of anything queued later, within the send-queue bound.
    if (m_transport->bytesToWrite() + frame.size() - sent > m_ctx.config.maxSendQueueBytes) {
        m_ctx.metrics->slowClientDropped();
        abort(CloseCode::PolicyViolation, QStringLiteral("send queue overflow"));
        return;
    }
    m_transport->write(frame.constData() + sent, frame.size() - sent);
    if (m_ctx.hub)
        m_ctx.hub->markUnflushed(this);
}

void Session::sendError(ErrorCode code, const QString &message, const QString &requestId, const QJsonObject &details,
                        std::optional<qint64> retryAfterMs)
{
    ErrorMessage e;
    e.code = code;
    e.message = message;
    e.details = details;
    e.retryAfterMs = retryAfterMs;
    send(e, requestId);
}

void Session::disconnectWith(const QString &reason, quint16 closeCode, std::optional<qint64> reconnectDelayMs)
{
    if (m_state == State::Closing)
        return;
    Disconnecting d;
    d.reason = reason;
    d.reconnectDelayMs = reconnectDelayMs;
    send(d);
    m_state = State::Closing;
    m_endpoint->close(closeCode, reason);
    QTimer::singleShot(kCloseGraceMs, this, [this, closeCode, reason] { abort(closeCode, reason); });
}

void Session::abort(quint16, const QString &reason)
{
    m_state = State::Closing;
    if (QWebSocket *socket = m_endpoint->socket()) {
        qCDebug(lcCore) << "aborting session" << m_sessionId << reason;
        socket->abort(); // emits disconnected -> onDisconnected
    }
}

// ---- subscriptions, ping, token, status, cancel ------------------------------------------------

void Session::subscribe(const QString &rid, const QStringList &channels)
{
    const bool hadStatus = isSubscribed(Channel::SystemStatus);
    for (const QString &c : channels)
        m_channels.insert(c);
    Subscribed s;
    s.channels = QStringList(m_channels.begin(), m_channels.end());
    s.channels.sort();
    send(s, rid);
    if (!hadStatus && isSubscribed(Channel::SystemStatus))
        m_ctx.hub->sendSystemStatus(this);
}

void Session::handle(const QString &rid, const Subscribe &m) { subscribe(rid, m.channels); }

void Session::handle(const QString &rid, const Unsubscribe &m)
{
    for (const QString &c : m.channels)
        m_channels.remove(c);
    Unsubscribed u;
    u.channels = QStringList(m_channels.begin(), m_channels.end());
    u.channels.sort();
    send(u, rid);
}

void Session::handle(const QString &rid, const Ping &) { send(Pong{}, rid); }

void Session::handle(const QString &rid, const RefreshToken &)
{
    const QString userName = m_userName;
    const qint64 ttl = m_ctx.config.tokenTtlSecs;
    whenFinished(this, m_ctx.db->run([id = m_userId](QSqlDatabase &db) { return UserStore::byId(db, id); }),
        [this, rid, userName, ttl](const std::optional<User> &user) {
            if (!user || user->name != userName) {
                sendError(ErrorCode::Unauthorized, QStringLiteral("the user no longer exists"), rid);
                disconnectWith(QStringLiteral("user_removed"), CloseCode::Forbidden, std::nullopt);
                return;
            }
            TokenRefreshed t;
            t.accessToken = m_ctx.tokens.issue(user->id, user->name, user->createdAt, std::chrono::seconds(ttl));
            t.expiresIn = ttl;
            m_tokenExpiresAt = QDateTime::currentSecsSinceEpoch() + ttl;
            armExpiry(m_tokenExpiresAt);
            send(t, rid);
        });
}

void Session::handle(const QString &rid, const GetSystemStatus &) { m_ctx.hub->sendSystemStatus(this, rid); }

void Session::handle(const QString &rid, const Cancel &m)
{
    if (m.uploadId)
        return cancelUpload(rid, *m.uploadId);
    if (m.requestId && cancelRequest(*m.requestId)) {
        Cancelled c;
        c.requestId = m.requestId;
        send(c, rid);
        return;
    }
    sendError(ErrorCode::NotFound, QStringLiteral("no running request with that request_id on this connection"), rid);
}

} // namespace emailrag::server
