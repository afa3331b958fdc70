// Session handlers for search, emails and chat: stream_search, get_email, live search on the
// search_results channel, chat_message and the conversation messages. Every call passes the
// session's user id; the engines scope everything to it.

#include "session.h"

#include "futurewatch.h"
#include "hub.h"
#include "metrics.h"
#include "servercontext.h"

#if defined(HAVE_EMAILRAG_SEARCH)
#include "searchengine.h"
#include "searchjob.h"
#endif
#if defined(HAVE_EMAILRAG_CHAT)
#include "chatengine.h"
#include "chatrun.h"
#endif

#include <QRegularExpression>

namespace emailrag::server {

using namespace emailrag::protocol;

namespace {

// "Name <addr>" or "addr" -> Address.
Address toAddress(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^\\s*\"?(.*?)\"?\\s*<([^>]*)>\\s*$"));
    const auto m = re.match(text);
    if (m.hasMatch())
        return {m.captured(1).trimmed(), m.captured(2).trimmed()};
    return {QString(), text.trimmed()};
}

QList<Address> toAddresses(const QString &list)
{
    QList<Address> out;
    // Split on commas outside quotes and angle brackets.
    QString cur;
    bool quoted = false;
    int angle = 0;
    for (const QChar ch : list) {
        if (ch == QLatin1Char('"'))
            quoted = !quoted;
        else if (ch == QLatin1Char('<'))
            ++angle;
        else if (ch == QLatin1Char('>'))
            angle = std::max(0, angle - 1);
        if (ch == QLatin1Char(',') && !quoted && angle == 0) {
            if (!cur.trimmed().isEmpty())
                out << toAddress(cur);
            cur.clear();
        } else {
            cur += ch;
        }
    }
    if (!cur.trimmed().isEmpty())
        out << toAddress(cur);
    return out;
}

std::optional<QDateTime> toDate(const QString &iso)
{
    if (iso.isEmpty())
        return std::nullopt;
    QDateTime d = QDateTime::fromString(iso, Qt::ISODate);
    if (!d.isValid())
        return std::nullopt;
    return d.toUTC();
}

} // namespace

#if defined(HAVE_EMAILRAG_SEARCH)
namespace {
SearchResult toSearchResult(const search::SearchHit &h)
{
    SearchResult r;
    r.emailId = h.emailId;
    r.subject = h.subject;
    r.score = std::clamp(h.score, 0.0, 1.0);
    if (!h.from.isEmpty())
        r.from = toAddress(h.from);
    r.date = toDate(h.date);
    if (!h.snippet.isEmpty())
        r.snippet = h.snippet;
    if (!h.threadId.isEmpty())
        r.threadId = h.threadId;
    return r;
}
} // namespace
#endif

void Session::handle(const QString &rid, const StreamSearch &m)
{
#if defined(HAVE_EMAILRAG_SEARCH)
    if (!rid.isEmpty() && (m_searches.contains(rid) || m_chats.contains(rid)))
        return sendError(ErrorCode::Conflict, QStringLiteral("a request with this request_id is still running"), rid);
    search::SearchRequest req;
    req.query = m.query;
    req.limit = m.effectiveLimit();
    search::SearchJob *job = m_ctx.search->search(m_userId, req, this);
    m_searches.insert(rid, job);
    QElapsedTimer started;
    started.start();
    // A request_id used again names the new search only (its hits are not the old one's).
    m_recentSearches.removeIf([&rid](const RecentSearch &s) { return s.requestId == rid; });
    m_recentSearches.append({rid, m.query, {}});
    while (m_recentSearches.size() > kRecentSearches)
        m_recentSearches.removeFirst();

    connect(job, &search::SearchJob::resultReady, this, [this, rid](const search::SearchHit &hit) {
        if (firstSend(rid, hit.rowId, false))
            send(toSearchResult(hit), rid);
    });
    connect(job, &search::SearchJob::finished, this, [this, rid, job, started](int total, qint64 ms) {
        m_ctx.metrics->searchLatency().observe(double(started.elapsed()));
        SearchComplete c;
        c.totalResults = total;
        c.processingTimeMs = ms;
        send(c, rid);
        m_searches.remove(rid);
        job->deleteLater();
    });
    connect(job, &search::SearchJob::failed, this, [this, rid, job](const search::SearchError &e) {
        m_searches.remove(rid);
        job->deleteLater();
        switch (e.code) {
        case search::SearchError::Code::Cancelled: {
            SearchComplete c;
            c.cancelled = true;
            send(c, rid);
            return;
        }
        case search::SearchError::Code::InvalidQuery:
            m_recentSearches.removeIf([&rid](const RecentSearch &s) { return s.requestId == rid; });
            return sendError(ErrorCode::QuerySyntax, e.message, rid, {{QStringLiteral("position"), e.position}});
        case search::SearchError::Code::Database:
            return sendError(ErrorCode::SearchFailed, QStringLiteral("the search failed"), rid);
        }
    });
#else
    Q_UNUSED(m);
    sendError(ErrorCode::SearchFailed, QStringLiteral("search is not part of this build"), rid);
#endif
}

