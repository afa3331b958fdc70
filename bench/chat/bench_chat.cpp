// bench_chat: time from ChatEngine::ask() — what the server calls for chat_message — to the
// first chunk and to completion, over a real store imported from the Enron corpus with the real
// importer, retrieval through the real search engine. Two providers: the built-in extractive one
// and an OpenAI-compatible server on loopback that streams its answer at once (the model's own
// time is thus excluded and what remains is ours: retrieval, thread expansion, prompt, HTTP, SSE).
//
//   bench_chat [--db FILE] [--corpus DIR] [--scale N] [--questions N]
//
// --db      store to use; imported from --corpus when it does not exist yet (kept for reruns)
// --corpus  unpacked enron-inbox-subset folder
// --scale   grow the store to N emails by copying the imported ones (new ids, threads and dates)
// --user    owner of the mail: `local` for a store made by `emailrag import` (the 1M store:
//           bench_chat --db /tmp/emailrag-1m/data/emailrag.db --user local)
#include "chatengine.h"
#include "database.h"
#include "importer.h"
#include "openaitestserver.h"
#include "searchengine.h"
#include "uploads.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlQuery>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace emailrag;

namespace {

qint64 scalar(QSqlDatabase &db, const QString &sql, const QVariantList &values = {})
{
    QSqlQuery q(db);
    return storage::Database::exec(q, sql, values) && q.next() ? q.value(0).toLongLong() : -1;
}

bool importCorpus(const storage::DatabaseConfig &config, qint64 user, const QString &corpus)
{
    QSqlDatabase db = storage::Database::connection(config, QStringLiteral("bench"));
    const auto upload = ingest::createUpload(db, user, QStringLiteral("enron"), {corpus});
    if (!upload)
        return false;
    ingest::Importer importer(config, user, *upload, {corpus});
    QEventLoop loop;
    bool ok = false;
    QObject::connect(&importer, &ingest::Importer::finished, &loop, [&](const ingest::ImportSummary &s) {
        std::printf("imported %lld emails in %.1f s\n", static_cast<long long>(s.imported), s.elapsedSeconds);
        ok = s.status == ingest::ImportStatus::Completed;
        loop.quit();
    });
    importer.start();
    loop.exec();
    importer.wait();
    return ok;
}

// Copies the imported emails until the store holds `target` rows: each copy gets new message ids,
// thread ids and dates shifted by whole months, so threads stay separate and ranking sees more
// candidates. Raw bytes are not copied (chat never reads them).
bool scaleTo(QSqlDatabase &db, qint64 user, qint64 target)
{
    // Originals keep their raw bytes, copies have none: a rerun continues where the last one stopped.
    const qint64 base = scalar(db, QStringLiteral("SELECT MAX(id) FROM emails WHERE user_id = ? AND length(raw_zstd) > 0"), {user});
    const qint64 originals = scalar(db, QStringLiteral("SELECT COUNT(*) FROM emails WHERE user_id = ? AND length(raw_zstd) > 0"), {user});
    const qint64 copies = scalar(db, QStringLiteral("SELECT COUNT(*) FROM emails WHERE user_id = ? AND length(raw_zstd) = 0"), {user});
    for (int copy = int(copies / std::max<qint64>(originals, 1)) + 1;; ++copy) {
        const qint64 have = scalar(db, QStringLiteral("SELECT COUNT(*) FROM emails"));
        if (have >= target)
            return true;
        const qint64 before = scalar(db, QStringLiteral("SELECT MAX(id) FROM emails"));
        QSqlQuery q(db);
        db.transaction();
        const QString tag = QStringLiteral(".c%1").arg(copy);
        bool ok = storage::Database::exec(q, QStringLiteral(
            "INSERT INTO emails(user_id, upload_id, message_id, dedup_key, content_hash, thread_id, in_reply_to, refs, subject, "
            "from_name, from_addr, to_addrs, cc_addrs, date_utc, date_offset, body_text, quoted_text, body_from_html, "
            "attachment_count, size_bytes, raw_zstd) "
            "SELECT user_id, upload_id, message_id || ?, dedup_key || ?, content_hash, thread_id || ?, in_reply_to || ?, refs, "
            "subject, from_name, from_addr, to_addrs, cc_addrs, date_utc - ? * 2592000, date_offset, body_text, quoted_text, "
            "body_from_html, attachment_count, size_bytes, x'' FROM emails WHERE user_id = ? AND id <= ? ORDER BY id LIMIT ?"),
            {tag, tag, tag, tag, copy, user, base, target - have});
        ok = ok && storage::Database::exec(q, QStringLiteral(
            "INSERT INTO emails_fts(rowid, subject, sender, recipients, body, quoted, attachments) "
            "SELECT id, subject, from_name || ' ' || from_addr, to_addrs || ' ' || cc_addrs, body_text, quoted_text, '' "
            "FROM emails WHERE id > ?"), {before});
        if (!ok || !db.commit())
            return false;
        std::printf("scaled to %lld emails\n", static_cast<long long>(scalar(db, QStringLiteral("SELECT COUNT(*) FROM emails"))));
        std::fflush(stdout);
    }
}

struct Timing
{
    double searchMs = -1;       // retrieval's share of the time to the first chunk
    double firstChunkMs = -1;
    double completeMs = -1;
    bool ok = false;
    int sources = 0;
};

Timing timeOne(chat::ChatEngine &engine, qint64 user, const QString &question)
{
    Timing t;
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    chat::ChatRun *run = engine.ask(user, question);
    QObject::connect(run, &chat::ChatRun::chunkReady, &loop, [&](const QString &) {
        if (t.firstChunkMs < 0) {
            t.firstChunkMs = clock.nsecsElapsed() / 1e6;
            const auto phases = run->phaseTimes();
            t.searchMs = double(phases.searchMs - phases.conversationMs);
        }
    });
    QObject::connect(run, &chat::ChatRun::completed, &loop, [&](const QString &, const QList<chat::Source> &s) {
        t.completeMs = clock.nsecsElapsed() / 1e6;
        t.ok = true;
        t.sources = int(s.size());
        loop.quit();
    });
    QObject::connect(run, &chat::ChatRun::failed, &loop, [&](chat::ChatError, const QString &code, const QString &msg) {
        std::printf("failed: %s %s\n", qPrintable(code), qPrintable(msg));
        loop.quit();
    });
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    loop.exec();
    return t;
}

double percentile(QList<double> v, double p)
{
    if (v.isEmpty())
        return -1;
    std::sort(v.begin(), v.end());
    const qsizetype i = std::min<qsizetype>(v.size() - 1, qsizetype(p * (v.size() - 1) + 0.5));
    return v.at(i);
}

void report(const char *name, const QList<Timing> &timings)
{
    QList<double> first, complete, ours;
    int ok = 0, withSources = 0;
    for (const Timing &t : timings) {
        if (!t.ok)
            continue;
        ++ok;
        withSources += t.sources > 0 ? 1 : 0;
        first << t.firstChunkMs;
        complete << t.completeMs;
        if (t.searchMs >= 0)
            ours << t.firstChunkMs - t.searchMs;
    }
    std::printf("%-28s n=%d (with sources %d)  first chunk p50 %.1f ms p95 %.1f ms max %.1f ms | complete p50 %.1f ms p95 %.1f ms\n",
                name, ok, withSources, percentile(first, 0.5), percentile(first, 0.95), percentile(first, 1.0),
                percentile(complete, 0.5), percentile(complete, 0.95));
    if (!ours.isEmpty())
        std::printf("%-28s first chunk without the retriever's time: p50 %.1f ms p95 %.1f ms max %.1f ms\n", "",
                    percentile(ours, 0.5), percentile(ours, 0.95), percentile(ours, 1.0));
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("emailrag.*.debug=false"));
    QCommandLineParser p;
    p.addHelpOption();
    p.addOption({QStringLiteral("db"), QStringLiteral("Store file."), QStringLiteral("file"),
                 QStringLiteral("/tmp/emailrag-bench-chat/enron.db")});
    p.addOption({QStringLiteral("corpus"), QStringLiteral("Unpacked enron-inbox-subset folder."), QStringLiteral("dir")});
    p.addOption({QStringLiteral("scale"), QStringLiteral("Grow the store to N emails."), QStringLiteral("n"), QStringLiteral("0")});
    p.addOption({QStringLiteral("questions"), QStringLiteral("Questions per provider."), QStringLiteral("n"), QStringLiteral("200")});
    p.addOption({QStringLiteral("user"), QStringLiteral("Owner of the mail (local for an `emailrag import` store)."),
                 QStringLiteral("name"), QStringLiteral("bench")});
    p.process(app);

