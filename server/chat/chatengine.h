#pragma once

#include "chattypes.h"
#include "chatrun.h"

#include "database.h"

#include <QFuture>
#include <QObject>

#include <cstddef>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace emailrag::search { class SearchEngine; }
namespace emailrag::storage { class DbWorker; }

namespace emailrag::chat {

class Retriever;
class ConversationStore;

// The RAG chat engine: answers a user's question from that user's own mail, streaming chunks
// with [n] citations, and keeps conversations per user.
//
// Thread: create it on the thread that will call it (the server's session/handler thread); all
// methods and every ChatRun live there. SQL runs on the engine's own DbWorker thread, network
// I/O through its QNetworkAccessManager on this thread, so nothing here blocks the event loop.
// Owner: the server (QObject parent or unique_ptr). Failures arrive as ChatRun::failed or as
// empty/std::nullopt results; every query failure is logged by storage.
//
// Isolation: every method takes the user id and touches only that user's emails and
// conversations; another user's conversation id behaves exactly like an unknown one.
class ChatEngine : public QObject
{
    Q_OBJECT
public:
    // `search` may be null: retrieval then falls back to the built-in FTS5 retriever.
    ChatEngine(storage::DatabaseConfig db, ProviderConfig provider, search::SearchEngine *search = nullptr,
               QObject *parent = nullptr);
    // No search engine: the FTS5 fallback retriever (also settles `nullptr` between the overloads).
    ChatEngine(storage::DatabaseConfig db, ProviderConfig provider, std::nullptr_t, QObject *parent = nullptr)
        : ChatEngine(std::move(db), std::move(provider), static_cast<search::SearchEngine *>(nullptr), parent) { }
    // Test/bench seam: any Retriever (takes ownership).
    ChatEngine(storage::DatabaseConfig db, ProviderConfig provider, std::unique_ptr<Retriever> retriever,
               QObject *parent = nullptr);
    ~ChatEngine() override;

    void setProviderConfig(const ProviderConfig &provider);
    ProviderConfig providerConfig() const { return m_provider; }
    void setRetrievalConfig(const RetrievalConfig &config) { m_retrieval = config; }
    RetrievalConfig retrievalConfig() const { return m_retrieval; }

    // Starts answering `message`. An empty conversationId starts a new conversation with a fresh
    // "conv_<16 hex>" id; an id the user already has continues it (earlier turns resolve
    // follow-ups); an unknown, well-formed id (letters, digits, '_' '-', at most 64) is created
    // for this user. Never returns null; errors are reported through the run's failed() signal
    // (queued, so connect right after calling).
    ChatRun *ask(qint64 userId, const QString &message, const QString &conversationId = {},
                 const RequestContext &context = {});

    // Conversations of `userId`, newest first.
    QFuture<QList<ConversationSummary>> listConversations(qint64 userId);
    // std::nullopt when the id is unknown or belongs to another user.
    QFuture<std::optional<Conversation>> getConversation(qint64 userId, const QString &conversationId);
    // false when the id is unknown or belongs to another user.
    QFuture<bool> deleteConversation(qint64 userId, const QString &conversationId);

    // Internals shared with ChatRun.
    ConversationStore &store() { return *m_store; }
    Retriever &retriever() { return *m_retriever; }
    storage::DbWorker &worker() { return *m_worker; }
    QNetworkAccessManager *network() { return m_network; }

private:
    ChatEngine(storage::DatabaseConfig db, ProviderConfig provider, QObject *parent);

    std::unique_ptr<storage::DbWorker> m_worker;
    ProviderConfig m_provider;
    RetrievalConfig m_retrieval;
    std::unique_ptr<ConversationStore> m_store;
    std::unique_ptr<Retriever> m_retriever;
    QNetworkAccessManager *m_network;
};

} // namespace emailrag::chat
