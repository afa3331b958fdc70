// `emailrag search "query"`: streams ranked hits to the terminal as the server finds them.
#include "clientsession.h"
#include "cliutil.h"

#include "codec.h"
#include "connection.h"
#include "searchresultsmodel.h"

#include <cstdio>

namespace emailrag::app {

int runSearchCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Search your mail. Hits are printed as they stream in, best first: score, date, sender,\n"
        "subject and email id. With --json every server message is printed as one JSON line\n"
        "(search_result ..., then search_complete), exactly as the WebSocket API sends it."));
    parser.addPositionalArgument(QStringLiteral("query"), QStringLiteral("What to look for (words, \"phrases\", from:, subject:, ...)."));
    parser.addOption({QStringLiteral("limit"), QStringLiteral("Most hits to return, 1-500 (default 50)."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("One JSON message per line.")});
    ClientSession::addOptions(parser);
    if (const int rc = parseOrExit(parser, args); rc >= 0)
        return rc;
    const QString query = parser.positionalArguments().join(QLatin1Char(' ')).trimmed();
    if (query.isEmpty()) {
        std::fprintf(stderr, "emailrag search: give a query.\nTry 'emailrag search --help'.\n");
        return ExitUsage;
    }
    std::optional<int> limit;
    if (parser.isSet(QStringLiteral("limit"))) {
        bool ok = false;
        const int n = parser.value(QStringLiteral("limit")).toInt(&ok);
        if (!ok || n < 1 || n > 500) {
            std::fprintf(stderr, "emailrag search: --limit must be a number from 1 to 500.\n");
            return ExitUsage;
        }
        limit = n;
    }
    const bool json = parser.isSet(QStringLiteral("json"));

    ClientSession session;
    if (const int rc = session.open(parser); rc >= 0)
        return rc;
    client::Connection *c = session.connection();
    client::SearchResultsModel model;
    model.setConnection(c);

    if (json) {
        QObject::connect(c, &client::Connection::messageReceived, &model, [&model](const protocol::ServerEnvelope &env) {
            if (env.requestId == model.requestId() && !env.requestId.isEmpty()) {
                std::printf("%s\n", qPrintable(protocol::encodeText(env)));
                std::fflush(stdout);
            }
        });
    } else {
        QObject::connect(&model, &client::SearchResultsModel::resultAppended, &model, [&model](int row) {
            const protocol::SearchResult &h = model.hit(row);
            const QString from = h.from ? (h.from->name.isEmpty() ? h.from->address : h.from->name) : QString();
            const QString date = h.date ? h.date->toUTC().toString(QStringLiteral("yyyy-MM-dd")) : QStringLiteral("----------");
            std::printf("%5.3f  %s  %-24s  %s  [%s]\n", h.score, qPrintable(date), qPrintable(from.left(24)),
                        qPrintable(h.subject.isEmpty() ? QStringLiteral("(no subject)") : h.subject), qPrintable(h.emailId));
            std::fflush(stdout);
        });
    }
    QObject::connect(&model, &client::SearchResultsModel::completed, &model, [&](qint64 total, qint64 ms) {
        if (!json)
            std::fprintf(stderr, "%lld result(s) in %lld ms\n", static_cast<long long>(total), static_cast<long long>(ms));
        session.done(ExitOk);
    });
    QObject::connect(&model, &client::SearchResultsModel::failed, &model, [&](const QString &error) {
        std::fprintf(stderr, "emailrag search: %s\n", qPrintable(error));
        session.done(ExitFailure);
    });
    model.search(query, limit);
    return session.exec();
}

} // namespace emailrag::app
