#include "samplemessages.h"

namespace emailrag::protocol::test {

namespace {
QDateTime at(int day, int hour)
{
    return QDateTime(QDate(2026, 1, day), QTime(hour, 15, 30), Qt::UTC);
}

Address alice()
{
    return { QStringLiteral("Alice Ärger"), QStringLiteral("alice@example.org") };
}
Address bob()
{
    return { QString(), QStringLiteral("bob@example.org") };
}

ChatSource fullSource()
{
    return { QStringLiteral("email_7"), 0.5, QStringLiteral("Budget 2026"), alice(), at(3, 9),
        QStringLiteral("The budget is approved.") };
}
} // namespace

QList<ClientMessage> sampleClientMessages()
{
    return {
        Subscribe { { QStringLiteral("uploads"), QStringLiteral("system_status") } },
        Unsubscribe { { QStringLiteral("search_results") } },
        StreamSearch { QStringLiteral("from:alice budget \"Q1\" 東京"), 500 },
        StreamSearch { QStringLiteral("minimal"), std::nullopt },
        ChatMessage { QStringLiteral("What did Alice say?\nWith a newline."), QStringLiteral("conv_9") },
        ChatMessage { QStringLiteral("New conversation"), std::nullopt },
        Ping {},
        UploadStart {
            QStringLiteral("archive.mbox"), 123456789, QStringLiteral("mbox"), QStringLiteral("upload_00ff") },
        UploadStart { QStringLiteral("empty.eml"), 0, std::nullopt, std::nullopt },
        UploadFinish { QStringLiteral("upload_00ff"), QString(64, QLatin1Char('a')) },
        GetEmail { QStringLiteral("email_42") },
        ListUploads {},
        Cancel { QStringLiteral("search_1"), std::nullopt },
        Cancel { std::nullopt, QStringLiteral("upload_00ff") },
        RefreshToken { QStringLiteral("rt.abc") },
        RefreshToken { std::nullopt },
        GetSystemStatus {},
        ListConversations {},
        GetConversation { QStringLiteral("conv_9") },
        DeleteConversation { QStringLiteral("conv_9") },
    };
}

QList<ServerMessage> sampleServerMessages()
{
    Email email;
    email.emailId = QStringLiteral("email_42");
    email.subject = QStringLiteral("Re: Budget 2026");
    email.from = alice();
    email.to = { bob(), alice() };
    email.cc = { bob() };
    email.date = at(4, 11);
    email.text = QStringLiteral("Approved.");
    email.quotedText = QStringLiteral("> Is it approved?");
    email.htmlDerived = true;
    email.attachments = { { QStringLiteral("plan.pdf"), QStringLiteral("application/pdf"), 20480 } };
    email.threadId = QStringLiteral("thread_5");
    email.thread = { { QStringLiteral("email_41"), QStringLiteral("Budget 2026"), bob(), at(3, 10) },
        { QStringLiteral("email_42"), QStringLiteral("Re: Budget 2026"), alice(), std::nullopt } };

    Email minimalEmail;
    minimalEmail.emailId = QStringLiteral("email_1");
    minimalEmail.threadId = QStringLiteral("thread_1");

    ErrorMessage rateLimited { ErrorCode::RateLimited, QStringLiteral("Too many messages"),
        QJsonObject { { QStringLiteral("limit_per_minute"), 100 } }, 1500 };

    return {
        Subscribed { { QStringLiteral("uploads") } },
        Unsubscribed { {} },
        UploadProgress { QStringLiteral("upload_1"), UploadStatus::Failed, 100, 10, 12, QStringLiteral("parsing"),
            QStringLiteral("disk full") },
        SearchResult { QStringLiteral("email_1"), QStringLiteral("Hello"), 1.0, alice(), at(2, 8),
            QStringLiteral("…the [budget] is…"), QStringLiteral("thread_1") },
        SearchComplete { 3, 12, true },
        ChatResponseChunk { QStringLiteral("Alice said "), QStringLiteral("conv_9") },
        ChatResponseComplete {
            QStringLiteral("conv_9"), { fullSource(), { QStringLiteral("email_8"), 0.0, {}, {}, {}, {} } } },
        SystemNotification { NotificationLevel::Warning, QStringLiteral("Model offline"), true },
        NewEmails { 5, std::nullopt },
        Pong {},
        rateLimited,
        ErrorMessage { ErrorCode::NotFound, QStringLiteral("No such email"), {}, std::nullopt },
        Connected { QStringLiteral("session_1"), QStringLiteral("user_1"), QStringLiteral("0.1.0") },
        Disconnecting { QStringLiteral("token_expired"), std::nullopt },
        UploadStarted { QStringLiteral("upload_1"), 262144, 1048576 },
        UploadAck { QStringLiteral("upload_1"), 1310720 },
        UploadFinished { QStringLiteral("upload_1"), 123456789 },
        email,
        minimalEmail,
        Uploads { { UploadInfo { QStringLiteral("upload_1"), QStringLiteral("a.mbox"), UploadStatus::Completed, 100, 12,
                        12, QStringLiteral("done"), std::nullopt, at(1, 1) },
            UploadInfo { QStringLiteral("upload_2"), QStringLiteral("b.zip"), UploadStatus::Failed, 30, 3, 10,
                QStringLiteral("parsing"), QStringLiteral("corrupt zip"), at(1, 2) } } },
        Cancelled { QStringLiteral("chat_1"), std::nullopt },
        TokenRefreshed { QStringLiteral("eyJ.abc.def"), 3600 },
        SystemStatus { 1000, 1, 2,
            { { QStringLiteral("local-llama"), QStringLiteral("chat"), true },
                { QStringLiteral("embedder"), QStringLiteral("embedding"), false } } },
        Conversations { { { QStringLiteral("conv_9"), QStringLiteral("Budget"), at(5, 1), at(5, 2) } } },
        Conversation { QStringLiteral("conv_9"), QStringLiteral("Budget"),
            { { ChatRole::User, QStringLiteral("What did Alice say?"), {}, at(5, 1) },
                { ChatRole::Assistant, QStringLiteral("She approved it [1]."), { fullSource() }, at(5, 2) } } },
        ConversationDeleted { QStringLiteral("conv_9") },
    };
}

} // namespace emailrag::protocol::test
