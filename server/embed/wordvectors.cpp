#include "wordvectors.h"

#include "randomsvd.h"
#include "tokenizer.h"

#include <QDataStream>
#include <QIODevice>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace emailrag::embed {

namespace {
constexpr quint32 kMagic = 0x45525756; // "ERWV"
constexpr quint32 kVersion = 1;
// "All-but-the-top" (Mu & Viswanath 2018): every word vector shares a common direction (the
// frequency direction), which dominates the cosine of averaged vectors. Subtract the
// frequency-weighted mean and the top `directions` principal directions, then renormalise.
void removeCommonDirections(std::vector<float> &vectors, int k, int dim, const QHash<QString, qint64> &tf,
                            const QStringList &words, int directions)
{
    if (directions < 0 || k < 2 || dim <= directions)
        return;
    std::vector<double> mean(size_t(dim), 0.0);
    double totalWeight = 0;
    for (int i = 0; i < k; ++i) {
        const double w = double(tf.value(words[i]));
        totalWeight += w;
        for (int c = 0; c < dim; ++c)
            mean[size_t(c)] += w * vectors[size_t(i) * dim + c];
    }
    for (double &m : mean)
        m /= qMax(1.0, totalWeight);
    for (int i = 0; i < k; ++i)
        for (int c = 0; c < dim; ++c)
            vectors[size_t(i) * dim + c] -= float(mean[size_t(c)]);
    for (int dir = 0; dir < directions; ++dir) {
        // Power iteration on the covariance (vectors^T vectors) for the top direction.
        std::vector<double> u(size_t(dim), 1.0 / std::sqrt(double(dim)));
        for (int it = 0; it < 30; ++it) {
            std::vector<double> next(size_t(dim), 0.0);
            for (int i = 0; i < k; ++i) {
                const float *x = vectors.data() + size_t(i) * dim;
                double p = 0;
                for (int c = 0; c < dim; ++c)
                    p += x[c] * u[size_t(c)];
                for (int c = 0; c < dim; ++c)
                    next[size_t(c)] += p * x[c];
            }
            double norm = 0;
            for (double x : next)
                norm += x * x;
            norm = std::sqrt(norm);
            if (norm == 0)
                return;
            for (int c = 0; c < dim; ++c)
                u[size_t(c)] = next[size_t(c)] / norm;
        }
        for (int i = 0; i < k; ++i) {
            float *x = vectors.data() + size_t(i) * dim;
            double p = 0;
            for (int c = 0; c < dim; ++c)
                p += x[c] * u[size_t(c)];
            for (int c = 0; c < dim; ++c)
                x[c] -= float(p * u[size_t(c)]);
        }
    }
    for (int i = 0; i < k; ++i) {
        Vector v(vectors.begin() + qsizetype(i) * dim, vectors.begin() + qsizetype(i + 1) * dim);
        normalize(v);
        std::copy(v.begin(), v.end(), vectors.begin() + qsizetype(i) * dim);
    }
}

// Dot product with eight independent sums (the compiler vectorises it; a single running sum is a
// chain of dependent additions it may not reorder).
float dot8(const float *a, const float *b, int dim)
{
    float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int i = 0;
    for (; i + 8 <= dim; i += 8)
        for (int j = 0; j < 8; ++j)
            s[j] += a[i + j] * b[i + j];
    float total = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    for (; i < dim; ++i)
        total += a[i] * b[i];
    return total;
}

} // namespace

