#include "vectorindex.h"

#include <QFile>

#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <cstdlib>
#include <cstring>

namespace emailrag::embed {

namespace {
constexpr size_t kM = 16;
constexpr size_t kEfConstruction = 100;
constexpr size_t kEfSearch = 128;
} // namespace

VectorIndex::VectorIndex(int dim, size_t capacity)
    : m_dim(dim)
    , m_space(std::make_unique<hnswlib::InnerProductSpace>(size_t(dim)))
    , m_hnsw(std::make_unique<hnswlib::HierarchicalNSW<float>>(m_space.get(), std::max<size_t>(capacity, 16), kM,
                                                               kEfConstruction))
{
    m_hnsw->setEf(kEfSearch); // hnswlib searches with max(ef, k)
}

VectorIndex::~VectorIndex() = default;

size_t VectorIndex::size() const
{
    return m_hnsw ? m_hnsw->cur_element_count : 0;
}

void VectorIndex::add(qint64 emailId, const Vector &v)
{
    if (int(v.size()) != m_dim)
        return;
    if (m_hnsw->cur_element_count >= m_hnsw->max_elements_)
        m_hnsw->resizeIndex(std::max<size_t>(m_hnsw->max_elements_ * 2, 1024));
    m_hnsw->addPoint(v.data(), hnswlib::labeltype(emailId));
}

void VectorIndex::addMany(const std::vector<qint64> &ids, const std::vector<float> &vectors, int threads)
{
    if (ids.empty() || vectors.size() != ids.size() * size_t(m_dim))
        return;
    const size_t need = m_hnsw->cur_element_count + ids.size();
    if (need > m_hnsw->max_elements_)
        m_hnsw->resizeIndex(need);
    threads = std::clamp(threads, 1, 16);
    std::atomic<size_t> next{0};
    auto work = [&] {
        // Small chunks handed out in order, so that early points (the graph's entry region) go in first.
        for (;;) {
            const size_t begin = next.fetch_add(256);
            if (begin >= ids.size())
                return;
            const size_t end = std::min(ids.size(), begin + 256);
            for (size_t i = begin; i < end; ++i)
                m_hnsw->addPoint(vectors.data() + i * size_t(m_dim), hnswlib::labeltype(ids[i]));
        }
    };
    // The first points alone: hnswlib needs an entry point before concurrent inserts.
    const size_t head = std::min<size_t>(ids.size(), 1);
    for (size_t i = 0; i < head; ++i)
        m_hnsw->addPoint(vectors.data() + i * size_t(m_dim), hnswlib::labeltype(ids[i]));
    next = head;
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t)
        pool.emplace_back(work);
    work();
    for (auto &t : pool)
        t.join();
}

QList<Neighbour> VectorIndex::nearest(const Vector &query, int k, int ef) const
{
    QList<Neighbour> out;
    if (int(query.size()) != m_dim || size() == 0 || k <= 0)
        return out;
    Q_UNUSED(ef); // set once at construction/load (kEfSearch): setEf here would race between searches
    auto result = m_hnsw->searchKnn(query.data(), size_t(k));
    out.reserve(qsizetype(result.size()));
    while (!result.empty()) {
        const auto &[distance, label] = result.top();
        out.prepend(Neighbour{qint64(label), 1.0f - distance});
        result.pop();
    }
    return out;
}

void VectorIndex::setSearchBreadth(int ef)
{
    m_hnsw->setEf(size_t(std::max(ef, 1)));
}

bool VectorIndex::save(const QString &path) const
{
    const QString tmp = path + QStringLiteral(".tmp");
    try {
        m_hnsw->saveIndex(QFile::encodeName(tmp).toStdString());
    } catch (const std::exception &) {
        QFile::remove(tmp);
        return false;
    }
    QFile::remove(path);
    return QFile::rename(tmp, path);
}

namespace {

// The header hnswlib 0.6.2 writes (HierarchicalNSW::saveIndex), field by field.
struct FileHeader
{
    size_t offsetLevel0 = 0, maxElements = 0, count = 0, sizeDataPerElement = 0, labelOffset = 0, offsetData = 0;
    int maxLevel = 0;
    hnswlib::tableint enterPoint = 0;
    size_t maxM = 0, maxM0 = 0, m = 0;
    double mult = 0;
    size_t efConstruction = 0;
};

template <typename T> bool take(const char *&p, const char *end, T &out)
{
    if (size_t(end - p) < sizeof(T))
        return false;
    std::memcpy(&out, p, sizeof(T));
    p += sizeof(T);
    return true;
}

} // namespace

std::unique_ptr<VectorIndex> VectorIndex::load(const QString &path, int dim)
{
    if (!QFile::exists(path) || dim <= 0)
        return nullptr;
    // Every file is written by save() (hnswlib 0.6.2's layout), which loadFast reads; anything it
    // refuses is damaged and the caller rebuilds from the database (hnswlib's loader trusts the
    // header and may allocate whatever a damaged one says).
    return loadFast(path, dim);
}

