#pragma once

#include "embedtypes.h"

#include <QList>
#include <QString>

#include <memory>

namespace hnswlib {
template <typename T> class HierarchicalNSW;
class InnerProductSpace;
}

// An approximate nearest-neighbour index over unit vectors (hnswlib 0.6.2 HNSW, inner product,
// M = 16, ef_construction = 100): email id -> vector. Saved to / loaded from one file.
// hnswlib 0.6.2 has no filter functor: callers over-fetch and filter (see SemanticIndex).
// Thread: searches may run concurrently; add() must not overlap anything (callers lock).
namespace emailrag::embed {

struct Neighbour
{
    qint64 emailId = 0;
    float similarity = 0; // cosine similarity (vectors are unit length)
};

class VectorIndex
{
public:
    explicit VectorIndex(int dim, size_t capacity = 1024);
    ~VectorIndex();
    VectorIndex(const VectorIndex &) = delete;
    VectorIndex &operator=(const VectorIndex &) = delete;

    int dimension() const { return m_dim; }
    size_t size() const;

    // Adds or replaces; grows the index as needed. `v` must have dimension() entries.
    void add(qint64 emailId, const Vector &v);
    // Adds many at once on `threads` threads (hnswlib's addPoint takes its own locks; the
    // capacity is reserved first, so nothing resizes meanwhile). `vectors` holds ids.size() × dimension()
    // floats. Same contract as add(): must not overlap any other call.
    void addMany(const std::vector<qint64> &ids, const std::vector<float> &vectors, int threads);
    // Best first. `ef` is the search breadth (raised to at least k).
    QList<Neighbour> nearest(const Vector &query, int k, int ef = 128) const;

    // The search breadth of nearest() (hnswlib's ef; default 128). Must not overlap searches.
    void setSearchBreadth(int ef);

    bool save(const QString &path) const;
    // nullptr when the file is missing, damaged or of another dimension. Reads the file in two
    // reads (loadFast) instead of hnswlib's loadIndex (see vectorindex.cpp).
    static std::unique_ptr<VectorIndex> load(const QString &path, int dim);
    // The two loaders apart (bench/search/bench_vectorindex compares them).
    static std::unique_ptr<VectorIndex> loadFast(const QString &path, int dim);
    static std::unique_ptr<VectorIndex> loadWithHnswlib(const QString &path, int dim);

private:
    VectorIndex() = default;
    int m_dim = 0;
    std::unique_ptr<hnswlib::InnerProductSpace> m_space;
    std::unique_ptr<hnswlib::HierarchicalNSW<float>> m_hnsw;
};

} // namespace emailrag::embed
