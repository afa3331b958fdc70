// VectorIndex: the two-read loader (loadFast) gives the very index hnswlib's own loader gives
// (same size, same neighbours), accepts additions afterwards, and refuses damaged files.
#include "vectorindex.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <random>

using namespace emailrag::embed;

class TestVectorIndex : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QList<Vector> m_vectors;
    static constexpr int kDim = 24;

    Vector randomUnit(std::mt19937 &gen)
    {
        std::normal_distribution<float> gauss;
        Vector v(kDim);
        for (float &x : v)
            x = gauss(gen);
        normalize(v);
        return v;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        std::mt19937 gen(7);
        for (int i = 0; i < 3000; ++i)
            m_vectors << randomUnit(gen);
        VectorIndex index(kDim, 1000); // grows while adding
        for (int i = 0; i < m_vectors.size(); ++i)
            index.add(1000 + i, m_vectors[i]);
        QVERIFY(index.save(m_dir.filePath(QStringLiteral("a.hnsw"))));
    }

    void fastLoadEqualsHnswlibLoad()
    {
        const QString path = m_dir.filePath(QStringLiteral("a.hnsw"));
        auto fast = VectorIndex::loadFast(path, kDim);
        auto slow = VectorIndex::loadWithHnswlib(path, kDim);
        QVERIFY(fast);
        QVERIFY(slow);
        QCOMPARE(fast->size(), size_t(m_vectors.size()));
        QCOMPARE(slow->size(), fast->size());
        std::mt19937 gen(11);
        for (int q = 0; q < 50; ++q) {
            const Vector v = randomUnit(gen);
            const auto a = fast->nearest(v, 20);
            const auto b = slow->nearest(v, 20);
            QCOMPARE(a.size(), 20);
            QCOMPARE(a.size(), b.size());
            for (int i = 0; i < a.size(); ++i) {
                QCOMPARE(a[i].emailId, b[i].emailId);
                QCOMPARE(a[i].similarity, b[i].similarity);
            }
        }
        // A stored vector finds itself first.
        const auto self = fast->nearest(m_vectors[123], 1);
        QCOMPARE(self.value(0).emailId, 1123);
        // A wider search still answers k hits, best first, and at least as well.
        fast->setSearchBreadth(512);
        const auto wide = fast->nearest(m_vectors[321], 20);
        QCOMPARE(wide.size(), 20);
        QCOMPARE(wide.constFirst().emailId, 1321);
        for (int i = 1; i < wide.size(); ++i)
            QVERIFY(wide[i].similarity <= wide[i - 1].similarity);
        fast->setSearchBreadth(128);
        // Additions after a fast load work (the index grows past the loaded capacity).
        std::mt19937 more(13);
        QList<Vector> added;
        for (int i = 0; i < 2000; ++i) {
            added << randomUnit(more);
            fast->add(900000 + i, added.constLast());
        }
        QCOMPARE(fast->size(), size_t(m_vectors.size() + 2000));
        QCOMPARE(fast->nearest(added[1500], 1).value(0).emailId, 901500);
        QCOMPARE(fast->nearest(m_vectors[2999], 1).value(0).emailId, 3999);
    }

    void addManyOnTwoThreads()
    {
        std::vector<qint64> ids;
        std::vector<float> flat;
        for (int i = 0; i < m_vectors.size(); ++i) {
            ids.push_back(5000 + i);
            flat.insert(flat.end(), m_vectors[i].begin(), m_vectors[i].end());
        }
        VectorIndex index(kDim, 16);
        index.addMany(ids, flat, 2);
        QCOMPARE(index.size(), size_t(m_vectors.size()));
        int self = 0;
        for (int i = 0; i < m_vectors.size(); i += 7)
            self += index.nearest(m_vectors[i], 1).value(0).emailId == 5000 + i ? 1 : 0;
        const int asked = (int(m_vectors.size()) + 6) / 7;
        QVERIFY2(self >= asked * 99 / 100, qPrintable(QStringLiteral("%1 of %2").arg(self).arg(asked)));
        index.addMany({}, {}, 2); // nothing to add: nothing changes
        QCOMPARE(index.size(), size_t(m_vectors.size()));
    }

    void damagedFilesAreRefused()
    {
        const QString path = m_dir.filePath(QStringLiteral("a.hnsw"));
        QVERIFY(!VectorIndex::load(path, kDim + 1)); // another dimension
        QFile in(path);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray bytes = in.readAll();
        for (const qsizetype cut : {qsizetype(40), bytes.size() / 2, bytes.size() - 3}) {
            const QString damaged = m_dir.filePath(QStringLiteral("cut.hnsw"));
            QFile out(damaged);
            QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
            out.write(bytes.left(cut));
            out.close();
            QVERIFY2(!VectorIndex::loadFast(damaged, kDim), qPrintable(QString::number(cut)));
            QVERIFY2(!VectorIndex::load(damaged, kDim), qPrintable(QString::number(cut)));
        }
        QVERIFY(!VectorIndex::load(m_dir.filePath(QStringLiteral("missing.hnsw")), kDim));
    }
};

QTEST_GUILESS_MAIN(TestVectorIndex)
#include "tst_vectorindex.moc"