bool Session::firstSend(const QString &rid, qint64 rowId, bool live)
{
    for (RecentSearch &s : m_recentSearches) {
        if (s.requestId != rid)
            continue;
        if (s.sent.contains(rowId))
            return false;
        if (m_searches.contains(rid))
            s.sent.insert(rowId);
        return true;
    }
    return !live; // a streaming search that left the recent ones still sends its own hits
}

void Session::onEmailsIndexed(const QList<qint64> &emailRowIds)
{
#if defined(HAVE_EMAILRAG_SEARCH)
    if (!isSubscribed(Channel::SearchResults) || m_recentSearches.isEmpty() || emailRowIds.isEmpty())
        return;
    for (const RecentSearch &s : std::as_const(m_recentSearches)) {
        // Cheap filter first (which of the new emails match), then the ranked hits for those.
        whenFinished(
            this, m_ctx.search->matches(m_userId, s.query, emailRowIds), [this, s](const QList<qint64> &matched) {
                if (matched.isEmpty() || !isSubscribed(Channel::SearchResults))
                    return;
                search::SearchRequest req;
                req.query = s.query;
                req.limit = search::SearchRequest::kMaxLimit;
                const QSet<qint64> wanted(matched.begin(), matched.end());
                whenFinished(
                    this, m_ctx.search->searchAll(m_userId, req), [this, s, wanted](const search::SearchOutcome &out) {
                        if (!isSubscribed(Channel::SearchResults))
                            return;
                        for (const search::SearchHit &h : out.hits) {
                            if (wanted.contains(h.rowId) && firstSend(s.requestId, h.rowId, true))
                                send(toSearchResult(h), s.requestId);
                        }
                    });
            });
    }
#else
    Q_UNUSED(emailRowIds);
#endif
}

void Session::handle(const QString &rid, const GetEmail &m)
{
#if defined(HAVE_EMAILRAG_SEARCH)
    whenFinished(
        this, m_ctx.search->getEmail(m_userId, m.emailId), [this, rid](const std::optional<search::EmailDetail> &d) {
            if (!d)
                return sendError(ErrorCode::NotFound, QStringLiteral("no such email"), rid);
            Email e;
            e.emailId = d->emailId;
            e.subject = d->subject;
            e.from = { d->fromName, d->fromAddr };
            e.to = toAddresses(d->to);
            e.cc = toAddresses(d->cc);
            e.date = toDate(d->date);
            e.text = d->bodyText;
            e.quotedText = d->quotedText;
            e.htmlDerived = d->bodyFromHtml;
            for (const auto &a : d->attachments)
                e.attachments.append({ a.filename, a.mimeType, a.sizeBytes });
            e.threadId = d->threadId;
            for (const auto &t : d->thread)
                e.thread.append({ t.emailId, t.subject, toAddress(t.from), toDate(t.date) });
            send(e, rid);
        });
#else
    Q_UNUSED(m);
    sendError(ErrorCode::NotFound, QStringLiteral("emails are not available in this build"), rid);
#endif
}

bool Session::cancelRequest(const QString &requestId)
{
#if defined(HAVE_EMAILRAG_SEARCH)
    if (auto job = m_searches.value(requestId)) {
        job->cancel(); // failed(Cancelled) follows -> search_complete {cancelled: true}
        return true;
    }
#endif
#if defined(HAVE_EMAILRAG_CHAT)
    if (auto run = m_chats.take(requestId)) {
        run->cancel();
        return true;
    }
#endif
    return false;
}

void Session::cancelChats()
{
#if defined(HAVE_EMAILRAG_CHAT)
    for (const auto &run : std::as_const(m_chats)) {
        if (run)
            run->cancel();
    }
#endif
    m_chats.clear();
}

