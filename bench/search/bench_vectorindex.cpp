// Vector index benchmark: build, save, load and query the hnswlib index (emailrag_embed
// VectorIndex) for N unit vectors of dimension D, and recall@10 against exact search.
//
//   bench_vectorindex [N=200000] [D=96] [FILE=/tmp/emailrag-vectorindex.hnsw]
//
// Vectors are random Gaussian directions, a harder case for HNSW than real embeddings (no
// clusters), so recall here is a lower bound. Prints one line per figure.
#include "vectorindex.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cstdio>
#include <random>

using namespace emailrag::embed;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
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
