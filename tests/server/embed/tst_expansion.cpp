// Query expansion (server/search/expansion.h) over real mail: WordNet from the Debian package
// wordnet-base (base forms, synonyms), synonyms kept only when the user's own word vectors put
// them close, the gate (a strong lexical list, and any keyword query, is never expanded), that an
// expanded request finds an email holding only a synonym of its word, and that filters still apply.
#include "builtinprovider.h"
#include "corpora.h"
#include "embeddingstage.h"
#include "expansion.h"
#include "importer.h"
#include "queryparser.h"
#include "searcher.h"
#include "searchhits.h"
#include "semanticindex.h"
#include "uploads.h"
#include "vectorstore.h"
#include "wordnet.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace emailrag;
using namespace emailrag::embed;

class TestExpansion : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    storage::DatabaseConfig m_config;
    QSqlDatabase m_db;
    qint64 m_user = 0;
    std::unique_ptr<SemanticIndex> m_index;
    std::shared_ptr<const WordNet> m_wordnet;

    QList<search::SearchHit> run(search::Searcher &s, const QString &query, search::SearchRequest::Ranking ranking)
    {
        return test::searchHits(s, m_user, query, ranking);
    }
    std::shared_ptr<BuiltinProvider> provider()
    {
        return std::dynamic_pointer_cast<BuiltinProvider>(m_index->provider(m_db, m_user));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_wordnet = WordNet::shared(); // null without the package: the WordNet tests skip
        const QString corpus = test::unpackCorpus(QStringLiteral("notmuch-test-corpora.tar.zst"));
        if (corpus.isEmpty())
            QSKIP("notmuch test corpus not available");
        m_config = storage::DatabaseConfig::sqliteFile(m_dir.filePath(QStringLiteral("db.sqlite")));
        QVERIFY(!storage::Database::migrate(m_config, QStringLiteral("expansion-migrate")));
        m_db = storage::Database::connection(m_config, QStringLiteral("expansion-main"));
        m_user = ingest::ensureUser(m_db, QStringLiteral("reader")).value_or(0);
        const auto upload = ingest::createUpload(m_db, m_user, QStringLiteral("notmuch"), {corpus});
        QVERIFY(upload.has_value());
        ingest::Importer importer(m_config, m_user, *upload, {corpus});
        importer.start();
        QVERIFY(importer.wait(120000));
        m_index = std::make_unique<SemanticIndex>(m_dir.filePath(QStringLiteral("vectors")));
        auto r = EmbeddingStage(m_db, *m_index).run(m_user);
        QVERIFY(std::holds_alternative<StageResult>(r));
        QVERIFY(provider());
    }

    void wordnetFormsAndSynonyms()
    {
        if (!m_wordnet)
            QSKIP("WordNet (Debian package wordnet-base, scripts/setup.sh) is not installed");
        QVERIFY(m_wordnet->baseForms(QStringLiteral("joking")).contains(QStringLiteral("joke")));
        QVERIFY(m_wordnet->baseForms(QStringLiteral("mice")).contains(QStringLiteral("mouse"))); // exception list
        QVERIFY(m_wordnet->baseForms(QStringLiteral("xyzzyq")).isEmpty());
        QVERIFY(m_wordnet->synonyms(QStringLiteral("wager"), 2).contains(QStringLiteral("bet")));
        QVERIFY(!m_wordnet->synonyms(QStringLiteral("wager"), 2).contains(QStringLiteral("wager")));
        QVERIFY(m_wordnet->synonyms(QStringLiteral("xyzzyq"), 2).isEmpty());
        QVERIFY(!WordNet::load(m_dir.filePath(QStringLiteral("no-such-dir"))));
    }

    void synonymsNeedTheUsersVectors()
    {
        if (!m_wordnet)
            QSKIP("WordNet (Debian package wordnet-base, scripts/setup.sh) is not installed");
        // "sensible" has WordNet synonyms; of those the notmuch mail holds "reasonable", in
        // similar contexts (cosine 0.56 in this corpus's vectors).
        const auto p = provider();
        const auto &byBase = p->wordsByBase(*m_wordnet);
        const auto parsed = search::QueryParser().parse(QStringLiteral("anything sensible"));
        const auto &pq = std::get<search::ParsedQuery>(parsed);
        QCOMPARE(search::expandableWords(pq), QStringList{QStringLiteral("sensible")});
        search::HybridWeights hw = search::withSynonymExpansion();
        const auto terms = search::expansionTerms(p->vectors(), byBase, m_wordnet.get(), pq, hw);
        bool reasonable = false;
        for (const auto &t : terms) {
            reasonable = reasonable || t.word == QLatin1String("reasonable");
            QCOMPARE(t.source, QStringLiteral("sensible"));
            QVERIFY(t.weight > 0 && t.weight < 1);
            // Every term is close to its word in the user's space.
            QVERIFY2(p->vectors().cosine(t.source, t.word).value_or(-1) >= hw.expansionSynonymMinCosine, qPrintable(t.word));
        }
        QVERIFY(reasonable);
        // A stricter bar on the vectors drops it: the vectors decide, not WordNet alone.
        hw.expansionSynonymMinCosine = 0.9;
        for (const auto &t : search::expansionTerms(p->vectors(), byBase, m_wordnet.get(), pq, hw))
            QVERIFY(t.word != QLatin1String("reasonable"));
        // Off: nothing.
        hw.expansionSynonymWeight = 0;
        QVERIFY(search::expansionTerms(p->vectors(), byBase, m_wordnet.get(), pq, hw).isEmpty());
    }

    void gateAndKeywords()
    {
        // By default: no expansion terms (too little gain for their cost at 1M), the soft-match
        // rerank on (docs/performance.md).
        QCOMPARE(search::HybridWeights{}.expansionSynonymWeight, 0.0);
        QVERIFY(search::HybridWeights{}.softMatchWeight > 0);
        QVERIFY(search::expansionEnabled(search::HybridWeights{}));
        // Only a weak list of a request is expanded.
        search::HybridWeights hw = search::withSynonymExpansion();
        const QList<search::Ranked> strong{{1, QStringLiteral("t"), hw.expansionGate + 0.01}};
        const QList<search::Ranked> weak{{1, QStringLiteral("t"), hw.expansionGate - 0.01}};
        QVERIFY(search::expansionMayReorder(weak, true, hw));
        QVERIFY(search::expansionMayReorder({}, true, hw));
        QVERIFY(!search::expansionMayReorder(strong, true, hw));
        QVERIFY(!search::expansionMayReorder(weak, false, hw)); // keyword queries: never
        hw.expansionSynonymWeight = 0;
        hw.softMatchWeight = 0;
        QVERIFY(!search::expansionMayReorder(weak, true, hw));

        // Over the real store: "anything sensible" is weak (best lexical score about 0.29). No
        // semantic-only hits (minSimilarity above any cosine), so only expansion can change the list.
        search::Searcher s(m_db);
        s.setSemanticIndex(m_index.get());
        search::HybridWeights on = search::withSynonymExpansion();
        on.minSimilarity = 2;
        const QString request = QStringLiteral("anything sensible");
        const auto lexical = run(s, request, search::SearchRequest::Ranking::Lexical);
        QVERIFY(!lexical.isEmpty());
        QVERIFY2(lexical[0].score < on.expansionGate, qPrintable(QString::number(lexical[0].score)));
        // The gate below this list's best score: the list is "strong", nothing changes.
        search::HybridWeights closed = on;
        closed.expansionGate = lexical[0].score - 0.01;
        s.setHybridWeights(closed);
        const auto kept = run(s, request, search::SearchRequest::Ranking::Hybrid);
        QCOMPARE(kept.size(), lexical.size());
        for (int i = 0; i < lexical.size(); ++i) {
            QCOMPARE(kept[i].rowId, lexical[i].rowId);
            QCOMPARE(kept[i].score, lexical[i].score);
        }
        // A keyword query is never expanded.
        s.setHybridWeights(on);
        const auto kwLexical = run(s, QStringLiteral("sensible"), search::SearchRequest::Ranking::Lexical);
        const auto kwHybrid = run(s, QStringLiteral("sensible"), search::SearchRequest::Ranking::Hybrid);
        QCOMPARE(kwHybrid.size(), kwLexical.size());
        for (int i = 0; i < kwLexical.size(); ++i)
            QCOMPARE(kwHybrid[i].rowId, kwLexical[i].rowId);
    }

    void weakRequestFindsSynonym()
    {
        if (!m_wordnet)
            QSKIP("WordNet (Debian package wordnet-base, scripts/setup.sh) is not installed");
        search::Searcher s(m_db);
        s.setSemanticIndex(m_index.get());
        search::HybridWeights on = search::withSynonymExpansion();
        on.minSimilarity = 2; // no semantic-only hits: what is new comes from expansion
        s.setHybridWeights(on);
        const QString request = QStringLiteral("anything sensible");
        const auto lexical = run(s, request, search::SearchRequest::Ranking::Lexical);
        const auto expanded = run(s, request, search::SearchRequest::Ranking::Hybrid);
        QSet<qint64> lexicalIds;
        for (const auto &h : lexical)
            lexicalIds.insert(h.rowId);
        // Every lexical hit is still there; at least one email that says "reasonable" but not
        // "sensible" was added.
        QSet<qint64> expandedIds;
        for (const auto &h : expanded)
            expandedIds.insert(h.rowId);
        QVERIFY(expandedIds.contains(lexicalIds));
        QSqlQuery q(m_db);
        QVERIFY(q.exec(QStringLiteral("SELECT rowid FROM emails_fts WHERE emails_fts MATCH '\"reasonable\" NOT \"sensible\"'")));
        QSet<qint64> synonymOnly;
        while (q.next())
            synonymOnly.insert(q.value(0).toLongLong());
        QVERIFY(!synonymOnly.isEmpty());
        int added = 0;
        for (const auto &h : expanded)
            added += !lexicalIds.contains(h.rowId) && synonymOnly.contains(h.rowId) ? 1 : 0;
        QVERIFY2(added > 0, qPrintable(QStringLiteral("%1 lexical, %2 expanded").arg(lexical.size()).arg(expanded.size())));
        // Scores stay in 0..1 and never increase down the list.
        double last = 1.0;
        for (const auto &h : expanded) {
            QVERIFY(h.score >= 0 && h.score <= last);
            last = h.score;
        }
        // Turned off: hybrid is lexical again.
        search::HybridWeights off = on;
        off.expansionSynonymWeight = 0;
        s.setHybridWeights(off);
        const auto plain = run(s, request, search::SearchRequest::Ranking::Hybrid);
        QCOMPARE(plain.size(), lexical.size());
    }

    void softCoverage()
    {
        const auto p = provider();
        const WordVectors &v = p->vectors();
        const QStringList query{QStringLiteral("sensible")};
        QCOMPARE(v.softCoverage(query, QStringLiteral("a sensible idea"), 0.5f), 1.0);
        // "reasonable" is close to "sensible" in this mail (cosine 0.56): partly covered.
        const double close = v.softCoverage(query, QStringLiteral("that is reasonable"), 0.5f);
        QVERIFY2(close > 0.5 && close < 1.0, qPrintable(QString::number(close)));
        QCOMPARE(v.softCoverage(query, QStringLiteral("that is reasonable"), 0.9f), 0.0); // below the bar
        QCOMPARE(v.softCoverage(query, QString(), 0.5f), 0.0);
        QCOMPARE(v.softCoverage({QStringLiteral("xyzzyq")}, QStringLiteral("xyzzyq"), 0.5f), 0.0); // unknown word
        // Two words: holding one of them covers its share (idf-weighted), not all.
        const double half = v.softCoverage({QStringLiteral("sensible"), QStringLiteral("emacs")}, QStringLiteral("emacs"), 0.99f);
        QVERIFY2(half > 0.0 && half < 1.0, qPrintable(QString::number(half)));
    }

    void softMatchOnlyReordersTheTop()
    {
        // Default weights: a weak request's first softMatchDepth hits may change places, nothing
        // else: same emails, same scores (handed out in the new order), the rest as lexical.
        search::Searcher s(m_db);
        s.setSemanticIndex(m_index.get());
        search::HybridWeights w;
        w.minSimilarity = 2; // no semantic-only hits
        s.setHybridWeights(w);
        for (const QString &request : {QStringLiteral("was it sensible"), QStringLiteral("anything sensible"),
                                        QStringLiteral("which ideas were sensible")}) {
            const auto lexical = run(s, request, search::SearchRequest::Ranking::Lexical);
            const auto hybrid = run(s, request, search::SearchRequest::Ranking::Hybrid);
            QVERIFY(!lexical.isEmpty());
            QVERIFY(lexical[0].score < w.expansionGate); // weak: the rerank may run
            QCOMPARE(hybrid.size(), lexical.size());
            const int n = qMin(w.softMatchDepth, int(lexical.size()));
            QSet<qint64> top;
            for (int i = 0; i < n; ++i) {
                top.insert(lexical[i].rowId);
                QCOMPARE(hybrid[i].score, lexical[i].score);
            }
            for (int i = 0; i < n; ++i)
                QVERIFY(top.contains(hybrid[i].rowId));
            for (int i = n; i < lexical.size(); ++i)
                QCOMPARE(hybrid[i].rowId, lexical[i].rowId);
        }
        // And it does change something: this request's order is not the lexical one.
        const auto lexical = run(s, QStringLiteral("which ideas were sensible"), search::SearchRequest::Ranking::Lexical);
        const auto hybrid = run(s, QStringLiteral("which ideas were sensible"), search::SearchRequest::Ranking::Hybrid);
        bool moved = false;
        for (int i = 0; i < lexical.size(); ++i)
            moved = moved || hybrid[i].rowId != lexical[i].rowId;
        QVERIFY(moved);
    }

    void filtersStillApply()
    {
        search::Searcher s(m_db);
        s.setSemanticIndex(m_index.get());
        search::HybridWeights on = search::withSynonymExpansion();
        on.minSimilarity = 2;
        s.setHybridWeights(on);
        // Found only through synonyms (with WordNet), and a weak request reranked by soft match.
        const auto fromCarl = run(s, QStringLiteral("what was sensible from:carl"), search::SearchRequest::Ranking::Hybrid);
        QVERIFY(!m_wordnet || !fromCarl.isEmpty());
        const auto aboutTags = run(s, QStringLiteral("what was said about tags from:carl"), search::SearchRequest::Ranking::Hybrid);
        QVERIFY(!aboutTags.isEmpty());
        for (const auto &list : {fromCarl, aboutTags})
            for (const auto &h : list)
                QVERIFY2(h.from.contains(QLatin1String("carl"), Qt::CaseInsensitive), qPrintable(h.from));
        const auto before = run(s, QStringLiteral("anything reasonable or sensible before 2009-11-20"), search::SearchRequest::Ranking::Hybrid);
        for (const auto &h : before)
            QVERIFY2(h.date < QLatin1String("2009-11-20"), qPrintable(h.date));
        const auto excluded = run(s, QStringLiteral("anything sensible -reasonable"), search::SearchRequest::Ranking::Hybrid);
        QSqlQuery q(m_db);
        QVERIFY(q.exec(QStringLiteral("SELECT rowid FROM emails_fts WHERE emails_fts MATCH '\"reasonable\"'")));
        QSet<qint64> withReasonable;
        while (q.next())
            withReasonable.insert(q.value(0).toLongLong());
        QVERIFY(!m_wordnet || !excluded.isEmpty());
        for (const auto &h : excluded)
            QVERIFY(!withReasonable.contains(h.rowId));
    }
};

QTEST_GUILESS_MAIN(TestExpansion)
#include "tst_expansion.moc"
