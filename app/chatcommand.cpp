// `emailrag chat "question"`: the answer streamed to the terminal, then its sources.
#include "clientsession.h"
#include "cliutil.h"

#include "chatmodel.h"
#include "codec.h"
#include "connection.h"

#include <cstdio>

namespace emailrag::app {

int runChatCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Ask a question about your mail. The answer is printed as it is written, then the emails it\n"
        "cites. Continue a conversation with --conversation ID (printed after each answer). With\n"
        "--json every server message is one JSON line (chat_response_chunk ..., then\n"
        "chat_response_complete), exactly as the WebSocket API sends it."));
    parser.addPositionalArgument(QStringLiteral("question"), QStringLiteral("Your question."));
    parser.addOption({QStringLiteral("conversation"), QStringLiteral("Continue this conversation."), QStringLiteral("ID")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("One JSON message per line.")});
    ClientSession::addOptions(parser);
    if (const int rc = parseOrExit(parser, args); rc >= 0)
        return rc;
    const QString question = parser.positionalArguments().join(QLatin1Char(' ')).trimmed();
    if (question.isEmpty()) {
        std::fprintf(stderr, "emailrag chat: give a question.\nTry 'emailrag chat --help'.\n");
        return ExitUsage;
    }
    const bool json = parser.isSet(QStringLiteral("json"));

    ClientSession session;
    if (const int rc = session.open(parser); rc >= 0)
        return rc;
    client::Connection *c = session.connection();
    client::ChatModel model;
    model.setConnection(c);
    QString requestId;

    if (json) {
        QObject::connect(c, &client::Connection::messageReceived, &model, [&requestId](const protocol::ServerEnvelope &env) {
            if (!requestId.isEmpty() && env.requestId == requestId) {
                std::printf("%s\n", qPrintable(protocol::encodeText(env)));
                std::fflush(stdout);
            }
        });
    } else {
        QObject::connect(&model, &client::ChatModel::answerGrew, &model, [](int, const QString &chunk) {
            std::fputs(qPrintable(chunk), stdout);
            std::fflush(stdout);
        });
    }
    QObject::connect(&model, &client::ChatModel::answerCompleted, &model, [&](int row) {
        if (!json) {
            std::printf("\n");
            const protocol::ChatTurn &t = model.turn(row);
            if (!t.sources.isEmpty())
                std::printf("\nSources:\n");
            int n = 0;
            for (const protocol::ChatSource &s : t.sources) {
                const QString from = s.from ? (s.from->name.isEmpty() ? s.from->address : s.from->name) : QString();
                const QString date = s.date ? s.date->toUTC().toString(QStringLiteral("yyyy-MM-dd")) : QString();
                std::printf("  [%d] %s%s%s  (%.2f)  [%s]\n", ++n, qPrintable(s.subject.value_or(QStringLiteral("(no subject)"))),
                            from.isEmpty() ? "" : qPrintable(QStringLiteral(" — ") + from),
                            date.isEmpty() ? "" : qPrintable(QStringLiteral(", ") + date), s.relevance, qPrintable(s.emailId));
            }
            std::fflush(stdout);
            std::fprintf(stderr, "\nConversation %s (continue with --conversation %s)\n", qPrintable(model.conversationId()),
                         qPrintable(model.conversationId()));
        }
        session.done(ExitOk);
    });
    QObject::connect(&model, &client::ChatModel::answerFailed, &model, [&](int, const QString &error) {
        std::fprintf(stderr, "\nemailrag chat: %s\n", qPrintable(error));
        session.done(ExitFailure);
    });
    if (parser.isSet(QStringLiteral("conversation"))) {
        // Continue: the next ask() goes to this conversation.
        protocol::Conversation conv;
        conv.conversationId = parser.value(QStringLiteral("conversation"));
        model.setConversation(conv);
    }
    requestId = model.ask(question);
    return session.exec();
}

} // namespace emailrag::app
