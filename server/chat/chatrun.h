#pragma once

#include "chattypes.h"
#include "conversationstore.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace emailrag::chat {

class ChatEngine;
class Generation;

// One answer being produced: retrieval, then generation streamed as chunks. Created by
// ChatEngine::ask() on the engine's thread and used there only.
//
// Signals, in order: chunkReady() zero or more times (in order; concatenated they are the answer,
// citations already renumbered to the final `sources`), then exactly one of completed() or
// failed(). After cancel() no further signal is emitted. conversationId() is known from the start,
// so every chunk can carry it.
//
// Ownership: the engine is the parent; the run deletes itself (deleteLater) after its final
// signal or after cancel(). Hold it in a QPointer.
class ChatRun : public QObject
{
    Q_OBJECT
public:
    ~ChatRun() override;

    QString conversationId() const { return m_conversationId; }
    QString requestId() const { return m_context.requestId; }
    bool isFinished() const { return m_finished; }

    // Where the time to the first chunk went (ms since ask(); -1 until reached). For metrics and
    // the benchmark; read it when the first chunk or the final signal arrives.
    struct PhaseTimes
    {
        qint64 conversationMs = -1; // conversation opened / created, history loaded
        qint64 searchMs = -1;       // retrieval returned
        qint64 contextMs = -1;      // emails loaded, threads expanded
        qint64 firstChunkMs = -1;
    };
    PhaseTimes phaseTimes() const;

    // Stops retrieval's continuation and generation at once, aborting the upstream HTTP request.
    // The partial turn is stored with status "cancelled". Safe to call more than once.
    void cancel();

Q_SIGNALS:
    void chunkReady(const QString &chunk);
    void completed(const QString &conversationId, const QList<emailrag::chat::Source> &sources);
    // errorCode is the wire name (errorCodeName(error)); message is for the user.
    void failed(emailrag::chat::ChatError error, const QString &errorCode, const QString &message);

private:
    friend class ChatEngine;
    ChatRun(ChatEngine *engine, qint64 userId, QString conversationId, QString message, RequestContext context);

    void start();
    void onConversationOpened(const ConversationStore::Opened &opened);
    void generate();
    Turn makeTurn(const QString &status, const QString &errorCode) const;
    void fail(ChatError error, const QString &message);
    void onGenerationText(const QString &text);
    void onGenerationFinished();
    void onGenerationFailed(ChatError error, const QString &message);

    struct Private;
    ChatEngine *m_engine;
    qint64 m_userId;
    QString m_conversationId;
    QString m_message;
    RequestContext m_context;
    bool m_finished = false;
    bool m_cancelled = false;
    std::unique_ptr<Private> d;
};

} // namespace emailrag::chat
