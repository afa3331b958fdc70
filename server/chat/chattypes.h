#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QUrl>

// Plain value types shared by the chat engine and its callers (the server core maps them onto
// protocol messages; this library does not link protocol). Copyable, usable on any thread.
namespace emailrag::chat {

// Why a chat run failed. errorCodeName() gives the stable wire string; the names are the error
// codes documented in docs/protocol.md so the server can pass them through unchanged.
enum class ChatError {
    LlmUnavailable,   // LLM_UNAVAILABLE: connection refused, host not found, TLS failure
    LlmTimeout,       // LLM_TIMEOUT: no first byte / no data for too long
    LlmError,         // LLM_ERROR: HTTP error status, error object in the stream
    LlmBadStream,     // LLM_ERROR too on the wire: malformed or cut-off SSE stream (message says which)
    ContextTooLong,   // CONTEXT_TOO_LONG: even the question alone does not fit, or the server said so
    NotFound,         // NOT_FOUND: conversation id belongs to nobody we can show this user
    InvalidRequest,   // INVALID_REQUEST: empty message, bad conversation id
    Internal,         // INTERNAL_ERROR: database failure
};
QString errorCodeName(ChatError error);

// One email an answer cites. `number` is the [n] used in the answer text; sources are listed in
// ascending number, 1..N without gaps, and only the ones the answer actually cites.
struct Source
{
    int number = 0;
    qint64 emailRowId = 0;  // emails.id
    QString emailId;        // API id: "email_" + emails.id
    double relevance = 0;   // 0..1, 1 = best retrieved match of this run
    QString subject;
    QString from;           // "Name <addr>" or the address alone
    QDateTime date;         // UTC; invalid when the email had no date
    QString passage;        // the cited sentence(s), verbatim from the email's new text

    bool operator==(const Source &) const = default;
};

// One question/answer pair of a conversation.
struct Turn
{
    int seq = 0;                // 1, 2, ... within the conversation
    QString requestId;
    QString question;
    QString answer;             // what was streamed (partial when failed/cancelled)
    QString status;             // "complete" | "failed" | "cancelled"
    QString errorCode;          // set when failed
    QString provider;           // "extractive" | "openai"
    QList<Source> sources;
    QDateTime createdAt;
};

struct ConversationSummary
{
    QString id;                 // "conv_" + 16 hex digits, or the id the client chose
    QString title;              // first question, shortened
    int turnCount = 0;
    QDateTime createdAt;
    QDateTime updatedAt;
};

struct Conversation
{
    ConversationSummary summary;
    QList<Turn> turns;          // oldest first
};

// Which generator answers. The extractive one needs no model and no network and is the default.
struct ProviderConfig
{
    enum class Kind { Extractive, OpenAiCompatible };
    Kind kind = Kind::Extractive;

    // OpenAI-compatible /v1/chat/completions (Ollama, llama.cpp server, LM Studio, vLLM, OpenAI).
    QUrl baseUrl;               // e.g. http://127.0.0.1:11434/v1 or http://host:8080 ("/v1" is added when missing)
    QString model;
    QString apiKey;             // from EMAILRAG_LLM_API_KEY (fromEnvironment) or the caller's keychain; never logged
    int connectTimeoutMs = 10000;  // until response headers arrive
    int idleTimeoutMs = 60000;     // between two pieces of the stream
    int totalTimeoutMs = 300000;   // whole answer
    int contextTokens = 8192;      // model context window used to size the prompt
    int maxAnswerTokens = 1024;
    double temperature = 0.2;

    // Extractive only / fills OpenAI fields from EMAILRAG_LLM_BASE_URL, EMAILRAG_LLM_MODEL,
    // EMAILRAG_LLM_API_KEY. Kind is OpenAiCompatible when a base URL is set, else Extractive.
    static ProviderConfig fromEnvironment();
};

// Knobs of retrieval; defaults suit a laptop.
struct RetrievalConfig
{
    int searchLimit = 8;        // emails taken from search
    // SearchRequest::candidateBudget for a question: "What did <sender> say about <subject>?"
    // holds many mid-frequency words; at 1M emails their candidates were 50,000-145,000 rows and
    // the first chunk's p95 about 150 ms without a bound (docs/chat.md).
    qint64 candidateBudget = 50000;
    int contextTokens = 3000;   // budget for source text given to the generator (thread expansion stops here)
    int maxThreadExpansion = 6; // extra emails per thread at most
};

// Who asked, for logs and persistence.
struct RequestContext
{
    QString requestId;
};

} // namespace emailrag::chat

Q_DECLARE_METATYPE(emailrag::chat::Source)
Q_DECLARE_METATYPE(emailrag::chat::ChatError)
