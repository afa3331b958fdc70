#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

// Plain value types of the search library: what a caller asks for and what it gets back.
// Copyable, thread-agnostic; they travel through queued signals and QFutures.
namespace emailrag::search {

struct SearchRequest
{
    static constexpr int kDefaultLimit = 50;
    static constexpr int kMaxLimit = 500;

    QString query;                  // the user's text: operators and/or a natural-language request
    int limit = kDefaultLimit;      // <= 0 means the default; clamped to kMaxLimit
    bool oneHitPerThread = false;   // keep only the best-ranked email of each thread
    bool feedback = false;          // pseudo-relevance feedback fused by RRF (docs/search.md)
    // Hybrid: lexical and semantic lists fused by RRF when the user's mail has vectors (lexical
    // alone until the embedding stage has run). Lexical/Semantic: one side only (benchmarks).
    enum class Ranking { Hybrid, Lexical, Semantic };
    Ranking ranking = Ranking::Hybrid;
    QDateTime now;                  // "now" for relative dates (today, 7d, last week); invalid = current time
    QList<qint64> onlyIds;          // when not empty, rank only these emails (live search: just-imported ids)
    // A request's rarer words (those that select the candidates; the others only score) are taken
    // from the rarest up while the emails holding them add up to at most this many (the rarest
    // word always). 0 = no bound. Long questions (chat) hold many mid-frequency words that
    // together select a large share of a big store; the bound keeps their ranking cheap at the
    // cost of emails that hold none of the rarer words (docs/search.md).
    qint64 candidateBudget = 0;

    int effectiveLimit() const;
};

// One ranked email. Emitted in rank order.
struct SearchHit
{
    qint64 rowId = 0;               // emails.id
    QString emailId;                // API id: "email_<rowId>"
    QString subject;
    double score = 0;               // 0..1, higher is better, comparable across queries (docs/search.md)
    QString from;                   // "Name <addr>" or just the address
    QString date;                   // ISO-8601 UTC ("2001-05-14T16:39:00Z"); empty when the email had no date
    QString snippet;                // text around the matches; matched terms wrapped in « and »
    QString threadId;
    int rank = 0;                   // 1-based position in this result list
};

// Why a search could not run. `position` is the 0-based character offset in the query where the
// problem was found (-1 when not about a position); `message` names it for a person.
struct SearchError
{
    enum class Code { InvalidQuery, Database, Cancelled };
    Code code = Code::InvalidQuery;
    QString message;
    int position = -1;
};

// What a finished search reports.
struct SearchSummary
{
    int totalResults = 0;           // hits emitted (<= limit)
    qint64 processingTimeMs = 0;    // from start to the last hit
    qint64 firstResultMs = -1;      // from start to the first hit; -1 when there was none
    bool relaxed = false;           // no email matched every term, so any-term matching was used
};

// A whole search at once (for callers that do not stream, e.g. chat retrieval).
struct SearchOutcome
{
    QList<SearchHit> hits;
    SearchSummary summary;
    std::optional<SearchError> error;
    bool ok() const { return !error.has_value(); }
};

struct AttachmentInfo
{
    qint64 id = 0;
    QString filename;
    QString mimeType;
    qint64 sizeBytes = 0;
    bool hasText = false;           // extracted text is stored for it
};

// One email of a thread, oldest first in EmailDetail::thread.
struct ThreadEntry
{
    QString emailId;
    QString subject;
    QString from;
    QString date;
};

// The whole email as get_email returns it.
struct EmailDetail
{
    qint64 rowId = 0;
    QString emailId;
    QString messageId;
    QString threadId;
    QString uploadId;
    QString subject;
    QString fromName;
    QString fromAddr;
    QString from;                   // "Name <addr>"
    QString to;
    QString cc;
    QString date;                   // ISO-8601 UTC
    int dateOffsetMinutes = 0;      // the Date header's own offset
    QString inReplyTo;
    QStringList references;
    QString bodyText;               // new text (quoted history and signature removed)
    QString quotedText;             // quoted history and signature
    bool bodyFromHtml = false;      // bodyText was rendered from an HTML-only body
    qint64 sizeBytes = 0;
    QList<AttachmentInfo> attachments;
    QList<ThreadEntry> thread;      // every email of the thread (this one included), oldest first
};

QString emailIdFor(qint64 rowId);            // "email_<id>"
std::optional<qint64> rowIdFromEmailId(const QString &emailId); // accepts "email_<id>" or "<id>"
QString isoUtc(qint64 secondsSinceEpoch);    // "YYYY-MM-DDTHH:MM:SSZ"

} // namespace emailrag::search

Q_DECLARE_METATYPE(emailrag::search::SearchHit)
Q_DECLARE_METATYPE(emailrag::search::SearchError)
Q_DECLARE_METATYPE(emailrag::search::SearchSummary)