    const auto config = storage::DatabaseConfig::sqliteFile(p.value(QStringLiteral("db")));
    const bool fresh = !QFileInfo::exists(config.path);
    if (const auto err = storage::Database::migrate(config, QStringLiteral("bench"))) {
        std::fprintf(stderr, "migrate: %s\n", qPrintable(*err));
        return 1;
    }
    QSqlDatabase db = storage::Database::connection(config, QStringLiteral("bench"));
    const qint64 user = ingest::ensureUser(db, p.value(QStringLiteral("user"))).value_or(-1);
    if (fresh) {
        if (!p.isSet(QStringLiteral("corpus")) || !importCorpus(config, user, p.value(QStringLiteral("corpus")))) {
            std::fprintf(stderr, "need --corpus DIR for a new store (import failed or missing)\n");
            return 1;
        }
    }
    const qint64 scale = p.value(QStringLiteral("scale")).toLongLong();
    if (scale > 0 && !scaleTo(db, user, scale)) {
        std::fprintf(stderr, "scaling failed\n");
        return 1;
    }
    const qint64 count = scalar(db, QStringLiteral("SELECT COUNT(*) FROM emails WHERE user_id = ?"), {user});
    std::printf("store: %lld emails\n", static_cast<long long>(count));

    // Questions a person might ask about emails of the store: sender and subject of spread-out
    // emails, as natural-language requests. Each pass below asks its own questions: the search
    // engine keeps per-store counts of the phrases it has ranked (server/search/phraseidf.h), so a
    // question asked a second time would find its words counted already; a new question finds
    // only the words earlier questions shared with it.
    const int perPass = p.value(QStringLiteral("questions")).toInt();
    QStringList all;
    QSqlQuery q(db);
    storage::Database::exec(q, QStringLiteral(
        "SELECT from_name, subject FROM emails WHERE user_id = ? AND from_name <> '' AND length(subject) > 8 "
        "ORDER BY (id * 7919) % 100003 LIMIT ?"),
        {user, 4 * perPass});
    while (q.next())
        all << QStringLiteral("What did %1 say about %2?").arg(q.value(0).toString(), q.value(1).toString());
    int pass = 0;
    auto nextQuestions = [&] { return all.mid(perPass * pass++, perPass); };
    std::printf("questions: %d per pass, %lld in all, none asked twice\n", perPass, static_cast<long long>(all.size()));

