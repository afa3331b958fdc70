// Search benchmark: relevance (MRR@10, recall@10 on the known-item query set) and speed
// (time to first result and to completion) of the search library, in-process.
//
//   bench_search --db FILE [--import MAILDIR] [--embed] --queries queries.tsv [--out results.tsv] [--repeat N]
//                [--ranking lexical|semantic|hybrid]
//
// --embed runs the embedding stage (built-in model, or EMAILRAG_EMBED_URL) over the whole store
// and prints its cost per email and the index load time (from the file, and rebuilt from the
// database). --ranking picks the ranking (default lexical: the figures before semantic search).
//
// --import creates the database (migrations), a user "bench" and imports MAILDIR with the real
// importer (emailrag_ingest). Each query runs `repeat` times (the first run warms the cache; the
// times of the last run are reported). Prints a summary table and writes one line per query:
// id, corpus, kind, system, rank (1..10, 0 = not in the top 10), first_ms, total_ms.
#include "importer.h"
#include "searchengine.h"
#include "searcher.h"
#include "uploads.h"

#include "database.h"
#include "builtinprovider.h"
#include "embeddingstage.h"
#include "expansion.h"
#include "wordnet.h"
#include "queryparser.h"
#include "semanticindex.h"

#include "knownitem.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QDir>
#include <QSqlQuery>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace emailrag;

