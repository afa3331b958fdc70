// The gate of the hybrid fusion (server/search/hybrid.cpp): a strong lexical list keeps its order
// whatever the semantic weights; a weak one (empty, or best score below kWeakLexicalScore) may be
// reordered; every lexical hit stays; scores never increase down the list.
#include "hybrid.h"

#include <QtTest>

using namespace emailrag::search;

namespace {

QList<Ranked> lexicalList(double top)
{
    QList<Ranked> out;
    for (int i = 0; i < 5; ++i)
        out << Ranked{qint64(100 + i), QStringLiteral("t%1").arg(i), top - 0.02 * i};
    return out;
}

// The semantic side ranks the lexical list backwards, very confidently.
SemanticList reversedSemantic(const QList<Ranked> &lexical)
{
    SemanticList s;
    s.available = true;
    for (int i = int(lexical.size()) - 1; i >= 0; --i)
        s.hits << Ranked{lexical[i].id, lexical[i].thread, 0.9 - 0.01 * (int(lexical.size()) - 1 - i)};
    return s;
}

QList<qint64> ids(const QList<Ranked> &list)
{
    QList<qint64> out;
    for (const Ranked &r : list)
        out << r.id;
    return out;
}

} // namespace

class TestHybridGate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void weakness()
    {
        QVERIFY(lexicalIsWeak({}));
        QVERIFY(lexicalIsWeak(lexicalList(kWeakLexicalScore - 0.01)));
        QVERIFY(!lexicalIsWeak(lexicalList(kWeakLexicalScore)));
        HybridWeights none;
        QVERIFY(!semanticMayReorder(lexicalList(0.1), true, none)); // default weights: never
        HybridWeights w;
        w.semanticNatural = 1.0;
        QVERIFY(semanticMayReorder(lexicalList(0.1), true, w));
        QVERIFY(!semanticMayReorder(lexicalList(0.1), false, w)); // keyword weight still 0
        QVERIFY(!semanticMayReorder(lexicalList(0.6), true, w));  // strong list
    }

    void strongListKeepsItsOrder_data()
    {
        QTest::addColumn<bool>("natural");
        QTest::addColumn<bool>("blend");
        QTest::newRow("keyword rrf") << false << false;
        QTest::newRow("natural rrf") << true << false;
        QTest::newRow("keyword blend") << false << true;
    }
    void strongListKeepsItsOrder()
    {
        QFETCH(bool, natural);
        QFETCH(bool, blend);
        HybridWeights w;
        w.semanticKeyword = 5.0;
        w.semanticNatural = 5.0;
        w.kSemantic = 1.0;
        w.scoreBlend = blend ? 10.0 : 0.0;
        const QList<Ranked> lexical = lexicalList(0.7);
        const QList<Ranked> fused = fuse(lexical, reversedSemantic(lexical), 50, natural, false, w);
        QCOMPARE(ids(fused), ids(lexical));
        for (int i = 0; i < lexical.size(); ++i)
            QCOMPARE(fused[i].score, lexical[i].score);
    }

    void weakListIsReordered()
    {
        HybridWeights w;
        w.semanticKeyword = 5.0;
        w.kSemantic = 1.0;
        const QList<Ranked> lexical = lexicalList(0.2);
        const QList<Ranked> fused = fuse(lexical, reversedSemantic(lexical), 50, false, false, w);
        QCOMPARE(fused.size(), lexical.size()); // keyword query: reordered, nothing added
        QCOMPARE(fused.constFirst().id, lexical.constLast().id);
        QList<qint64> sortedFused = ids(fused), sortedLexical = ids(lexical);
        std::sort(sortedFused.begin(), sortedFused.end());
        std::sort(sortedLexical.begin(), sortedLexical.end());
        QCOMPARE(sortedFused, sortedLexical); // every lexical hit stays
        for (int i = 1; i < fused.size(); ++i)
            QVERIFY(fused[i].score <= fused[i - 1].score);
        // With the default weights (0) the same weak list keeps its order.
        QCOMPARE(ids(fuse(lexical, reversedSemantic(lexical), 50, false, false, HybridWeights{})), ids(lexical));
    }

    void semanticOnlyHitsFillFreePlacesOfRequests()
    {
        const QList<Ranked> lexical = lexicalList(0.7);
        SemanticList s = reversedSemantic(lexical);
        s.hits.prepend(Ranked{7, QStringLiteral("new"), 0.8});  // strong: added after the lexical hits
        s.hits.append(Ranked{8, QStringLiteral("weak"), 0.1});  // below minSimilarity: not added
        const QList<Ranked> fused = fuse(lexical, s, 50, true, false, HybridWeights{});
        QCOMPARE(fused.size(), lexical.size() + 1);
        QCOMPARE(ids(fused.mid(0, lexical.size())), ids(lexical));
        QCOMPARE(fused.constLast().id, 7);
        QVERIFY(fused.constLast().score <= lexical.constLast().score);
        // No free place: nothing added.
        QCOMPARE(fuse(lexical, s, int(lexical.size()), true, false, HybridWeights{}).size(), lexical.size());
        // Keyword queries need every word: nothing added.
        QCOMPARE(fuse(lexical, s, 50, false, false, HybridWeights{}).size(), lexical.size());
    }
};

QTEST_GUILESS_MAIN(TestHybridGate)
#include "tst_hybridgate.moc"
