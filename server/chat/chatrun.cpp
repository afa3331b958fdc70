#include "chatrun.h"

#include "chatengine.h"
#include "chatlog.h"
#include "citationfilter.h"
#include "contextbuilder.h"
#include "conversationstore.h"
#include "extractiveprovider.h"
#include "futurewatch.h"
#include "openaiprovider.h"
#include "promptbuilder.h"
#include "retriever.h"
#include "textutil.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

namespace emailrag::chat {

namespace {

// The doc sentence that best supports the answer text around citation [n]: the sentence with
// most content words shared with the answer sentences that cite it. Verbatim from the email.
QString bestPassage(const ContextDoc &doc, const QString &answer, int number)
{
    const QString tag = QStringLiteral("[%1]").arg(number);
    QSet<QString> wanted;
    for (const QString &sentence : text::splitSentences(answer)) {
        if (!sentence.contains(tag))
            continue;
        for (const QString &t : text::contentTerms(sentence))
            wanted.insert(text::stem(t));
    }
    const QStringList sentences = text::splitSentences(doc.text);
    QString best;
    int bestScore = 0;
    for (const QString &s : sentences) {
        int score = 0;
        for (const QString &t : text::contentTerms(s))
            score += wanted.contains(text::stem(t)) ? 1 : 0;
        if (score > bestScore) {
            bestScore = score;
            best = s;
        }
    }
    if (best.isEmpty() && !sentences.isEmpty())
        best = sentences.first();
    return best.left(500);
}

} // namespace

struct ChatRun::Private
{
    ConversationStore::Opened conversation;
    QString retrievalQuery;
    GenerationInput input;
    std::unique_ptr<GenerationProvider> provider;
    QPointer<Generation> generation;
    std::optional<CitationFilter> filter;
    QString answer;
    QString providerName;
    QElapsedTimer clock;        // phase timings for the debug log
    ChatRun::PhaseTimes times;
};

ChatRun::ChatRun(ChatEngine *engine, qint64 userId, QString conversationId, QString message, RequestContext context)
    : QObject(engine)
    , m_engine(engine)
    , m_userId(userId)
    , m_conversationId(std::move(conversationId))
    , m_message(std::move(message))
    , m_context(std::move(context))
    , d(std::make_unique<Private>())
{
}

ChatRun::~ChatRun() = default;

ChatRun::PhaseTimes ChatRun::phaseTimes() const
{
    return d->times;
}

void ChatRun::start()
{
    if (m_finished)
        return;
    if (m_message.trimmed().isEmpty() || m_message.size() > 20000) {
        fail(ChatError::InvalidRequest, tr("The message must be between 1 and 20000 characters."));
        return;
    }
    d->clock.start();
    watchFuture(this, m_engine->store().open(m_userId, m_conversationId, m_message),
                [this](const ConversationStore::Opened &opened) { onConversationOpened(opened); }, [this] {
                    fail(ChatError::Internal, tr("The conversation could not be opened."));
                });
}

void ChatRun::onConversationOpened(const ConversationStore::Opened &opened)
{
    if (m_finished)
        return;
    if (!opened.ok) {
        fail(opened.error, opened.message);
        return;
    }
    d->conversation = opened;
    m_conversationId = opened.publicId;
    d->times.conversationMs = d->clock.elapsed();

    // Follow-ups ("and what did she reply?") borrow the previous question's words and start
    // from the emails the previous answer cited.
    QList<qint64> seeds;
    d->retrievalQuery = m_message;
    bool wantReplies = false;
    if (!opened.history.isEmpty() && text::looksLikeFollowUp(m_message)) {
        const Turn &last = opened.history.last();
        d->retrievalQuery = m_message + QLatin1Char(' ') + last.question;
        // The emails the previous answer was mainly about, not those it cited in passing.
        double top = 0;
        for (const Source &s : last.sources)
            top = std::max(top, s.relevance);
        for (const Source &s : last.sources)
            if (s.relevance >= 0.8 * top)
                seeds << s.emailRowId;
        wantReplies = text::asksForReply(m_message);
    }
    d->input.question = m_message;
    d->input.queryTerms = text::contentTerms(d->retrievalQuery);
    d->input.history = opened.history;

    const RetrievalConfig rc = m_engine->retrievalConfig();
    watchFuture(
        this, m_engine->retriever().retrieve(m_userId, d->retrievalQuery, rc.searchLimit, rc.candidateBudget),
        [this, seeds, wantReplies, rc](const QList<RetrievalHit> &hits) {
            if (m_finished)
                return;
            const qint64 user = m_userId;
            d->times.searchMs = d->clock.elapsed();
            watchFuture(
                this,
                m_engine->worker().run([user, hits, seeds, wantReplies, rc](QSqlDatabase &db) {
                    return ContextBuilder(rc).build(db, user, hits, seeds, wantReplies);
                }),
                [this](const QList<ContextDoc> &docs) {
                    if (m_finished)
                        return;
                    d->input.docs = docs;
                    d->times.contextMs = d->clock.elapsed();
                    generate();
                },
                [this] { fail(ChatError::Internal, tr("The emails could not be loaded.")); });
        },
        // The search engine went away (server shutting down): never leave the client waiting.
        [this] { fail(ChatError::Internal, tr("The search was cancelled.")); });
}

void ChatRun::generate()
{
    const ProviderConfig config = m_engine->providerConfig();
    if (config.kind == ProviderConfig::Kind::OpenAiCompatible) {
        const auto prompt = PromptBuilder::build(d->input, config);
        if (!prompt) {
            fail(ChatError::ContextTooLong, tr("The question is too long for the model's context window (%1 tokens).")
                                                .arg(config.contextTokens));
            return;
        }
        d->input.docs = d->input.docs.mid(0, prompt->sourceCount);
        d->provider = std::make_unique<OpenAiProvider>(m_engine->network(), config);
    } else {
        d->provider = std::make_unique<ExtractiveProvider>();
    }
    d->providerName = d->provider->name();
    d->filter.emplace(int(d->input.docs.size()));
    qCDebug(lcChat) << "run" << m_context.requestId << "conversation" << m_conversationId << "sources" << d->input.docs.size()
                    << "provider" << d->providerName;
    d->generation = d->provider->start(d->input, this);
    connect(d->generation, &Generation::textReady, this, &ChatRun::onGenerationText);
    connect(d->generation, &Generation::finished, this, &ChatRun::onGenerationFinished);
    connect(d->generation, &Generation::failed, this, &ChatRun::onGenerationFailed);
}

void ChatRun::onGenerationText(const QString &text)
{
    if (m_finished)
        return;
    const QString out = d->filter->feed(text);
    if (out.isEmpty())
        return;
    d->answer += out;
    if (d->times.firstChunkMs < 0) {
        d->times.firstChunkMs = d->clock.elapsed();
        qCDebug(lcChat) << "run" << m_context.requestId << "first chunk after" << d->times.firstChunkMs
                        << "ms (conversation" << d->times.conversationMs << "ms, search"
                        << d->times.searchMs - d->times.conversationMs << "ms, context"
                        << d->times.contextMs - d->times.searchMs << "ms)";
    }
    Q_EMIT chunkReady(out);
}

void ChatRun::onGenerationFinished()
{
    if (m_finished)
        return;
    const QString rest = d->filter->flush();
    if (!rest.isEmpty()) {
        d->answer += rest;
        Q_EMIT chunkReady(rest);
    }
    const QHash<int, QStringList> quoted = d->generation ? d->generation->quotedPassages() : QHash<int, QStringList>();
    QList<Source> sources;
    const QList<int> cited = d->filter->cited();
    for (int n = 0; n < cited.size(); ++n) {
        const ContextDoc &doc = d->input.docs.at(cited.at(n) - 1);
        Source s;
        s.number = n + 1;
        s.emailRowId = doc.rowId;
        s.emailId = QStringLiteral("email_%1").arg(doc.rowId);
        s.relevance = std::clamp(doc.relevance, 0.0, 1.0);
        s.subject = doc.subject;
        s.from = doc.from;
        s.date = doc.date;
        s.passage = quoted.contains(doc.index) ? quoted.value(doc.index).join(QLatin1Char('\n'))
                                               : bestPassage(doc, d->answer, n + 1);
        sources << s;
    }
    m_finished = true;
    Turn turn = makeTurn(QStringLiteral("complete"), QString());
    turn.sources = sources;
    // completed() waits for the turn to be stored, so get_conversation right after sees it.
    auto done = [this, sources](bool ok) {
        if (!ok)
            qCWarning(lcChat) << "could not store the turn of" << m_conversationId;
        Q_EMIT completed(m_conversationId, sources);
        deleteLater();
    };
    watchFuture(this, m_engine->store().saveTurn(d->conversation.rowId, turn, d->retrievalQuery), done,
                [done]() mutable { done(false); });
}

void ChatRun::onGenerationFailed(ChatError error, const QString &message)
{
    fail(error, message);
}

Turn ChatRun::makeTurn(const QString &status, const QString &errorCode) const
{
    Turn t;
    t.requestId = m_context.requestId;
    t.question = m_message;
    t.answer = d->answer;
    t.status = status;
    t.errorCode = errorCode;
    t.provider = d->providerName.isEmpty() ? QStringLiteral("none") : d->providerName;
    return t;
}

void ChatRun::fail(ChatError error, const QString &message)
{
    if (m_finished)
        return;
    m_finished = true;
    if (d->generation)
        d->generation->cancel();
    const QString code = errorCodeName(error);
    if (d->conversation.ok)
        m_engine->store().saveTurn(d->conversation.rowId, makeTurn(QStringLiteral("failed"), code), d->retrievalQuery);
    qCInfo(lcChat) << "run" << m_context.requestId << "failed:" << code << message;
    // Queued, so a failure found inside ask() still reaches slots connected after it returns.
    QMetaObject::invokeMethod(this, [this, error, code, message] {
        Q_EMIT failed(error, code, message);
        deleteLater();
    }, Qt::QueuedConnection);
}

void ChatRun::cancel()
{
    if (m_finished || m_cancelled)
        return;
    m_cancelled = true;
    m_finished = true;
    if (d->generation)
        d->generation->cancel(); // aborts the upstream HTTP request now
    if (d->conversation.ok)
        m_engine->store().saveTurn(d->conversation.rowId, makeTurn(QStringLiteral("cancelled"), QString()), d->retrievalQuery);
    deleteLater();
}

} // namespace emailrag::chat