using bench::Query;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser cli;
    cli.addHelpOption();
    cli.addOption({QStringLiteral("db"), QStringLiteral("SQLite file"), QStringLiteral("file")});
    cli.addOption({QStringLiteral("import"), QStringLiteral("Maildir to import first"), QStringLiteral("dir")});
    cli.addOption({QStringLiteral("queries"), QStringLiteral("queries.tsv"), QStringLiteral("file")});
    cli.addOption({QStringLiteral("out"), QStringLiteral("per-query results TSV"), QStringLiteral("file")});
    cli.addOption({QStringLiteral("repeat"), QStringLiteral("runs per query"), QStringLiteral("n"), QStringLiteral("2")});
    cli.addOption({QStringLiteral("limit"), QStringLiteral("hits per query"), QStringLiteral("n"), QStringLiteral("50")});
    cli.addOption({QStringLiteral("feedback"), QStringLiteral("pseudo-relevance feedback (RRF) on")});
    cli.addOption({QStringLiteral("system"), QStringLiteral("name in the results"), QStringLiteral("name"), QStringLiteral("emailrag")});
    cli.addOption({QStringLiteral("user"), QStringLiteral("owner of the mail (e.g. local for an `emailrag import` store)"),
                   QStringLiteral("name"), QStringLiteral("bench")});
    cli.addOption({QStringLiteral("embed"), QStringLiteral("run the embedding stage first")});
    cli.addOption({QStringLiteral("no-index-timing"),
                   QStringLiteral("semantic/hybrid: load the saved index file once instead of timing a load and a rebuild (1M)")});
    cli.addOption({QStringLiteral("hits"), QStringLiteral("write every hit (query id, rank, email row id, score) to this TSV"),
                   QStringLiteral("file")});
    cli.addOption({QStringLiteral("snippets"),
                   QStringLiteral("write every hit's snippet (query id, rank, email row id, snippet with \\n for newlines) to this TSV"),
                   QStringLiteral("file")});
    cli.addOption({QStringLiteral("neighbours"), QStringLiteral("print each query's expansion terms and stop")});
    cli.addOption({QStringLiteral("ranking"), QStringLiteral("lexical, semantic or hybrid"), QStringLiteral("r"), QStringLiteral("lexical")});
    cli.process(app);
    const QString rankingName = cli.value(QStringLiteral("ranking"));
    const search::SearchRequest::Ranking ranking = rankingName == QLatin1String("hybrid") ? search::SearchRequest::Ranking::Hybrid
        : rankingName == QLatin1String("semantic")                                      ? search::SearchRequest::Ranking::Semantic
                                                                                         : search::SearchRequest::Ranking::Lexical;
    const bool feedback = cli.isSet(QStringLiteral("feedback"));
    const QString system = cli.value(QStringLiteral("system"));

    const storage::DatabaseConfig config = storage::DatabaseConfig::sqliteFile(cli.value(QStringLiteral("db")));
    if (auto err = storage::Database::migrate(config, QStringLiteral("bench-migrate"))) {
        std::fprintf(stderr, "migrate: %s\n", qPrintable(*err));
        return 1;
    }
    QSqlDatabase db = storage::Database::connection(config, QStringLiteral("bench"));
    const std::optional<qint64> user = ingest::ensureUser(db, cli.value(QStringLiteral("user")));
    if (!user)
        return 1;

    if (cli.isSet(QStringLiteral("import"))) {
        const QString dir = cli.value(QStringLiteral("import"));
        const auto upload = ingest::createUpload(db, *user, dir, {dir});
        if (!upload)
            return 1;
        ingest::Importer importer(config, *user, *upload, {dir});
        QElapsedTimer t;
        t.start();
        importer.start();
        importer.wait();
        std::printf("import: %s in %.1f s\n", qPrintable(dir), t.elapsed() / 1000.0);
        QSqlQuery c(db);
        c.exec(QStringLiteral("SELECT COUNT(*) FROM emails"));
        c.next();
        std::printf("emails in database: %lld\n", c.value(0).toLongLong());
    }

    auto semantic = std::make_shared<embed::SemanticIndex>(cli.value(QStringLiteral("db")) + QStringLiteral(".vectors"));
    if (cli.isSet(QStringLiteral("embed"))) {
        embed::EmbeddingStage stage(db, *semantic);
        QElapsedTimer t;
        t.start();
        auto r = stage.run(*user);
        if (auto *e = std::get_if<embed::EmbedError>(&r)) {
            std::fprintf(stderr, "embedding: %s\n", qPrintable(e->message));
            return 1;
        }
        const auto &sr = std::get<embed::StageResult>(r);
        std::printf("embedding stage: trained %s in %.1f s; %lld emails embedded in %.1f s = %.1f us/email; total %.1f s\n",
                    sr.trained ? "yes" : "no", sr.trainSeconds, sr.embedded, sr.embedSeconds,
                    sr.embedded ? sr.embedSeconds * 1e6 / sr.embedded : 0.0, t.elapsed() / 1000.0);
    }
    if (ranking != search::SearchRequest::Ranking::Lexical && !cli.isSet(QStringLiteral("no-index-timing"))) {
        // Index load time: from the saved file, then rebuilt from the database (file removed).
        for (int pass = 0; pass < 2; ++pass) {
            auto fresh = std::make_shared<embed::SemanticIndex>(semantic->indexPath(*user).isEmpty()
                                                                    ? QString()
                                                                    : cli.value(QStringLiteral("db")) + QStringLiteral(".vectors"));
            if (pass == 1) {
                QFile::remove(fresh->indexPath(*user));
                QFile::remove(fresh->indexPath(*user) + QStringLiteral(".meta"));
            }
            QElapsedTimer t;
            t.start();
            fresh->refresh(db, *user);
            const auto info = fresh->lastLoad(*user);
            std::printf("index %s: %lld vectors in %.1f ms (wall, including the version check)\n",
                        info.source == embed::IndexLoadInfo::Source::File ? "loaded from file" : "rebuilt from the database",
                        info.vectors, t.nsecsElapsed() / 1e6);
            semantic = fresh;
        }
    } else if (ranking != search::SearchRequest::Ranking::Lexical) {
        QElapsedTimer t;
        t.start();
        semantic->refresh(db, *user);
        std::printf("index: %lld vectors in %.1f ms\n", semantic->lastLoad(*user).vectors, t.nsecsElapsed() / 1e6);
    }

    QList<Query> queries;
    auto indexRecall = [&] {
        // Recall@10 of the approximate index against exact search over every stored vector, with
        // the query texts of the benchmark as queries (real embeddings, unlike bench_vectorindex).
        QList<qint64> all;
        QSqlQuery ids(db);
        ids.exec(QStringLiteral("SELECT email_id FROM email_vectors"));
        while (ids.next())
            all << ids.value(0).toLongLong();
        double recall = 0;
        int n = 0;
        for (const Query &q : std::as_const(queries)) {
            const auto qv = semantic->embedQuery(db, *user, q.text);
            if (!qv)
                continue;
            const auto approx = semantic->nearest(db, *user, *qv, 10);
            const auto exact = semantic->rank(db, *user, *qv, all).mid(0, 10);
            int found = 0;
            for (const auto &e : exact)
                for (const auto &a : approx)
                    found += a.emailId == e.emailId ? 1 : 0;
            recall += exact.isEmpty() ? 1.0 : double(found) / exact.size();
            ++n;
        }
        std::printf("index recall@10 vs exact on %d query texts: %.3f\n", n, n ? recall / n : 0.0);
    };
    if (const auto read = bench::readQueries(cli.value(QStringLiteral("queries"))))
        queries = *read;
    else {
        std::fprintf(stderr, "cannot read queries\n");
        return 1;
    }

    search::SearchEngine::tuneConnection(db); // the engine's read settings (mmap)
    if (ranking == search::SearchRequest::Ranking::Semantic)
        indexRecall();
    embed::WordNet::shared(); // query expansion's synonyms: loaded now, so every query has them
    search::Searcher searcher(db);
    searcher.setSemanticIndex(semantic.get());
    // Tuning only: EMAILRAG_HYBRID="kLexical,kSemantic,semanticKeyword,semanticNatural,minSimilarity[,scoreBlend]".
    if (const QStringList w = qEnvironmentVariable("EMAILRAG_HYBRID").split(QLatin1Char(',')); w.size() >= 5) {
        search::HybridWeights hw;
        hw.kLexical = w[0].toDouble();
        hw.kSemantic = w[1].toDouble();
        hw.semanticKeyword = w[2].toDouble();
        hw.semanticNatural = w[3].toDouble();
        hw.minSimilarity = w[4].toDouble();
        hw.scoreBlend = w.value(5).toDouble();
        searcher.setHybridWeights(hw);
    }
    // Tuning only: EMAILRAG_EXPANSION="key=value,..." sets the query expansion options (searcher.h,
    // search/expansion.h): vec, cos, per, idf, max, gate, morph, syn, syncos, senses; "on" = the measured synonym setting
    // (search::withSynonymExpansion; off by default).
    if (const QString spec = qEnvironmentVariable("EMAILRAG_EXPANSION"); !spec.isEmpty()) {
        search::HybridWeights hw = searcher.hybridWeights();
        for (const QString &kv : spec.split(QLatin1Char(','))) {
            const QString key = kv.section(QLatin1Char('='), 0, 0);
            const double v = kv.section(QLatin1Char('='), 1).toDouble();
            if (key == QLatin1String("vec")) hw.expansionWeight = v;
            else if (key == QLatin1String("cos")) hw.expansionMinCosine = v;
            else if (key == QLatin1String("per")) hw.expansionPerWord = int(v);
            else if (key == QLatin1String("idf")) hw.expansionMinIdf = v;
            else if (key == QLatin1String("max")) hw.expansionMaxTerms = int(v);
            else if (key == QLatin1String("gate")) hw.expansionGate = v;
            else if (key == QLatin1String("morph")) hw.expansionMorphWeight = v;
            else if (key == QLatin1String("syn")) hw.expansionSynonymWeight = v;
            else if (key == QLatin1String("syncos")) hw.expansionSynonymMinCosine = v;
            else if (key == QLatin1String("senses")) hw.expansionSenses = int(v);
            else if (key == QLatin1String("on")) hw = search::withSynonymExpansion(hw); // the measured setting
            else if (key == QLatin1String("soft")) hw.softMatchWeight = v;
            else if (key == QLatin1String("softcos")) hw.softMatchMinCosine = v;
            else if (key == QLatin1String("softdepth")) hw.softMatchDepth = int(v);
            else {
                std::fprintf(stderr, "EMAILRAG_EXPANSION: unknown key %s\n", qPrintable(key));
                return 2;
            }
        }
        searcher.setHybridWeights(hw);
    }
    if (cli.isSet(QStringLiteral("neighbours"))) {
        // The expansion terms of each query (or of the given words), for inspection.
        const auto provider = std::dynamic_pointer_cast<embed::BuiltinProvider>(semantic->provider(db, *user));
        if (!provider) {
            std::fprintf(stderr, "no built-in model\n");
            return 1;
        }
        for (const Query &q : std::as_const(queries)) {
            const auto parsed = search::QueryParser().parse(q.text);
            if (!std::holds_alternative<search::ParsedQuery>(parsed))
                continue;
            const auto wordnet = embed::WordNet::shared();
            static const QHash<QString, QStringList> none;
            const auto terms = search::expansionTerms(provider->vectors(), wordnet ? provider->wordsByBase(*wordnet) : none, wordnet.get(),
                                                      std::get<search::ParsedQuery>(parsed), searcher.hybridWeights());
            QStringList s;
            for (const auto &t : terms)
                s << QStringLiteral("%1<-%2 %3").arg(t.word, t.source).arg(t.weight, 0, 'f', 2);
            std::printf("%s\t%s\t%s\n", qPrintable(q.id), qPrintable(q.text), qPrintable(s.join(QStringLiteral(", "))));
        }
        return 0;
    }
    QSqlQuery mid(db);
    mid.prepare(QStringLiteral("SELECT message_id FROM emails WHERE id = ?"));
    const int repeat = qMax(1, cli.value(QStringLiteral("repeat")).toInt());
    const int limit = cli.value(QStringLiteral("limit")).toInt();

    bench::KnownItemTally tally(system, cli.value(QStringLiteral("out")));
    // The first run of each query, apart: the table reports the last run (the page cache warm),
    // and the searcher also keeps per-store statistics (document lengths, phrase counts) that a
    // query meets for the first time on its first run.
    std::vector<double> coldFirst;
    std::vector<double> coldTotal;
    QFile hitsOut(cli.value(QStringLiteral("hits")));
    if (cli.isSet(QStringLiteral("hits")) && !hitsOut.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return 1;
    // Snippets of the last run, to compare two builds' snippets hit by hit (docs/search.md).
    QFile snippetsOut(cli.value(QStringLiteral("snippets")));
    if (cli.isSet(QStringLiteral("snippets")) && !snippetsOut.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return 1;
    for (const Query &q : queries) {
        QList<qint64> ids;
        QList<double> scores;
        QStringList snippets;
        double firstMs = 0;
        double totalMs = 0;
        for (int r = 0; r < repeat; ++r) {
            ids.clear();
            scores.clear();
            snippets.clear();
            QElapsedTimer t;
            t.start();
            qint64 firstNs = -1;
            search::SearchRequest req;
            req.query = q.text;
            req.limit = limit;
            req.feedback = feedback;
            req.ranking = ranking;
            auto result = searcher.run(*user, req, [&](const search::SearchHit &h) {
                if (firstNs < 0)
                    firstNs = t.nsecsElapsed();
                ids << h.rowId;
                scores << h.score;
                if (snippetsOut.isOpen())
                    snippets << h.snippet;
            });
            const qint64 totalNs = t.nsecsElapsed();
            if (auto *e = std::get_if<search::SearchError>(&result))
                std::fprintf(stderr, "%s: %s\n", qPrintable(q.id), qPrintable(e->message));
            totalMs = totalNs / 1e6;
            firstMs = (firstNs < 0 ? totalNs : firstNs) / 1e6;
            if (r == 0) {
                coldFirst.push_back(firstMs);
                coldTotal.push_back(totalMs);
            }
        }
        if (hitsOut.isOpen())
            for (int i = 0; i < ids.size(); ++i)
                hitsOut.write(QStringLiteral("%1\t%2\t%3\t%4\n").arg(q.id).arg(i + 1).arg(ids[i]).arg(scores.value(i)).toUtf8());
        if (snippetsOut.isOpen())
            for (int i = 0; i < snippets.size(); ++i) {
                QString text = snippets[i];
                text.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('\n'), QLatin1String("\\n"))
                    .replace(QLatin1Char('\r'), QLatin1String("\\r")).replace(QLatin1Char('\t'), QLatin1String("\\t"));
                snippetsOut.write(QStringLiteral("%1\t%2\t%3\t%4\n").arg(q.id).arg(i + 1).arg(ids[i]).arg(text).toUtf8());
            }
        int rank = 0;
        for (int i = 0; i < qMin(10, int(ids.size())); ++i) {
            mid.bindValue(0, ids[i]);
            mid.exec();
            // a copy made by bench/corpus/make_mbox.py ("<id.cN@host>") counts as the target
            if (mid.next() && bench::stripCopy(mid.value(0).toString()) == q.messageId) {
                rank = i + 1;
                break;
            }
        }
        tally.add(q, rank, firstMs, totalMs);
    }
    tally.printTable(true);
    if (repeat > 1 && !coldFirst.empty()) {
        auto pct = [](std::vector<double> v, double p) {
            std::sort(v.begin(), v.end());
            return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
        };
        std::printf("first run of each query (%zu): first result p50 %.2f ms p95 %.2f ms, complete p50 %.2f ms p95 %.2f ms\n",
                    coldFirst.size(), pct(coldFirst, 0.5), pct(coldFirst, 0.95), pct(coldTotal, 0.5), pct(coldTotal, 0.95));
    }
    return 0;
}