#if defined(HAVE_EMAILRAG_CHAT)
namespace {
ChatSource toChatSource(const chat::Source &s)
{
    ChatSource c;
    c.emailId = s.emailId;
    c.relevance = std::clamp(s.relevance, 0.0, 1.0);
    if (!s.subject.isEmpty())
        c.subject = s.subject;
    if (!s.from.isEmpty())
        c.from = toAddress(s.from);
    if (s.date.isValid())
        c.date = s.date.toUTC();
    if (!s.passage.isEmpty())
        c.passage = s.passage;
    return c;
}
} // namespace
#endif

void Session::handle(const QString &rid, const ChatMessage &m)
{
#if defined(HAVE_EMAILRAG_CHAT)
    if (!rid.isEmpty() && (m_searches.contains(rid) || m_chats.contains(rid)))
        return sendError(ErrorCode::Conflict, QStringLiteral("a request with this request_id is still running"), rid);
    chat::RequestContext context;
    context.requestId = rid;
    chat::ChatRun *run = m_ctx.chat->ask(m_userId, m.message, m.conversationId.value_or(QString()), context);
    m_chats.insert(rid, run);
    QElapsedTimer started;
    started.start();
    const QString conv = run->conversationId();
    connect(run, &chat::ChatRun::chunkReady, this, [this, rid, conv](const QString &chunk) {
        send(ChatResponseChunk{chunk, conv}, rid);
    });
    connect(run, &chat::ChatRun::completed, this, [this, rid, started](const QString &conversationId, const QList<chat::Source> &sources) {
        m_ctx.metrics->chatLatency().observe(double(started.elapsed()));
        m_chats.remove(rid);
        ChatResponseComplete c;
        c.conversationId = conversationId;
        for (const auto &s : sources)
            c.sources.append(toChatSource(s));
        send(c, rid);
    });
    connect(run, &chat::ChatRun::failed, this, [this, rid](chat::ChatError, const QString &code, const QString &message) {
        m_chats.remove(rid);
        const ErrorCode ec = errorCodeFromName(code);
        sendError(ec == ErrorCode::Unknown ? ErrorCode::InternalError : ec, message, rid);
    });
#else
    Q_UNUSED(m);
    sendError(ErrorCode::LlmUnavailable, QStringLiteral("chat is not part of this build"), rid);
#endif
}

void Session::handle(const QString &rid, const ListConversations &)
{
#if defined(HAVE_EMAILRAG_CHAT)
    whenFinished(
        this, m_ctx.chat->listConversations(m_userId), [this, rid](const QList<chat::ConversationSummary> &list) {
            Conversations out;
            for (const auto &c : list)
                out.conversations.append({ c.id, c.title, c.createdAt.toUTC(), c.updatedAt.toUTC() });
            send(out, rid);
        });
#else
    send(Conversations{}, rid);
#endif
}

void Session::handle(const QString &rid, const GetConversation &m)
{
#if defined(HAVE_EMAILRAG_CHAT)
    whenFinished(this, m_ctx.chat->getConversation(m_userId, m.conversationId),
        [this, rid](const std::optional<chat::Conversation> &c) {
            if (!c)
                return sendError(ErrorCode::NotFound, QStringLiteral("no such conversation"), rid);
            protocol::Conversation out;
            out.conversationId = c->summary.id;
            out.title = c->summary.title;
            for (const chat::Turn &t : c->turns) {
                out.turns.append({ ChatRole::User, t.question, {}, t.createdAt.toUTC() });
                ChatTurn answer { ChatRole::Assistant, t.answer, {}, t.createdAt.toUTC() };
                for (const auto &s : t.sources)
                    answer.sources.append(toChatSource(s));
                out.turns.append(answer);
            }
            send(out, rid);
        });
#else
    Q_UNUSED(m);
    sendError(ErrorCode::NotFound, QStringLiteral("no such conversation"), rid);
#endif
}

void Session::handle(const QString &rid, const DeleteConversation &m)
{
#if defined(HAVE_EMAILRAG_CHAT)
    const QString id = m.conversationId;
    whenFinished(this, m_ctx.chat->deleteConversation(m_userId, id), [this, rid, id](bool ok) {
        if (!ok)
            return sendError(ErrorCode::NotFound, QStringLiteral("no such conversation"), rid);
        send(ConversationDeleted{id}, rid);
    });
#else
    Q_UNUSED(m);
    sendError(ErrorCode::NotFound, QStringLiteral("no such conversation"), rid);
#endif
}

} // namespace emailrag::server
