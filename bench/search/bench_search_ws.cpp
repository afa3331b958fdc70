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

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTextStream>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <cstdio>

using namespace emailrag;

namespace {

struct Query
{
    QString id, corpus, kind, text, messageId;
};

double percentile(QList<double> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const double idx = p * (v.size() - 1);
    const int lo = int(idx);
    const int hi = qMin(lo + 1, int(v.size() - 1));
    return v[lo] + (v[hi] - v[lo]) * (idx - lo);
}

QString stripCopy(QString id)
{
    static const QRegularExpression copy(QStringLiteral("\\.c\\d+(?=@|$)"));
    return id.remove(copy);
}

} // namespace

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
    QFile qf(cli.value(QStringLiteral("queries")));
    if (!qf.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read queries\n");
        return 1;
    }
    QTextStream qs(&qf);
    qs.readLine();
    while (!qs.atEnd()) {
        const QStringList f = qs.readLine().split(QLatin1Char('\t'));
        if (f.size() >= 5)
            queries << Query{f[0], f[1], f[2], f[3], f[4]};
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
    QFile out(cli.value(QStringLiteral("out")));
    const bool writeOut = !out.fileName().isEmpty() && out.open(QIODevice::WriteOnly | QIODevice::Truncate);
    QTextStream os(&out);

    struct Acc { double rr = 0; int hits = 0; int n = 0; QList<double> first, total, serverMs; };
    QMap<QString, Acc> acc;
    int serial = 0;
    int failures = 0;
    for (const Query &q : queries) {
        QStringList ids;
        double firstMs = -1;
        double totalMs = -1;
        double serverMs = -1;
        for (int r = 0; r < repeat; ++r) {
            ids.clear();
            firstMs = totalMs = serverMs = -1;
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
                    serverMs = data.value(QStringLiteral("processing_time_ms")).toDouble();
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
                if (mid.exec() && mid.next() && stripCopy(mid.value(0).toString()) == q.messageId) {
                    rank = i + 1;
                    break;
                }
            }
        }
        for (const QString &k : {q.kind, QStringLiteral("all")}) {
            Acc &a = acc[k];
            a.n++;
            a.rr += rank ? 1.0 / rank : 0;
            a.hits += rank ? 1 : 0;
            a.first << firstMs;
            a.total << totalMs;
            a.serverMs << serverMs;
        }
        if (writeOut)
            os << q.id << '\t' << q.corpus << '\t' << q.kind << '\t' << system << '\t' << rank << '\t' << firstMs << '\t'
               << totalMs << '\n';
    }
    std::printf("| system | queries | MRR@10 | recall@10 | first p50 ms | first p95 ms | complete p50 ms | complete p95 ms |\n");
    for (auto it = acc.cbegin(); it != acc.cend(); ++it) {
        const Acc &a = it.value();
        std::printf("| %s (%s) | %d | %.3f | %.3f | %.2f | %.2f | %.2f | %.2f |\n", qPrintable(system), qPrintable(it.key()),
                    a.n, db ? a.rr / a.n : 0.0, db ? double(a.hits) / a.n : 0.0, percentile(a.first, 0.5),
                    percentile(a.first, 0.95), percentile(a.total, 0.5), percentile(a.total, 0.95));
    }
    if (failures)
        std::fprintf(stderr, "%d runs failed\n", failures);
    ws.close();
    return failures ? 1 : 0;
}