WordVectors WordVectors::train(const QStringList &documents, const TrainOptions &options)
{
    WordVectors wv;
    auto cancelled = [&options] { return options.cancel && options.cancel->load(std::memory_order_relaxed); };
    // 1. Document and total frequencies.
    QHash<QString, int> df;
    QHash<QString, qint64> tf;
    for (const QString &doc : documents) {
        if (cancelled())
            return {};
        QSet<QString> seen;
        forEachWord(doc, [&](const QString &w, int) {
            ++tf[w];
            if (!seen.contains(w)) {
                seen.insert(w);
                ++df[w];
            }
        });
    }
    const int n = int(documents.size());
    QStringList candidates;
    for (auto it = df.cbegin(); it != df.cend(); ++it) {
        if (it.value() >= 2 && it.value() <= qMax(2, n / 2))
            candidates << it.key();
    }
    std::sort(candidates.begin(), candidates.end(), [&](const QString &a, const QString &b) {
        const qint64 ta = tf.value(a), tb = tf.value(b);
        return ta != tb ? ta > tb : a < b;
    });
    candidates = candidates.mid(0, options.vocabulary);
    std::sort(candidates.begin(), candidates.end());
    const int k = int(candidates.size());
    if (k < 4)
        return wv;
    QHash<QString, int> index;
    for (int i = 0; i < k; ++i)
        index.insert(candidates[i], i);

    // 2. Co-occurrence in a ±window, weighted 1/distance, symmetric (key: low << 32 | high).
    std::unordered_map<uint64_t, float> co;
    co.reserve(size_t(k) * 64);
    std::vector<int> ids;
    for (const QString &doc : documents) {
        if (cancelled())
            return {};
        ids.clear();
        forEachWord(doc, [&](const QString &w, int) {
            const auto it = index.constFind(w);
            if (it != index.cend())
                ids.push_back(it.value());
        });
        for (size_t i = 0; i < ids.size(); ++i) {
            for (size_t j = i + 1; j < ids.size() && j <= i + size_t(options.window); ++j) {
                if (ids[i] == ids[j])
                    continue;
                const uint64_t a = uint64_t(std::min(ids[i], ids[j]));
                const uint64_t b = uint64_t(std::max(ids[i], ids[j]));
                co[(a << 32) | b] += 1.0f / float(j - i);
            }
        }
    }
    // 3. PPMI with smoothed context probabilities on both sides (keeps the matrix symmetric).
    std::vector<double> row(static_cast<size_t>(k), 0.0);
    double total = 0;
    for (const auto &[key, c] : co) {
        row[size_t(key >> 32)] += c;
        row[size_t(key & 0xffffffffu)] += c;
        total += 2 * c;
    }
    double smoothTotal = 0;
    std::vector<double> smooth(static_cast<size_t>(k));
    for (int i = 0; i < k; ++i) {
        smooth[size_t(i)] = std::pow(row[size_t(i)], 0.75);
        smoothTotal += smooth[size_t(i)];
    }
    std::vector<std::vector<std::pair<int, float>>> rows(static_cast<size_t>(k));
    for (const auto &[key, c] : co) {
        const int a = int(key >> 32);
        const int b = int(key & 0xffffffffu);
        const double pab = c / total;
        const double pmi = std::log(pab / ((smooth[size_t(a)] / smoothTotal) * (smooth[size_t(b)] / smoothTotal)));
        if (pmi <= 0)
            continue;
        rows[size_t(a)].push_back({b, float(pmi)});
        rows[size_t(b)].push_back({a, float(pmi)});
    }
    co.clear();
    SparseSymmetric m;
    m.n = k;
    m.rowStart.resize(size_t(k) + 1);
    for (int i = 0; i < k; ++i) {
        m.rowStart[size_t(i)] = int(m.col.size());
        for (const auto &[j, v] : rows[size_t(i)]) {
            m.col.push_back(j);
            m.value.push_back(v);
        }
    }
    m.rowStart[size_t(k)] = int(m.col.size());
    rows.clear();

    if (cancelled())
        return {};
    // 4. Truncated decomposition; vector = eigenvector row × √|λ|, normalised.
    const Decomposition d = randomizedEigen(m, std::min(options.dimension, k - 1), options.oversample,
                                            options.powerIterations, options.seed);
    wv.m_dim = d.rank;
    wv.m_words = candidates;
    wv.m_index = index;
    wv.m_vectors.assign(size_t(k) * d.rank, 0.0f);
    wv.m_idf.resize(size_t(k));
    for (int i = 0; i < k; ++i) {
        Vector v(size_t(d.rank));
        for (int c = 0; c < d.rank; ++c)
            v[size_t(c)] = float(d.vectors[size_t(i) * d.rank + c] * std::sqrt(std::abs(d.values[size_t(c)])));
        normalize(v);
        std::copy(v.begin(), v.end(), wv.m_vectors.begin() + qsizetype(i) * d.rank);
        wv.m_idf[size_t(i)] = float(std::log((n + 1.0) / (df.value(candidates[i]) + 0.5)));
    }
    // Directions removed: about one per 40 dimensions (Mu & Viswanath use d/100 for 300-dim
    // vectors); none below 40 dimensions, where the top directions are the topics themselves.
    removeCommonDirections(wv.m_vectors, k, d.rank, tf, candidates,
                           options.commonDirections < 0 ? -1 : std::min(options.commonDirections, d.rank / 40));
    return wv;
}

Vector WordVectors::embed(const QString &text) const
{
    Vector v(static_cast<size_t>(m_dim), 0.0f);
    if (m_dim == 0)
        return v;
    forEachWord(text, [&](const QString &w, int line) {
        const auto it = m_index.constFind(w);
        if (it == m_index.cend())
            return;
        const float weight = m_idf[size_t(it.value())] * (line == 0 ? 2.0f : 1.0f);
        const float *src = m_vectors.data() + qsizetype(it.value()) * m_dim;
        for (int c = 0; c < m_dim; ++c)
            v[size_t(c)] += weight * src[c];
    });
    normalize(v);
    return v;
}

std::optional<Vector> WordVectors::wordVector(const QString &word) const
{
    const auto it = m_index.constFind(word.toLower());
    if (it == m_index.cend())
        return std::nullopt;
    const float *src = m_vectors.data() + qsizetype(it.value()) * m_dim;
    return Vector(src, src + m_dim);
}

std::optional<float> WordVectors::cosine(const QString &a, const QString &b) const
{
    const auto ia = m_index.constFind(a);
    const auto ib = m_index.constFind(b);
    if (ia == m_index.cend() || ib == m_index.cend())
        return std::nullopt;
    return dot8(m_vectors.data() + qsizetype(*ia) * m_dim, m_vectors.data() + qsizetype(*ib) * m_dim, m_dim);
}