// hnswlib's own loadIndex: checks the file in a first pass that seeks once per element with upper
// levels (each seek refills the stream buffer), then reads the link lists element by element and
// fills label_lookup_ without reserving. Kept for comparison (bench_vectorindex, tests).
std::unique_ptr<VectorIndex> VectorIndex::loadWithHnswlib(const QString &path, int dim)
{
    if (!QFile::exists(path) || dim <= 0)
        return nullptr;
    std::unique_ptr<VectorIndex> index(new VectorIndex());
    index->m_dim = dim;
    index->m_space = std::make_unique<hnswlib::InnerProductSpace>(size_t(dim));
    try {
        index->m_hnsw = std::make_unique<hnswlib::HierarchicalNSW<float>>(index->m_space.get(),
                                                                          QFile::encodeName(path).toStdString());
    } catch (const std::exception &) {
        return nullptr;
    }
    if (index->m_hnsw->label_offset_ - index->m_hnsw->offsetData_ != size_t(dim) * sizeof(float))
        return nullptr; // written for another dimension
    index->m_hnsw->setEf(kEfSearch);
    return index;
}

// The same file read in two reads: the level-0 block straight into the index's memory, then the
// upper-level link lists (about 1 element in M has any) in one buffer; label_lookup_ reserved
// first. Builds the index object through its normal constructor, so every other member is what
// hnswlib itself sets up. nullptr when the file is not a complete 0.6.2 index of this layout.
std::unique_ptr<VectorIndex> VectorIndex::loadFast(const QString &path, int dim)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return nullptr;
    FileHeader h;
    {
        const QByteArray head = file.read(sizeof(size_t) * 10 + sizeof(int) + sizeof(hnswlib::tableint) + sizeof(double));
        const char *p = head.constData();
        const char *end = p + head.size();
        if (!(take(p, end, h.offsetLevel0) && take(p, end, h.maxElements) && take(p, end, h.count)
              && take(p, end, h.sizeDataPerElement) && take(p, end, h.labelOffset) && take(p, end, h.offsetData)
              && take(p, end, h.maxLevel) && take(p, end, h.enterPoint) && take(p, end, h.maxM) && take(p, end, h.maxM0)
              && take(p, end, h.m) && take(p, end, h.mult) && take(p, end, h.efConstruction)))
            return nullptr;
    }
    if (h.count == 0 || h.offsetLevel0 != 0 || h.maxM != h.m || h.maxM0 != 2 * h.m || h.m == 0 || h.m > 10000
        || h.labelOffset - h.offsetData != size_t(dim) * sizeof(float))
        return nullptr;
    std::unique_ptr<VectorIndex> index(new VectorIndex());
    index->m_dim = dim;
    index->m_space = std::make_unique<hnswlib::InnerProductSpace>(size_t(dim));
    try {
        index->m_hnsw = std::make_unique<hnswlib::HierarchicalNSW<float>>(
            index->m_space.get(), std::max(h.count, h.maxElements), h.m, h.efConstruction);
    } catch (const std::exception &) {
        return nullptr;
    }
    auto &hn = *index->m_hnsw;
    if (hn.size_data_per_element_ != h.sizeDataPerElement || hn.label_offset_ != h.labelOffset
        || hn.offsetData_ != h.offsetData || hn.ef_construction_ != h.efConstruction)
        return nullptr;
    const qint64 level0 = qint64(h.count * h.sizeDataPerElement);
    if (file.read(hn.data_level0_memory_, level0) != level0)
        return nullptr;
    const QByteArray rest = file.readAll();
    const char *p = rest.constData();
    const char *end = p + rest.size();
    size_t allocated = 0; // link lists malloc'ed so far (freed by ~HierarchicalNSW via element_levels_)
    auto fail = [&] {
        for (size_t i = 0; i < allocated; ++i) {
            if (hn.element_levels_[i] > 0)
                free(hn.linkLists_[i]);
        }
        hn.cur_element_count = 0; // the destructor frees nothing else per element
        return nullptr;
    };
    for (size_t i = 0; i < h.count; ++i) {
        unsigned int size = 0;
        allocated = i;
        if (!take(p, end, size))
            return fail();
        hn.element_levels_[i] = int(size / hn.size_links_per_element_);
        if (size == 0) {
            hn.linkLists_[i] = nullptr;
            continue;
        }
        if (size % hn.size_links_per_element_ != 0 || size_t(end - p) < size)
            return fail();
        hn.linkLists_[i] = static_cast<char *>(malloc(size));
        if (!hn.linkLists_[i])
            return fail();
        allocated = i + 1;
        std::memcpy(hn.linkLists_[i], p, size);
        p += size;
    }
    if (p != end || h.enterPoint >= h.count) {
        allocated = h.count;
        return fail();
    }
    hn.cur_element_count = h.count;
    hn.maxlevel_ = h.maxLevel;
    hn.enterpoint_node_ = h.enterPoint;
    hn.mult_ = h.mult;
    hn.revSize_ = 1.0 / h.mult;
    hn.label_lookup_.reserve(h.count);
    for (size_t i = 0; i < h.count; ++i) {
        hn.label_lookup_[hn.getExternalLabel(hnswlib::tableint(i))] = hnswlib::tableint(i);
        if (hn.isMarkedDeleted(hnswlib::tableint(i)))
            ++hn.num_deleted_;
    }
    hn.setEf(kEfSearch);
    return index;
}

} // namespace emailrag::embed
