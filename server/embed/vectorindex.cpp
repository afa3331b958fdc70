#include "vectorindex.h"

#include <QFile>

#include <hnswlib/hnswlib.h>

#include <algorithm>

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

std::unique_ptr<VectorIndex> VectorIndex::load(const QString &path, int dim)
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

} // namespace emailrag::embed
