#include "seedexamples.h"

#include <QTimeZone>

namespace emailrag::protocol::test {

namespace {
QDateTime seedTime()
{
    return QDateTime(QDate(2026, 1, 11), QTime(10, 0, 0), Qt::UTC);
}
} // namespace

QList<SeedExample> seedExamples()
{
    const QStringList threeChannels { QStringLiteral("uploads"), QStringLiteral("search_results"),
        QStringLiteral("system_status") };
    QList<SeedExample> list;

    list.append({ "subscribe", R"({
  "type": "subscribe",
  "data": {
    "channels": ["uploads", "search_results", "system_status"]
  },
  "request_id": "req_1"
})",
        ClientEnvelope { Subscribe { threeChannels }, QStringLiteral("req_1") } });

    list.append({ "subscribed", R"({
  "type": "subscribed",
  "data": {
    "channels": ["uploads", "search_results", "system_status"]
  },
  "request_id": "req_1"
})",
        ServerEnvelope { Subscribed { threeChannels }, QStringLiteral("req_1"), {} } });

    list.append({ "unsubscribe", R"({
  "type": "unsubscribe",
  "data": {
    "channels": ["uploads"]
  },
  "request_id": "req_2"
})",
        ClientEnvelope { Unsubscribe { { QStringLiteral("uploads") } }, QStringLiteral("req_2") } });

    list.append({ "upload_progress", R"({
  "type": "upload_progress",
  "data": {
    "upload_id": "upload_123",
    "status": "processing",
    "progress": 45,
    "emails_processed": 4500,
    "total_emails": 10000,
    "current_operation": "indexing_emails"
  },
  "timestamp": "2026-01-11T10:00:00Z"
})",
        ServerEnvelope { UploadProgress { QStringLiteral("upload_123"), UploadStatus::Processing, 45, 4500, 10000,
                             QStringLiteral("indexing_emails"), std::nullopt },
            {}, seedTime() } });

    list.append({ "stream_search", R"({
  "type": "stream_search",
  "data": {
    "query": "Find urgent emails",
    "limit": 50
  },
  "request_id": "search_1"
})",
        ClientEnvelope { StreamSearch { QStringLiteral("Find urgent emails"), 50 }, QStringLiteral("search_1") } });

    list.append({ "search_result", R"({
  "type": "search_result",
  "data": {
    "email_id": "email_123",
    "subject": "Urgent: Action Required",
    "score": 0.95
  },
  "request_id": "search_1"
})",
        ServerEnvelope { SearchResult { QStringLiteral("email_123"), QStringLiteral("Urgent: Action Required"), 0.95,
                             std::nullopt, std::nullopt, std::nullopt, std::nullopt },
            QStringLiteral("search_1"), {} } });

    list.append({ "search_complete", R"({
  "type": "search_complete",
  "data": {
    "total_results": 25,
    "processing_time_ms": 850
  },
  "request_id": "search_1"
})",
        ServerEnvelope { SearchComplete { 25, 850, std::nullopt }, QStringLiteral("search_1"), {} } });

    list.append({ "chat_message", R"({
  "type": "chat_message",
  "data": {
    "message": "Summarize emails about the project",
    "conversation_id": "conv_123"
  },
  "request_id": "chat_1"
})",
        ClientEnvelope {
            ChatMessage { QStringLiteral("Summarize emails about the project"), QStringLiteral("conv_123") },
            QStringLiteral("chat_1") } });

    list.append({ "chat_response_chunk", R"({
  "type": "chat_response_chunk",
  "data": {
    "chunk": "Based on the project emails...",
    "conversation_id": "conv_123"
  },
  "request_id": "chat_1"
})",
        ServerEnvelope {
            ChatResponseChunk { QStringLiteral("Based on the project emails..."), QStringLiteral("conv_123") },
            QStringLiteral("chat_1"), {} } });

    ChatSource source;
    source.emailId = QStringLiteral("email_1");
    source.relevance = 0.92;
    list.append({ "chat_response_complete", R"({
  "type": "chat_response_complete",
  "data": {
    "conversation_id": "conv_123",
    "sources": [
      {
        "email_id": "email_1",
        "relevance": 0.92
      }
    ]
  },
  "request_id": "chat_1"
})",
        ServerEnvelope {
            ChatResponseComplete { QStringLiteral("conv_123"), { source } }, QStringLiteral("chat_1"), {} } });

    list.append({ "system_notification", R"({
  "type": "system_notification",
  "data": {
    "level": "info",
    "message": "System maintenance scheduled for 2026-01-15",
    "action_required": false
  },
  "timestamp": "2026-01-11T10:00:00Z"
})",
        ServerEnvelope { SystemNotification { NotificationLevel::Info,
                             QStringLiteral("System maintenance scheduled for 2026-01-15"), false },
            {}, seedTime() } });

    list.append({ "new_emails", R"({
  "type": "new_emails",
  "data": {
    "count": 150,
    "upload_id": "upload_123"
  },
  "timestamp": "2026-01-11T10:00:00Z"
})",
        ServerEnvelope { NewEmails { 150, QStringLiteral("upload_123") }, {}, seedTime() } });

    list.append({ "ping", R"({
  "type": "ping",
  "request_id": "ping_1"
})",
        ClientEnvelope { Ping {}, QStringLiteral("ping_1") } });

    list.append({ "pong", R"({
  "type": "pong",
  "request_id": "ping_1",
  "timestamp": "2026-01-11T10:00:00Z"
})",
        ServerEnvelope { Pong {}, QStringLiteral("ping_1"), seedTime() } });

    list.append({ "error", R"({
  "type": "error",
  "data": {
    "error_code": "INVALID_REQUEST",
    "message": "Invalid message format",
    "details": {}
  },
  "request_id": "req_1",
  "timestamp": "2026-01-11T10:00:00Z"
})",
        ServerEnvelope {
            ErrorMessage { ErrorCode::InvalidRequest, QStringLiteral("Invalid message format"), {}, std::nullopt },
            QStringLiteral("req_1"), seedTime() } });

    list.append({ "connected", R"({
  "type": "connected",
  "data": {
    "session_id": "session_123",
    "user_id": "user_456"
  },
  "timestamp": "2026-01-11T10:00:00Z"
})",
        ServerEnvelope {
            Connected { QStringLiteral("session_123"), QStringLiteral("user_456"), std::nullopt }, {}, seedTime() } });

    list.append({ "disconnecting", R"({
  "type": "disconnecting",
  "data": {
    "reason": "server_shutdown",
    "reconnect_delay_ms": 5000
  },
  "timestamp": "2026-01-11T10:00:00Z"
})",
        ServerEnvelope { Disconnecting { QStringLiteral("server_shutdown"), 5000 }, {}, seedTime() } });

    // The seed's JavaScript client builds these two with its send(): request ids req_N.
    list.append({ "js client subscribe",
        R"({"type":"subscribe","data":{"channels":["uploads","search_results"]},"request_id":"req_1"})",
        ClientEnvelope {
            Subscribe { { QStringLiteral("uploads"), QStringLiteral("search_results") } }, QStringLiteral("req_1") } });
    list.append({ "js client stream_search",
        R"({"type":"stream_search","data":{"query":"Find urgent emails","limit":50},"request_id":"req_2"})",
        ClientEnvelope { StreamSearch { QStringLiteral("Find urgent emails"), 50 }, QStringLiteral("req_2") } });
    return list;
}

} // namespace emailrag::protocol::test
