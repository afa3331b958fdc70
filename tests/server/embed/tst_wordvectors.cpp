// The built-in model: randomized eigen-decomposition, determinism, serialisation, and that words
// and texts of one topic end up closer to each other than to another topic's.
#include "builtinprovider.h"
#include "randomsvd.h"
#include "tokenizer.h"
#include "wordvectors.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace emailrag::embed;

namespace {

// Documents mixing words of one of three topics with shared filler words (fixed seed).
QStringList topicCorpus(int docs)
{
    const QList<QStringList> topics{
        {QStringLiteral("pipeline"), QStringLiteral("gas"), QStringLiteral("capacity"), QStringLiteral("transport"),
         QStringLiteral("compressor"), QStringLiteral("flow"), QStringLiteral("nomination"), QStringLiteral("meter")},
        {QStringLiteral("contract"), QStringLiteral("lawyer"), QStringLiteral("merger"), QStringLiteral("clause"),
         QStringLiteral("litigation"), QStringLiteral("counsel"), QStringLiteral("settlement"), QStringLiteral("court")},
        {QStringLiteral("package"), QStringLiteral("compile"), QStringLiteral("cran"), QStringLiteral("function"),
         QStringLiteral("vector"), QStringLiteral("matrix"), QStringLiteral("bug"), QStringLiteral("install")}};
    const QStringList filler{QStringLiteral("week"), QStringLiteral("team"), QStringLiteral("update"),
                             QStringLiteral("today"), QStringLiteral("morning"), QStringLiteral("note")};
    std::mt19937 gen(7);
    QStringList out;
    for (int d = 0; d < docs; ++d) {
        const QStringList &topic = topics[d % 3];
        QStringList words;
        for (int w = 0; w < 40; ++w) {
            if (gen() % 4 == 0)
                words << filler[gen() % filler.size()];
            else
                words << topic[gen() % topic.size()];
        }
        out << words.join(QLatin1Char(' '));
    }
    return out;
}

float cosine(const Vector &a, const Vector &b)
{
    return dot(a.data(), b.data(), int(a.size()));
}

} // namespace