    search::SearchEngine search(config);

    {
        // Retrieval alone, for reference: what the search engine takes for such questions.
        QList<Timing> timings;
        const QStringList questions = nextQuestions();
        for (const QString &question : questions) {
            search::SearchRequest request;
            request.query = question;
            request.limit = chat::RetrievalConfig{}.searchLimit;
            request.candidateBudget = chat::RetrievalConfig{}.candidateBudget; // as chat asks
            QElapsedTimer clock;
            clock.start();
            const search::SearchOutcome outcome = search.searchAll(user, request).result();
            Timing t;
            t.firstChunkMs = t.completeMs = clock.nsecsElapsed() / 1e6;
            t.ok = outcome.ok();
            t.sources = int(outcome.hits.size());
            timings << t;
        }
        report("search.searchAll alone", timings);
    }

    {
        chat::ChatEngine engine(config, chat::ProviderConfig{}, &search);
        timeOne(engine, user, QStringLiteral("warm up the page cache")); // first query pays for opening the store
        QList<Timing> timings;
        const QStringList questions = nextQuestions();
        for (const QString &question : questions)
            timings << timeOne(engine, user, question);
        report("extractive (built-in)", timings);
    }
    {
        // The same with chat's own FTS5 retriever instead of the search engine.
        chat::ChatEngine engine(config, chat::ProviderConfig{}, nullptr);
        timeOne(engine, user, QStringLiteral("warm up"));
        QList<Timing> timings;
        const QStringList questions = nextQuestions();
        for (const QString &question : questions)
            timings << timeOne(engine, user, question);
        report("extractive, FTS5 fallback", timings);
    }
    {
        OpenAiTestServer server;
        server.listen();
        server.setScript(OpenAiTestServer::streamText({QStringLiteral("The answer is in [1]."), QStringLiteral(" More [2].")}));
        chat::ProviderConfig provider;
        provider.kind = chat::ProviderConfig::Kind::OpenAiCompatible;
        provider.baseUrl = server.baseUrl();
        provider.model = QStringLiteral("bench");
        chat::ChatEngine engine(config, provider, &search);
        timeOne(engine, user, QStringLiteral("warm up"));
        QList<Timing> timings;
        const QStringList questions = nextQuestions();
        for (const QString &question : questions)
            timings << timeOne(engine, user, question);
        report("openai-compatible (loopback)", timings);
    }
    return 0;
}
