#include "keyfilter.h"

#include <QHashFunctions>

namespace emailrag::ingest {

namespace {
constexpr int kProbes = 6;
constexpr qint64 kBitsPerKey = 16;
constexpr qint64 kMinBlocks = 1024; // 64 KiB

// One 64-bit hash gives the block (high half) and, remixed, six 9-bit positions in it.
inline quint64 hashOf(const QByteArray &key)
{
    return quint64(qHashBits(key.constData(), size_t(key.size()), 0x2545F491u));
}
} // namespace

void KeyFilter::reset(qint64 expectedKeys)
{
    qint64 blocks = kMinBlocks;
    while (blocks * 512 < expectedKeys * kBitsPerKey)
        blocks *= 2;
    m_words.assign(size_t(blocks * 8), 0);
    m_blockMask = quint64(blocks - 1);
}

void KeyFilter::add(const QByteArray &key)
{
    if (m_words.empty())
        reset(0);
    const quint64 h = hashOf(key);
    quint64 *block = &m_words[size_t(((h >> 32) & m_blockMask) * 8)];
    quint64 bits = h * 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < kProbes; ++i, bits >>= 9)
        block[(bits >> 6) & 7] |= quint64(1) << (bits & 63);
}

bool KeyFilter::mayContain(const QByteArray &key) const
{
    if (m_words.empty())
        return false;
    const quint64 h = hashOf(key);
    const quint64 *block = &m_words[size_t(((h >> 32) & m_blockMask) * 8)];
    quint64 bits = h * 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < kProbes; ++i, bits >>= 9) {
        if (!(block[(bits >> 6) & 7] & (quint64(1) << (bits & 63))))
            return false;
    }
    return true;
}

} // namespace emailrag::ingest
