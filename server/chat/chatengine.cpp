#include "chatengine.h"

#include "chatlog.h"
#include "conversationstore.h"
#include "dbworker.h"
#include "ftsretriever.h"
#include "retriever.h"
#include "searchretriever.h"

#include <QNetworkAccessManager>
#include <QTimer>

#include <atomic>

Q_LOGGING_CATEGORY(lcChat, "emailrag.chat")

namespace emailrag::chat {

namespace {
// Connection names are process-wide: each engine's worker gets its own.
int nextEngineNumber()
{
    static std::atomic_int counter{0};
    return ++counter;
}
} // namespace

ChatEngine::ChatEngine(storage::DatabaseConfig db, ProviderConfig provider, QObject *parent)
    : QObject(parent)
    , m_worker(std::make_unique<storage::DbWorker>(
          std::move(db), QStringLiteral("emailrag-chat-%1").arg(nextEngineNumber())))
    , m_provider(std::move(provider))
    , m_store(std::make_unique<ConversationStore>(*m_worker))
    , m_network(new QNetworkAccessManager(this))
{
    qRegisterMetaType<emailrag::chat::Source>();
    qRegisterMetaType<QList<emailrag::chat::Source>>();
    qRegisterMetaType<emailrag::chat::ChatError>();
}

ChatEngine::ChatEngine(storage::DatabaseConfig db, ProviderConfig provider, search::SearchEngine *search, QObject *parent)
    : ChatEngine(std::move(db), std::move(provider), parent)
{
    if (search)
        m_retriever = std::make_unique<SearchRetriever>(search, std::make_unique<FtsRetriever>(*m_worker));
    else
        m_retriever = std::make_unique<FtsRetriever>(*m_worker);
}

ChatEngine::ChatEngine(storage::DatabaseConfig db, ProviderConfig provider, std::unique_ptr<Retriever> retriever,
                       QObject *parent)
    : ChatEngine(std::move(db), std::move(provider), parent)
{
    m_retriever = retriever ? std::move(retriever) : std::make_unique<FtsRetriever>(*m_worker);
}

ChatEngine::~ChatEngine()
{
    // Runs first (they reference the store and network), then the retriever, then the worker,
    // whose destructor waits for queued SQL.
    const auto runs = findChildren<ChatRun *>(Qt::FindDirectChildrenOnly);
    for (ChatRun *r : runs)
        delete r;
    m_retriever.reset();
    m_store.reset();
    m_worker.reset();
}

void ChatEngine::setProviderConfig(const ProviderConfig &provider)
{
    m_provider = provider;
}

ChatRun *ChatEngine::ask(qint64 userId, const QString &message, const QString &conversationId, const RequestContext &context)
{
    auto *run = new ChatRun(this, userId, conversationId.isEmpty() ? ConversationStore::newId() : conversationId, message,
                            context);
    QTimer::singleShot(0, run, &ChatRun::start);
    return run;
}

QFuture<QList<ConversationSummary>> ChatEngine::listConversations(qint64 userId)
{
    return m_store->list(userId);
}

QFuture<std::optional<Conversation>> ChatEngine::getConversation(qint64 userId, const QString &conversationId)
{
    return m_store->get(userId, conversationId);
}

QFuture<bool> ChatEngine::deleteConversation(qint64 userId, const QString &conversationId)
{
    return m_store->remove(userId, conversationId);
}

} // namespace emailrag::chat