class TestWordVectors : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void eigenOfAKnownMatrix()
    {
        // Block-diagonal symmetric matrix with eigenvalues 5 (vector (1,1)/√2 on rows 0-1), 3, 1, -1.
        SparseSymmetric m;
        m.n = 4;
        // [[3,2,0,0],[2,3,0,0],[0,0,1,2],[0,0,2,1]] -> eigenvalues 5, 1 and 3, -1
        m.rowStart = {0, 2, 4, 6, 8};
        m.col = {0, 1, 0, 1, 2, 3, 2, 3};
        m.value = {3, 2, 2, 3, 1, 2, 2, 1};
        const Decomposition d = randomizedEigen(m, 2, 2, 2, 1);
        QCOMPARE(d.rank, 2);
        QVERIFY2(std::abs(d.values[0] - 5) < 1e-6, qPrintable(QString::number(d.values[0])));
        QVERIFY2(std::abs(d.values[1] - 3) < 1e-6, qPrintable(QString::number(d.values[1])));
        // First eigenvector ±(1,1,0,0)/√2
        QVERIFY(std::abs(std::abs(d.vectors[0 * 2 + 0]) - M_SQRT1_2) < 1e-6);
        QVERIFY(std::abs(d.vectors[0 * 2 + 0] - d.vectors[1 * 2 + 0]) < 1e-6);
        QVERIFY(std::abs(d.vectors[2 * 2 + 0]) < 1e-6);
    }

    void tokenizerDropsFunctionWordsAndKeepsLines()
    {
        QStringList words;
        QList<int> lines;
        forEachWord(QStringLiteral("Subject: The Merger\nÉtude of 2001 x y-z pipeline"), [&](const QString &w, int line) {
            words << w;
            lines << line;
        });
        QCOMPARE(words, (QStringList{QStringLiteral("merger"), QStringLiteral("étude"), QStringLiteral("pipeline")}));
        QCOMPARE(lines, (QList<int>{0, 1, 1}));
    }

    // CJK runs give their overlapping pairs (a lone character itself), on the line they start,
    // and a CJK run ends a Latin word and the other way round; outside the BMP too.
    void tokenizerSplitsCjkRunsIntoPairs()
    {
        QStringList words;
        QList<int> lines;
        forEachWord(QStringLiteral("東京会議abc 人\n서울에서 meeting 𠮷野家"), [&](const QString &w, int line) {
            words << w;
            lines << line;
        });
        QCOMPARE(words, (QStringList{QStringLiteral("東京"), QStringLiteral("京会"), QStringLiteral("会議"),
                                     QStringLiteral("abc"), QStringLiteral("人"), QStringLiteral("서울"),
                                     QStringLiteral("울에"), QStringLiteral("에서"), QStringLiteral("meeting"),
                                     QStringLiteral("𠮷野"), QStringLiteral("野家")}));
        QCOMPARE(lines, (QList<int>{0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}));
    }

    void topicsCluster()
    {
        TrainOptions o;
        o.dimension = 8;
        const WordVectors wv = WordVectors::train(topicCorpus(300), o);
        QVERIFY(!wv.isEmpty());
        QCOMPARE(wv.dimension(), 8);
        const Vector gas = *wv.wordVector(QStringLiteral("gas"));
        const Vector pipeline = *wv.wordVector(QStringLiteral("pipeline"));
        const Vector lawyer = *wv.wordVector(QStringLiteral("lawyer"));
        const Vector court = *wv.wordVector(QStringLiteral("court"));
        const Vector cran = *wv.wordVector(QStringLiteral("cran"));
        QVERIFY2(cosine(gas, pipeline) > cosine(gas, lawyer) + 0.3,
                 qPrintable(QStringLiteral("%1 vs %2").arg(cosine(gas, pipeline)).arg(cosine(gas, lawyer))));
        QVERIFY(cosine(lawyer, court) > cosine(lawyer, cran) + 0.3);
        // Texts: a query about one topic is closest to a text of that topic, though no word is shared.
        const Vector query = wv.embed(QStringLiteral("compressor flow"));
        const Vector sameTopic = wv.embed(QStringLiteral("the meter nomination for transport"));
        const Vector otherTopic = wv.embed(QStringLiteral("the counsel and the settlement"));
        QVERIFY(cosine(query, sameTopic) > cosine(query, otherTopic) + 0.3);
        // Unknown words only: all zeros.
        const Vector none = wv.embed(QStringLiteral("zzyzx qwerty"));
        QVERIFY(std::all_of(none.begin(), none.end(), [](float x) { return x == 0.0f; }));
    }

    void deterministicAndSerialisable()
    {
        const QStringList docs = topicCorpus(150);
        const WordVectors a = WordVectors::train(docs);
        const WordVectors b = WordVectors::train(docs);
        QCOMPARE(a.serialize(), b.serialize());
        const auto c = WordVectors::deserialize(a.serialize());
        QVERIFY(c);
        QCOMPARE(c->vocabularySize(), a.vocabularySize());
        const QString text = QStringLiteral("contract clause for the merger");
        const Vector va = a.embed(text);
        const Vector vc = c->embed(text);
        QCOMPARE(va.size(), vc.size());
        for (size_t i = 0; i < va.size(); ++i)
            QCOMPARE(va[i], vc[i]);
        QVERIFY(std::abs(cosine(va, va) - 1.0f) < 1e-5);
        QVERIFY(!WordVectors::deserialize(QByteArray("garbage")));
    }

    void trainingCanBeCancelled()
    {
        std::atomic_bool cancel{true};
        TrainOptions o;
        o.cancel = &cancel;
        QVERIFY(WordVectors::train(topicCorpus(150), o).isEmpty());
        cancel = false;
        QVERIFY(!WordVectors::train(topicCorpus(150), o).isEmpty());
    }

    void builtinProvider()
    {
        BuiltinProvider empty{WordVectors{}};
        const EmbedResult r = empty.embed({QStringLiteral("x")});
        QVERIFY(std::holds_alternative<EmbedError>(r));
        QCOMPARE(std::get<EmbedError>(r).code, EmbedError::Code::NoModel);
        BuiltinProvider p{WordVectors::train(topicCorpus(150))};
        const EmbedResult ok = p.embed({QStringLiteral("gas pipeline"), QStringLiteral("cran package")});
        QVERIFY(std::holds_alternative<QList<Vector>>(ok));
        QCOMPARE(std::get<QList<Vector>>(ok).size(), 2);
        QCOMPARE(p.model(), QString::fromLatin1(kBuiltinModel));
    }

    void subjectLineCountsTwice()
    {
        const WordVectors wv = WordVectors::train(topicCorpus(300));
        // One gas word on the first line against one legal word below: the first line wins.
        const Vector mixed = wv.embed(QStringLiteral("pipeline\ncourt"));
        QVERIFY(cosine(mixed, wv.embed(QStringLiteral("pipeline"))) > cosine(mixed, wv.embed(QStringLiteral("court"))));
    }
};

QTEST_GUILESS_MAIN(TestWordVectors)
#include "tst_wordvectors.moc"
