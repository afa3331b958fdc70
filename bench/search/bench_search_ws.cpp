// Search speed over the WebSocket API: time from sending `stream_search` to the first
// `search_result` and to `search_complete`, measured by a real QWebSocket client against a
// running `emailrag --server` (what a client sees: parse, rank, JSON, loopback TCP).
//
//   bench_search_ws --url ws://127.0.0.1:PORT/api/v1/ws --token JWT --queries queries.tsv
//                   [--db emailrag.db --user local] [--repeat 2] [--limit 50] [--system NAME] [--out FILE]
//
// Queries run one after another (the next is sent when the previous completes); each runs `repeat`
// times and the last run counts (the first warms the page cache). With --db the rank of the
// target Message-ID in the first 10 hits is reported too (a copy made by bench/corpus/make_mbox.py,
// "<id.cN@host>", counts as the target). The server's rate limit must allow the query count
// (bench/search/run_speed.sh writes a config for that). Prints one table line per query kind.
// Single-threaded (Qt event loop); exits 1 when the connection fails or a query errors.
#include "database.h"
#include "knownitem.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <cstdio>

using namespace emailrag;

using bench::Query;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser cli;
    cli.addHelpOption();
    cli.addOption({QStringLiteral("url"), QStringLiteral("ws:// URL of the API"), QStringLiteral("url")});
    cli.addOption({QStringLiteral("token"), QStringLiteral("access token (emailrag token NAME)"), QStringLiteral("jwt")});
    cli.addOption({QStringLiteral("queries"), QStringLiteral("queries.tsv"), QStringLiteral("file")});
    cli.addOption({QStringLiteral("db"), QStringLiteral("SQLite file, for ranks (optional)"), QStringLiteral("file")});
    cli.addOption({QStringLiteral("out"), QStringLiteral("per-query results TSV"), QStringLiteral("file")});
    cli.addOption({QStringLiteral("repeat"), QStringLiteral("runs per query"), QStringLiteral("n"), QStringLiteral("2")});
    cli.addOption({QStringLiteral("limit"), QStringLiteral("hits per query"), QStringLiteral("n"), QStringLiteral("50")});
    cli.addOption({QStringLiteral("system"), QStringLiteral("name in the results"), QStringLiteral("name"),
                   QStringLiteral("emailrag-ws")});
    cli.process(app);

    QList<Query> queries;
    if (const auto read = bench::readQueries(cli.value(QStringLiteral("queries"))))
        queries = *read;
    else {
        std::fprintf(stderr, "cannot read queries\n");
        return 1;
    }

    std::optional<QSqlDatabase> db;
    if (cli.isSet(QStringLiteral("db")))
        db = storage::Database::connection(storage::DatabaseConfig::sqliteFile(cli.value(QStringLiteral("db"))),
                                           QStringLiteral("bench-ws"));

    QWebSocket ws;
    QUrl url(cli.value(QStringLiteral("url")));
    url.setQuery(QStringLiteral("token=") + cli.value(QStringLiteral("token")));
    {
        QEventLoop loop;
        bool connected = false;
        QObject::connect(&ws, &QWebSocket::textMessageReceived, &loop, [&](const QString &text) {
            const QJsonObject m = QJsonDocument::fromJson(text.toUtf8()).object();
            if (m.value(QStringLiteral("type")).toString() == QLatin1String("connected")) {
                connected = true;
                loop.quit();
            } else if (m.value(QStringLiteral("type")).toString() == QLatin1String("error")) {
                std::fprintf(stderr, "server: %s\n", qPrintable(text));
                loop.quit();
            }
        });
        QObject::connect(&ws, &QWebSocket::disconnected, &loop, &QEventLoop::quit);
        QTimer::singleShot(10000, &loop, &QEventLoop::quit);
        ws.open(url);
        loop.exec();
        QObject::disconnect(&ws, nullptr, &loop, nullptr);
        if (!connected) {
            std::fprintf(stderr, "could not connect to %s: %s\n", qPrintable(cli.value(QStringLiteral("url"))),
                         qPrintable(ws.errorString()));
            return 1;
        }
    }

    const int repeat = qMax(1, cli.value(QStringLiteral("repeat")).toInt());
    const int limit = cli.value(QStringLiteral("limit")).toInt();
    const QString system = cli.value(QStringLiteral("system"));
    bench::KnownItemTally tally(system, cli.value(QStringLiteral("out")));
    int serial = 0;
    int failures = 0;
    for (const Query &q : queries) {
        QStringList ids;
        double firstMs = -1;
        double totalMs = -1;
        for (int r = 0; r < repeat; ++r) {
            ids.clear();
            firstMs = totalMs = -1;
            const QString requestId = QStringLiteral("b%1").arg(++serial);
            QEventLoop loop;
            QElapsedTimer clock;
            bool failed = false;
            QObject::connect(&ws, &QWebSocket::textMessageReceived, &loop, [&](const QString &text) {
                const QJsonObject m = QJsonDocument::fromJson(text.toUtf8()).object();
                if (m.value(QStringLiteral("request_id")).toString() != requestId)
                    return;
                const QString type = m.value(QStringLiteral("type")).toString();
                const QJsonObject data = m.value(QStringLiteral("data")).toObject();
                if (type == QLatin1String("search_result")) {
                    if (firstMs < 0)
                        firstMs = clock.nsecsElapsed() / 1e6;
                    ids << data.value(QStringLiteral("email_id")).toString();
                } else if (type == QLatin1String("search_complete")) {
                    totalMs = clock.nsecsElapsed() / 1e6;
                    loop.quit();
                } else if (type == QLatin1String("error")) {
                    std::fprintf(stderr, "%s: %s\n", qPrintable(q.id), qPrintable(text));
                    failed = true;
                    loop.quit();
                }
            });
            QObject::connect(&ws, &QWebSocket::disconnected, &loop, [&] {
                failed = true;
                loop.quit();
            });
            const QJsonObject msg{{QStringLiteral("type"), QStringLiteral("stream_search")},
                                  {QStringLiteral("data"), QJsonObject{{QStringLiteral("query"), q.text},
                                                                       {QStringLiteral("limit"), limit}}},
                                  {QStringLiteral("request_id"), requestId}};
            clock.start();
            ws.sendTextMessage(QString::fromUtf8(QJsonDocument(msg).toJson(QJsonDocument::Compact)));
            QTimer::singleShot(60000, &loop, [&] {
                failed = true;
                loop.quit();
            });
            loop.exec();
            QObject::disconnect(&ws, nullptr, &loop, nullptr);
            if (failed) {
                ++failures;
                if (ws.state() != QAbstractSocket::ConnectedState) {
                    std::fprintf(stderr, "connection lost at %s\n", qPrintable(q.id));
                    return 1;
                }
            }
        }
        if (totalMs < 0)
            continue;
        if (firstMs < 0)
            firstMs = totalMs; // no hits: the answer is the completion
        int rank = 0;
        if (db) {
            QSqlQuery mid(*db);
            mid.prepare(QStringLiteral("SELECT message_id FROM emails WHERE id = ?"));
            for (int i = 0; i < qMin(10, int(ids.size())); ++i) {
                mid.bindValue(0, ids[i].mid(6).toLongLong()); // "email_<id>"
                if (mid.exec() && mid.next() && bench::stripCopy(mid.value(0).toString()) == q.messageId) {
                    rank = i + 1;
                    break;
                }
            }
        }
        tally.add(q, rank, firstMs, totalMs);
    }
    tally.printTable(db.has_value());
    if (failures)
        std::fprintf(stderr, "%d runs failed\n", failures);
    ws.close();
    return failures ? 1 : 0;
}
