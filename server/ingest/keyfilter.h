#pragma once

#include <QByteArray>

#include <vector>

// A blocked Bloom filter over byte strings: answers "certainly not added" or "maybe added".
// The import writer keeps one for the user's dedup keys and one for the Message-IDs in
// thread_ids, so that the SELECT before each insert (a B-tree seek per message, one of the
// writer's costs, and a cache miss per message once a store outgrows the page cache) runs only
// when the filter says "maybe". A false "maybe" costs the SELECT it replaced; there is never a
// false "no". Each key touches one 64-byte block (one cache line), 6 bits in it; sized at
// 16 bits per expected key (about 0.1 % false "maybe"; more keys than expected only raise that).
// Thread: one thread at a time. Owner: EmailWriter. Failure: none (memory only).
namespace emailrag::ingest {

class KeyFilter
{
public:
    // Empties the filter and sizes it for `expectedKeys` (at least 64 KiB).
    void reset(qint64 expectedKeys);
    void add(const QByteArray &key);
    bool mayContain(const QByteArray &key) const;
    qint64 sizeBytes() const { return qint64(m_words.size() * sizeof(quint64)); }

private:
    std::vector<quint64> m_words; // 8 words (512 bits) per block
    quint64 m_blockMask = 0;
};

} // namespace emailrag::ingest
