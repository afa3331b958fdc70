// Vector index benchmark: build, save, load and query the hnswlib index (emailrag_embed
// VectorIndex), and recall@10 against exact search. Two modes:
//
//   bench_vectorindex [N=200000] [D=96] [FILE=/tmp/emailrag-vectorindex.hnsw]
//       N random Gaussian unit vectors of dimension D (no clusters: a harder case for HNSW than
//       real embeddings, so recall here is a lower bound).
//   bench_vectorindex --db FILE --user NAME [--queries TSV]
//       a real store after the embedding stage (bench_search --embed): the user's index file in
//       FILE.vectors/ (built from the database and saved first when missing), its load time with
//       hnswlib's own loadIndex and with VectorIndex::load (two reads), the full SemanticIndex
//       refresh a fresh process does, and query times / recall@10 against exact search over every
//       stored vector with the query texts of TSV (column 4, embedded by the user's model).
// Prints one line per figure.
#include "database.h"
#include "semanticindex.h"
#include "vectorindex.h"
#include "vectorstore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSqlQuery>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <random>
#include <ctime>

using namespace emailrag::embed;

namespace {

double cpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

double pct(QList<double> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[qMin(v.size() - 1, qsizetype(p * v.size()))];
}

int storeMode(const QStringList &args)
{
    const QString dbPath = args.value(args.indexOf(QStringLiteral("--db")) + 1);
    const QString userName = args.contains(QStringLiteral("--user")) ? args.value(args.indexOf(QStringLiteral("--user")) + 1)
                                                                      : QStringLiteral("local");
    const QString queriesPath = args.contains(QStringLiteral("--queries"))
        ? args.value(args.indexOf(QStringLiteral("--queries")) + 1)
        : QString();
    const auto config = emailrag::storage::DatabaseConfig::sqliteFile(dbPath);
    QSqlDatabase db = emailrag::storage::Database::connection(config, QStringLiteral("bench-vi"));
    QSqlQuery uq(db);
    uq.prepare(QStringLiteral("SELECT id FROM users WHERE name = ?"));
    uq.addBindValue(userName);
    if (!uq.exec() || !uq.next()) {
        std::fprintf(stderr, "no user %s in %s\n", qPrintable(userName), qPrintable(dbPath));
        return 1;
    }
    const qint64 user = uq.value(0).toLongLong();
    const QString dir = dbPath + QStringLiteral(".vectors");
    QElapsedTimer t;
    {
        SemanticIndex probe(dir);
        const QString path = probe.indexPath(user);
        if (!QFile::exists(path) || !QFile::exists(path + QStringLiteral(".meta"))) {
            t.start();
            if (!probe.refresh(db, user, true)) {
                std::fprintf(stderr, "no vectors for user %s: run bench_search --embed first\n", qPrintable(userName));
                return 1;
            }
            std::printf("build from the database: %lld vectors in %.1f s\n", qint64(probe.lastLoad(user).vectors),
                        t.elapsed() / 1000.0);
        }
    }
    SemanticIndex si(dir);
    const QString path = si.indexPath(user);
    QFile meta(path + QStringLiteral(".meta"));
    meta.open(QIODevice::ReadOnly);
    const int dim = QString::fromUtf8(meta.readAll()).section(QStringLiteral("\"dim\":"), 1).section(QLatin1Char(','), 0, 0)
                        .remove(QLatin1Char('}')).toInt();
    std::printf("file: %s, %.1f MB, %d dimensions\n", qPrintable(path), QFileInfo(path).size() / 1e6, dim);
    for (int pass = 0; pass < 3; ++pass) {
        t.start();
        double c = cpuMs();
        auto slow = VectorIndex::loadWithHnswlib(path, dim);
        const double slowMs = t.nsecsElapsed() / 1e6, slowCpu = cpuMs() - c;
        slow.reset();
        t.start();
        c = cpuMs();
        auto fast = VectorIndex::load(path, dim);
        const double fastMs = t.nsecsElapsed() / 1e6, fastCpu = cpuMs() - c;
        std::printf("load (warm page cache, pass %d): hnswlib loadIndex %.1f ms wall / %.1f ms CPU, "
                    "VectorIndex::load %.1f ms wall / %.1f ms CPU (%zu vectors)\n",
                    pass + 1, slowMs, slowCpu, fastMs, fastCpu, fast ? fast->size() : size_t(0));
    }
    t.start();
    const double c0 = cpuMs();
    si.refresh(db, user);
    std::printf("SemanticIndex::refresh in a fresh process (meta, version check, load, top-up): %.1f ms wall / %.1f ms CPU, "
                "%lld vectors\n",
                t.nsecsElapsed() / 1e6, cpuMs() - c0, qint64(si.lastLoad(user).vectors));

    QStringList texts;
    QFile qf(queriesPath);
    if (!queriesPath.isEmpty() && qf.open(QIODevice::ReadOnly)) {
        QTextStream in(&qf);
        in.readLine();
        while (!in.atEnd()) {
            const QStringList f = in.readLine().split(QLatin1Char('\t'));
            if (f.size() >= 4)
                texts << f[3];
        }
    }
    QList<Vector> queries;
    for (const QString &text : std::as_const(texts)) {
        if (auto v = si.embedQuery(db, user, text))
            queries << *v;
    }
    if (queries.isEmpty())
        return 0;
    // Exact search over every stored vector (read once).
    std::vector<float> all;
    std::vector<qint64> ids;
    t.start();
    VectorStore::forEachVector(db, user, si.modelName(), 0, [&](const StoredVector &v) {
        if (int(v.vec.size()) != dim)
            return;
        all.insert(all.end(), v.vec.begin(), v.vec.end());
        ids.push_back(v.emailId);
    });
    std::printf("read %zu stored vectors for exact search in %.1f s\n", ids.size(), t.elapsed() / 1000.0);
    auto loaded = VectorIndex::load(path, dim);
    if (!loaded)
        return 1;
    // The exact top 10 of every query, once.
    QList<std::vector<std::pair<float, qint64>>> exactTop;
    for (const Vector &q : std::as_const(queries)) {
        std::vector<std::pair<float, qint64>> exact;
        exact.reserve(ids.size());
        for (size_t i = 0; i < ids.size(); ++i)
            exact.push_back({dot(q.data(), all.data() + i * size_t(dim), dim), ids[i]});
        const size_t top = std::min<size_t>(10, exact.size());
        std::partial_sort(exact.begin(), exact.begin() + qsizetype(top), exact.end(), std::greater<>());
        exact.resize(top);
        exactTop << exact;
    }
    for (const int ef : {64, 128, 256, 512}) {
    loaded->setSearchBreadth(ef);
    QList<double> t10, t100;
    double recall = 0, recallTies = 0;
    for (qsizetype qi = 0; qi < queries.size(); ++qi) {
        const Vector &q = queries[qi];
        QElapsedTimer qt;
        qt.start();
        const auto approx = loaded->nearest(q, 10);
        t10 << qt.nsecsElapsed() / 1e6;
        qt.start();
        (void)loaded->nearest(q, 100);
        t100 << qt.nsecsElapsed() / 1e6;
        const std::vector<std::pair<float, qint64>> &exact = exactTop[qi];
        const size_t top = exact.size();
        int found = 0;
        for (size_t k = 0; k < top; ++k)
            for (const auto &a : approx)
                found += a.emailId == exact[k].second ? 1 : 0;
        recall += top ? double(found) / top : 1.0;
        // Ties: a store made by bench/corpus/make_mbox.py holds copies of each email, with the very
        // same vector, so the exact top 10 is one arbitrary pick among equals. Count an approximate
        // hit as found when it is at least as similar as the exact 10th.
        int asGood = 0;
        for (const auto &a : approx)
            asGood += top && a.similarity >= exact[top - 1].first - 1e-5f ? 1 : 0;
        recallTies += top ? double(qMin<int>(asGood, int(top))) / top : 1.0;
    }
    std::printf("ef %d: query k=10 p50 %.2f ms, p95 %.2f ms; k=100 p50 %.2f ms, p95 %.2f ms; recall@10 vs exact %.3f by id, "
                "%.3f counting ties (hits as similar as the exact 10th); %lld query texts\n",
                ef, pct(t10, 0.5), pct(t10, 0.95), pct(t100, 0.5), pct(t100, 0.95), recall / queries.size(),
                recallTies / queries.size(), qint64(queries.size()));
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.contains(QStringLiteral("--db")))
        return storeMode(args);
    const int n = args.size() > 1 ? args[1].toInt() : 200000;
    const int dim = args.size() > 2 ? args[2].toInt() : 96;
    const QString path = args.size() > 3 ? args[3] : QStringLiteral("/tmp/emailrag-vectorindex.hnsw");
    std::mt19937 gen(1);
    std::normal_distribution<float> gauss;
    std::vector<float> data(size_t(n) * dim);
    for (float &x : data)
        x = gauss(gen);
    for (int i = 0; i < n; ++i) {
        Vector v(data.begin() + qsizetype(i) * dim, data.begin() + qsizetype(i + 1) * dim);
        normalize(v);
        std::copy(v.begin(), v.end(), data.begin() + qsizetype(i) * dim);
    }
    QElapsedTimer t;
    t.start();
    VectorIndex index(dim, size_t(n));
    for (int i = 0; i < n; ++i)
        index.add(i + 1, Vector(data.begin() + qsizetype(i) * dim, data.begin() + qsizetype(i + 1) * dim));
    std::printf("build: %d vectors of %d dims in %.1f s (%.1f us per vector)\n", n, dim, t.elapsed() / 1000.0,
                t.nsecsElapsed() / 1e3 / n);
    t.restart();
    if (!index.save(path))
        return 1;
    std::printf("save: %.2f s, file %.1f MB\n", t.elapsed() / 1000.0, QFileInfo(path).size() / 1e6);
    t.restart();
    auto loaded = VectorIndex::load(path, dim);
    if (!loaded)
        return 1;
    std::printf("load: %.1f ms (%zu vectors)\n", t.nsecsElapsed() / 1e6, loaded->size());
    // Queries: perturbed copies of stored vectors; recall@10 against exact search.
    QList<double> times;
    double recall = 0;
    const int queries = 100;
    for (int q = 0; q < queries; ++q) {
        const int base = int(gen() % n);
        Vector v(data.begin() + qsizetype(base) * dim, data.begin() + qsizetype(base + 1) * dim);
        for (float &x : v)
            x += 0.5f * gauss(gen) / std::sqrt(float(dim));
        normalize(v);
        QElapsedTimer qt;
        qt.start();
        const auto hits = loaded->nearest(v, 10);
        times << qt.nsecsElapsed() / 1e6;
        std::vector<std::pair<float, qint64>> exact;
        exact.reserve(size_t(n));
        for (int i = 0; i < n; ++i)
            exact.push_back({dot(v.data(), data.data() + qsizetype(i) * dim, dim), i + 1});
        std::partial_sort(exact.begin(), exact.begin() + 10, exact.end(), std::greater<>());
        int found = 0;
        for (int k = 0; k < 10; ++k)
            for (const auto &h : hits)
                found += h.emailId == exact[size_t(k)].second ? 1 : 0;
        recall += found / 10.0;
    }
    std::sort(times.begin(), times.end());
    std::printf("query k=10: p50 %.2f ms, p95 %.2f ms; recall@10 vs exact %.3f\n", times[times.size() / 2],
                times[int(times.size() * 0.95)], recall / queries);
    QFile::remove(path);
    return 0;
}