double WordVectors::softCoverage(const QStringList &queryWords, const QString &text, float minCosine) const
{
    std::vector<int> query;
    for (const QString &w : queryWords) {
        const auto it = m_index.constFind(w);
        if (it != m_index.cend() && std::find(query.begin(), query.end(), *it) == query.end())
            query.push_back(*it);
    }
    if (query.empty())
        return 0;
    std::vector<float> best(query.size(), 0.0f);
    QSet<int> seen;
    forEachWord(text, [&](const QString &w, int) {
        const auto it = m_index.constFind(w);
        if (it == m_index.cend() || seen.contains(*it))
            return;
        seen.insert(*it);
        const float *v = m_vectors.data() + qsizetype(*it) * m_dim;
        for (size_t q = 0; q < query.size(); ++q) {
            const float c = query[q] == *it ? 1.0f : dot8(m_vectors.data() + qsizetype(query[q]) * m_dim, v, m_dim);
            best[q] = std::max(best[q], c);
        }
    });
    double sum = 0, total = 0;
    for (size_t q = 0; q < query.size(); ++q) {
        const double idf = m_idf[size_t(query[q])];
        total += idf;
        if (best[q] >= minCosine)
            sum += idf * std::min(1.0f, best[q]);
    }
    return total > 0 ? sum / total : 0;
}

float WordVectors::wordIdf(const QString &word) const
{
    const auto it = m_index.constFind(word);
    return it == m_index.cend() ? -1.0f : m_idf[size_t(it.value())];
}

QList<QList<WordVectors::Neighbour>> WordVectors::nearestWords(const QStringList &words, int k, float minCosine) const
{
    QList<QList<Neighbour>> out(words.size());
    std::vector<const float *> queries;
    std::vector<int> slots;
    std::vector<int> self;
    for (int i = 0; i < words.size(); ++i) {
        const auto it = m_index.constFind(words[i]);
        if (it == m_index.cend())
            continue;
        queries.push_back(m_vectors.data() + qsizetype(it.value()) * m_dim);
        slots.push_back(i);
        self.push_back(it.value());
    }
    if (queries.empty() || k <= 0)
        return out;
    // Per query word: a small heap of (cosine, word index), worst on top.
    using Entry = std::pair<float, int>;
    const auto worse = [](const Entry &a, const Entry &b) { return a.first > b.first; };
    std::vector<std::vector<Entry>> heaps(queries.size());
    const int n = int(m_words.size());
    for (int w = 0; w < n; ++w) {
        const float *v = m_vectors.data() + qsizetype(w) * m_dim;
        for (size_t q = 0; q < queries.size(); ++q) {
            if (w == self[q])
                continue;
            const float c = dot8(queries[q], v, m_dim);
            if (c < minCosine)
                continue;
            auto &h = heaps[q];
            if (int(h.size()) < k) {
                h.push_back({c, w});
                std::push_heap(h.begin(), h.end(), worse);
            } else if (c > h.front().first) {
                std::pop_heap(h.begin(), h.end(), worse);
                h.back() = {c, w};
                std::push_heap(h.begin(), h.end(), worse);
            }
        }
    }
    for (size_t q = 0; q < queries.size(); ++q) {
        auto &h = heaps[q];
        std::sort_heap(h.begin(), h.end(), worse);
        for (const Entry &e : h)
            out[slots[q]] << Neighbour{m_words[e.second], e.first};
    }
    return out;
}

QByteArray WordVectors::serialize() const
{
    QByteArray out;
    QDataStream s(&out, QIODevice::WriteOnly);
    s.setVersion(QDataStream::Qt_6_4);
    s << kMagic << kVersion << qint32(m_dim) << m_words;
    s.writeRawData(reinterpret_cast<const char *>(m_idf.data()), int(m_idf.size() * sizeof(float)));
    s.writeRawData(reinterpret_cast<const char *>(m_vectors.data()), int(m_vectors.size() * sizeof(float)));
    return out;
}

std::optional<WordVectors> WordVectors::deserialize(const QByteArray &bytes)
{
    QDataStream s(bytes);
    s.setVersion(QDataStream::Qt_6_4);
    quint32 magic = 0, version = 0;
    qint32 dim = 0;
    WordVectors wv;
    s >> magic >> version >> dim >> wv.m_words;
    if (s.status() != QDataStream::Ok || magic != kMagic || version != kVersion || dim <= 0 || dim > 4096)
        return std::nullopt;
    wv.m_dim = dim;
    const size_t k = size_t(wv.m_words.size());
    wv.m_idf.resize(k);
    wv.m_vectors.resize(k * size_t(dim));
    const int idfBytes = int(k * sizeof(float));
    const int vecBytes = int(wv.m_vectors.size() * sizeof(float));
    if (s.readRawData(reinterpret_cast<char *>(wv.m_idf.data()), idfBytes) != idfBytes
        || s.readRawData(reinterpret_cast<char *>(wv.m_vectors.data()), vecBytes) != vecBytes)
        return std::nullopt;
    for (int i = 0; i < int(k); ++i)
        wv.m_index.insert(wv.m_words[i], i);
    return wv;
}

} // namespace emailrag::embed
