// The embedding stage, the vector index and hybrid search over real mail (notmuch's test corpora,
// imported by the real importer): resumption after an interruption and after a provider failure,
// the index file (save, load, incremental top-up, rebuild when missing or corrupt), that mail of
// one thread is embedded closer together, and that hybrid ranking keeps every lexical hit and
// honours filters on its semantic side.
#include "corpora.h"
#include "embeddingstage.h"
#include "embedtestserver.h"
#include "importer.h"
#include "openaiembedder.h"
#include "searchengine.h"
#include "searcher.h"
#include "searchhits.h"
#include "semanticindex.h"
#include "uploads.h"
#include "vectorstore.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

using namespace emailrag;
using namespace emailrag::embed;

class TestEmbedStage : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    storage::DatabaseConfig m_config;
    QSqlDatabase m_db;
    qint64 m_user = 0;
    qint64 m_emails = 0;
    qint64 m_indexed = 0;

    QString vectorDir() const { return m_dir.filePath(QStringLiteral("vectors")); }
    QHash<qint64, qint64> seqs()
    {
        QHash<qint64, qint64> out;
        QSqlQuery q(m_db);
        q.exec(QStringLiteral("SELECT email_id, seq FROM email_vectors"));
        while (q.next())
            out.insert(q.value(0).toLongLong(), q.value(1).toLongLong());
        return out;
    }
    QList<search::SearchHit> run(search::Searcher &s, const QString &query, search::SearchRequest::Ranking ranking)
    {
        return test::searchHits(s, m_user, query, ranking);
    }

    // The fusion's own guarantees (lexical order kept with the default weights) are checked with
    // query expansion off: expansion may reorder a weak request's list (tst_expansion).
    static search::HybridWeights fusionOnly()
    {
        search::HybridWeights w;
        w.expansionSynonymWeight = 0;
        w.expansionMorphWeight = 0;
        w.expansionWeight = 0;
        w.softMatchWeight = 0;
        return w;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString corpus = test::unpackCorpus(QStringLiteral("notmuch-test-corpora.tar.zst"));
        if (corpus.isEmpty())
            QSKIP("notmuch test corpus not available");
        m_config = storage::DatabaseConfig::sqliteFile(m_dir.filePath(QStringLiteral("db.sqlite")));
        QVERIFY(!storage::Database::migrate(m_config, QStringLiteral("embed-migrate")));
        m_db = storage::Database::connection(m_config, QStringLiteral("embed-main"));
        m_user = ingest::ensureUser(m_db, QStringLiteral("reader")).value_or(0);
        QVERIFY(m_user > 0);
        const auto upload = ingest::createUpload(m_db, m_user, QStringLiteral("notmuch"), {corpus});
        QVERIFY(upload.has_value());
        ingest::Importer importer(m_config, m_user, *upload, {corpus});
        importer.start();
        QVERIFY(importer.wait(120000));
        m_emails = VectorStore::emailCount(m_db, m_user);
        QVERIFY(m_emails > 200);
    }

    void resumesAfterInterruption()
    {
        SemanticIndex index(vectorDir());
        EmbeddingStage first(m_db, index);
        first.setBatchSize(40);
        first.setMaxBatches(2);
        QList<qint64> progress;
        auto r1 = first.run(m_user, [&](qint64 done, qint64 total) {
            progress << done;
            QCOMPARE(total, m_emails);
        });
        QVERIFY(std::holds_alternative<StageResult>(r1));
        QVERIFY(std::get<StageResult>(r1).trained);
        QCOMPARE(std::get<StageResult>(r1).embedded, 80);
        QCOMPARE(progress, (QList<qint64>{40, 80}));
        QCOMPARE(VectorStore::vectorCount(m_db, m_user, index.modelName()), 80);
        // Newest first: every embedded email is at least as new as every one still missing.
        QSqlQuery q(m_db);
        QVERIFY(q.exec(QStringLiteral("SELECT (SELECT MIN(COALESCE(date_utc, 0)) FROM emails e JOIN email_vectors v ON v.email_id = e.id), "
                                      "(SELECT MAX(COALESCE(date_utc, 0)) FROM emails e WHERE NOT EXISTS "
                                      "(SELECT 1 FROM email_vectors v WHERE v.email_id = e.id))")));
        QVERIFY(q.next());
        QVERIFY2(q.value(0).toLongLong() >= q.value(1).toLongLong(),
                 qPrintable(QStringLiteral("%1 < %2").arg(q.value(0).toLongLong()).arg(q.value(1).toLongLong())));
        const QHash<qint64, qint64> before = seqs();
        {
            // Search works on a partly embedded store: every lexical hit is there, semantic-only
            // hits come only from the embedded (newest) emails.
            search::Searcher s(m_db);
            s.setSemanticIndex(&index);
            s.setHybridWeights(fusionOnly());
            const QString query = QStringLiteral("what was said about the xapian database tags");
            const auto lexical = run(s, query, search::SearchRequest::Ranking::Lexical);
            const auto hybrid = run(s, query, search::SearchRequest::Ranking::Hybrid);
            QVERIFY(!lexical.isEmpty());
            for (int i = 0; i < lexical.size(); ++i)
                QCOMPARE(hybrid.value(i).rowId, lexical[i].rowId);
            const QHash<qint64, qint64> embedded = seqs();
            for (int i = int(lexical.size()); i < hybrid.size(); ++i)
                QVERIFY(embedded.contains(hybrid[i].rowId));
        }

        EmbeddingStage second(m_db, index);
        auto r2 = second.run(m_user);
        QVERIFY(std::holds_alternative<StageResult>(r2));
        QVERIFY(!std::get<StageResult>(r2).trained); // same model: nothing re-embedded
        QCOMPARE(std::get<StageResult>(r2).embedded, m_emails - 80);
        QCOMPARE(VectorStore::vectorCount(m_db, m_user, index.modelName()), m_emails);
        const QHash<qint64, qint64> after = seqs();
        for (auto it = before.cbegin(); it != before.cend(); ++it)
            QCOMPARE(after.value(it.key()), it.value());
        // A third run has nothing to do.
        auto r3 = EmbeddingStage(m_db, index).run(m_user);
        QCOMPARE(std::get<StageResult>(r3).embedded, 0);
    }

    void threadMatesAreCloser()
    {
        QSqlQuery q(m_db);
        QVERIFY(q.exec(QStringLiteral("SELECT e.thread_id, v.vec FROM emails e JOIN email_vectors v ON v.email_id = e.id")));
        QList<std::pair<QString, Vector>> rows;
        while (q.next())
            rows.append({q.value(0).toString(), vectorFromBlob(q.value(1).toByteArray())});
        double same = 0, other = 0;
        int nSame = 0, nOther = 0;
        for (int i = 0; i < rows.size(); ++i) {
            for (int j = i + 1; j < rows.size(); ++j) {
                const float c = dot(rows[i].second.data(), rows[j].second.data(), int(rows[i].second.size()));
                if (rows[i].first == rows[j].first) {
                    same += c;
                    ++nSame;
                } else {
                    other += c;
                    ++nOther;
                }
            }
        }
        QVERIFY(nSame > 20);
        same /= nSame;
        other /= nOther;
        QVERIFY2(same > other + 0.15, qPrintable(QStringLiteral("same thread %1, other %2").arg(same).arg(other)));
    }

    void indexSaveLoadRebuild()
    {
        // All-zero vectors (no known word) are stored but not indexed.
        QSqlQuery z(m_db);
        QVERIFY(z.exec(QStringLiteral("SELECT vec FROM email_vectors")));
        while (z.next()) {
            const Vector v = vectorFromBlob(z.value(0).toByteArray());
            m_indexed += std::any_of(v.begin(), v.end(), [](float x) { return x != 0.0f; }) ? 1 : 0;
        }
        QVERIFY(m_indexed > m_emails - 10);
        SemanticIndex writer(vectorDir());
        QVERIFY(writer.refresh(m_db, m_user, true));
        const QString path = writer.indexPath(m_user);
        QVERIFY(QFile::exists(path));
        QVERIFY(QFile::exists(path + QStringLiteral(".meta")));

        // A fresh process: loads the file.
        SemanticIndex loaded(vectorDir());
        QVERIFY(loaded.refresh(m_db, m_user));
        QCOMPARE(loaded.lastLoad(m_user).source, IndexLoadInfo::Source::File);
        QCOMPARE(loaded.lastLoad(m_user).vectors, m_indexed);
        QVERIFY(loaded.lastLoad(m_user).ms < 1000);
        // Each email's own vector finds that email first.
        QSqlQuery q(m_db);
        QVERIFY(q.exec(QStringLiteral("SELECT email_id, vec FROM email_vectors ORDER BY email_id LIMIT 20")));
        int found = 0;
        while (q.next()) {
            const auto hits = loaded.nearest(m_db, m_user, vectorFromBlob(q.value(1).toByteArray()), 3);
            QVERIFY(!hits.isEmpty());
            found += hits.first().emailId == q.value(0).toLongLong() || hits.first().similarity > 0.9999f ? 1 : 0;
        }
        QCOMPARE(found, 20);

        // Vectors added since the file: topped up in memory.
        QVERIFY(q.exec(QStringLiteral("DELETE FROM email_vectors WHERE email_id IN (SELECT email_id FROM email_vectors ORDER BY email_id LIMIT 10)")));
        SemanticIndex other(vectorDir());
        QVERIFY(std::holds_alternative<StageResult>(EmbeddingStage(m_db, other).run(m_user)));
        QVERIFY(loaded.refresh(m_db, m_user));
        QCOMPARE(loaded.lastLoad(m_user).source, IndexLoadInfo::Source::Incremental);

        // Missing file: rebuilt from the database and saved again.
        QFile::remove(path);
        SemanticIndex rebuilt(vectorDir());
        QVERIFY(rebuilt.refresh(m_db, m_user));
        QCOMPARE(rebuilt.lastLoad(m_user).source, IndexLoadInfo::Source::Rebuilt);
        QCOMPARE(rebuilt.lastLoad(m_user).vectors, m_indexed);
        QVERIFY(QFile::exists(path));

        // Corrupt file with a matching meta: rebuilt, not crashed.
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write("not an index");
        }
        SemanticIndex afterCorruption(vectorDir());
        QVERIFY(afterCorruption.refresh(m_db, m_user));
        QCOMPARE(afterCorruption.lastLoad(m_user).source, IndexLoadInfo::Source::Rebuilt);
        QCOMPARE(afterCorruption.lastLoad(m_user).vectors, m_indexed);
    }

    void bigIndexLoadsInTheBackground()
    {
        // Every file counts as big here: the first query goes on without the index, a later one
        // finds it loaded from the file (never rebuilt), and explicit refreshes still load at once.
        SemanticIndex writer(vectorDir());
        QVERIFY(writer.refresh(m_db, m_user, true));
        QSqlQuery q(m_db);
        QVERIFY(q.exec(QStringLiteral("SELECT vec FROM email_vectors WHERE vec != zeroblob(length(vec)) LIMIT 1")));
        QVERIFY(q.next());
        const QByteArray blob = q.value(0).toByteArray();
        Vector v(size_t(blob.size()) / sizeof(float));
        std::memcpy(v.data(), blob.constData(), size_t(blob.size()));
        SemanticIndex index(vectorDir());
        index.setBackgroundLoadBytes(0);
        QVERIFY(index.nearest(m_db, m_user, v, 5).isEmpty()); // not waited for
        QList<Neighbour> hits;
        for (int i = 0; i < 500 && hits.isEmpty(); ++i) {
            QTest::qWait(10);
            hits = index.nearest(m_db, m_user, v, 5);
        }
        QCOMPARE(hits.size(), 5);
        QCOMPARE(index.lastLoad(m_user).source, IndexLoadInfo::Source::File);
        SemanticIndex direct(vectorDir());
        direct.setBackgroundLoadBytes(0);
        QVERIFY(direct.refresh(m_db, m_user)); // explicit: at once
        QCOMPARE(direct.lastLoad(m_user).source, IndexLoadInfo::Source::File);
    }

    void hybridKeepsLexicalHitsAndFilters_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("fromFilter");   // every hit's sender must contain this (empty: no check)
        QTest::addColumn<QString>("beforeFilter"); // every hit's date must be before this (empty: no check)
        QTest::newRow("keyword") << "notmuch emacs" << "" << "";
        QTest::newRow("keyword from") << "from:carl tags" << "carl" << "";
        QTest::newRow("request") << "what did people say about the notmuch emacs interface" << "" << "";
        QTest::newRow("request from") << "emails from Carl about tags" << "carl" << "";
        QTest::newRow("request before") << "messages about the kernel before 2010-01-01" << "" << "2010-01-01";
    }
    void hybridKeepsLexicalHitsAndFilters()
    {
        QFETCH(QString, query);
        QFETCH(QString, fromFilter);
        QFETCH(QString, beforeFilter);
        SemanticIndex index(vectorDir());
        search::Searcher s(m_db);
        s.setSemanticIndex(&index);
        s.setHybridWeights(fusionOnly());
        const auto lexical = run(s, query, search::SearchRequest::Ranking::Lexical);
        const auto hybrid = run(s, query, search::SearchRequest::Ranking::Hybrid);
        const auto semantic = run(s, query, search::SearchRequest::Ranking::Semantic);
        // The same with the semantic list weighted in (it then reorders lexical hits too).
        search::HybridWeights weighted = fusionOnly();
        weighted.semanticKeyword = 1.0;
        weighted.semanticNatural = 1.0;
        weighted.kLexical = 10;
        weighted.kSemantic = 1;
        s.setHybridWeights(weighted);
        const auto reordered = run(s, query, search::SearchRequest::Ranking::Hybrid);
        s.setHybridWeights(fusionOnly());
        QVERIFY2(!semantic.isEmpty(), qPrintable(query));
        for (const auto &list : {hybrid, reordered}) {
            QSet<qint64> hybridIds;
            for (const auto &h : list)
                hybridIds.insert(h.rowId);
            for (const auto &h : lexical)
                QVERIFY2(hybridIds.contains(h.rowId), qPrintable(QStringLiteral("%1 lost %2").arg(query, h.emailId)));
            QVERIFY(list.size() >= lexical.size());
            double last = 1.0;
            for (const auto &h : list) {
                QVERIFY(h.score >= 0 && h.score <= 1);
                QVERIFY(h.score <= last);
                last = h.score;
            }
        }
        // Default weights: the lexical order and scores are kept exactly; extra hits only follow.
        for (int i = 0; i < lexical.size(); ++i) {
            QCOMPARE(hybrid[i].rowId, lexical[i].rowId);
            QCOMPARE(hybrid[i].score, lexical[i].score);
        }
        for (const auto &list : {hybrid, reordered, semantic}) {
            for (const auto &h : list) {
                if (!fromFilter.isEmpty())
                    QVERIFY2(h.from.contains(fromFilter, Qt::CaseInsensitive), qPrintable(h.from));
                if (!beforeFilter.isEmpty())
                    QVERIFY2(h.date < beforeFilter, qPrintable(h.date));
            }
        }
    }

    void requestsGainSemanticHits()
    {
        // A request whose words are rare finds few emails by words; the semantic side adds related ones.
        SemanticIndex index(vectorDir());
        search::Searcher s(m_db);
        s.setSemanticIndex(&index);
        const QString query = QStringLiteral("what was said about the xapian database tags");
        const auto lexical = run(s, query, search::SearchRequest::Ranking::Lexical);
        const auto hybrid = run(s, query, search::SearchRequest::Ranking::Hybrid);
        QVERIFY(lexical.size() < 50);
        QVERIFY2(hybrid.size() > lexical.size(), qPrintable(QStringLiteral("%1 vs %2").arg(hybrid.size()).arg(lexical.size())));
        // Keyword queries need every word: the semantic side only reorders them.
        const auto kwLexical = run(s, QStringLiteral("xapian tags"), search::SearchRequest::Ranking::Lexical);
        const auto kwHybrid = run(s, QStringLiteral("xapian tags"), search::SearchRequest::Ranking::Hybrid);
        QCOMPARE(kwHybrid.size(), kwLexical.size());
    }

    void providerFailureLeavesResumableWork()
    {
        // A second user embedded by a remote provider that fails after its first batch.
        QTemporaryDir dir;
        const auto config = storage::DatabaseConfig::sqliteFile(dir.filePath(QStringLiteral("db.sqlite")));
        QVERIFY(!storage::Database::migrate(config, QStringLiteral("remote-migrate")));
        QSqlDatabase db = storage::Database::connection(config, QStringLiteral("remote-main"));
        const qint64 user = ingest::ensureUser(db, QStringLiteral("remote")).value_or(0);
        const QString corpus = test::unpackCorpus(QStringLiteral("notmuch-test-corpora.tar.zst"));
        const auto upload = ingest::createUpload(db, user, QStringLiteral("notmuch"), {corpus});
        ingest::Importer importer(config, user, *upload, {corpus});
        importer.start();
        QVERIFY(importer.wait(120000));
        const qint64 emails = VectorStore::emailCount(db, user);

        test::EmbedTestServer server;
        int calls = 0;
        bool failing = true;
        server.setHandler([&](const test::EmbedTestServer::Request &r) {
            if (++calls == 2 && failing)
                return test::EmbedTestServer::Reply{500, test::EmbedTestServer::errorBody(QStringLiteral("model crashed"))};
            QList<QList<double>> vecs;
            for (const QJsonValue &v : r.body.value(QStringLiteral("input")).toArray()) {
                const QByteArray h = QCryptographicHash::hash(v.toString().toUtf8(), QCryptographicHash::Sha256);
                QList<double> vec;
                for (int i = 0; i < 16; ++i)
                    vec << (quint8(h[i]) - 128) / 128.0;
                vecs << vec;
            }
            return test::EmbedTestServer::Reply{200, test::EmbedTestServer::embeddingsBody(vecs, QStringLiteral("hash-16"))};
        });
        OpenAiEmbedConfig c;
        c.baseUrl = server.baseUrl();
        c.model = QStringLiteral("hash-16");
        c.batchSize = 100;
        SemanticIndex index(dir.filePath(QStringLiteral("vectors")), std::make_shared<OpenAiEmbedder>(c));
        QCOMPARE(index.modelName(), QStringLiteral("openai:hash-16"));
        EmbeddingStage stage(db, index);
        stage.setBatchSize(100);
        auto r1 = stage.run(user);
        QVERIFY(std::holds_alternative<EmbedError>(r1));
        QCOMPARE(std::get<EmbedError>(r1).httpStatus, 500);
        QVERIFY(std::get<EmbedError>(r1).message.contains(QStringLiteral("model crashed")));
        QCOMPARE(VectorStore::vectorCount(db, user, index.modelName()), 100);
        failing = false;
        auto r2 = stage.run(user);
        QVERIFY(std::holds_alternative<StageResult>(r2));
        QCOMPARE(std::get<StageResult>(r2).embedded, emails - 100);
        QCOMPARE(VectorStore::vectorCount(db, user, index.modelName()), emails);
        // The query goes through the same provider; the stored vector of a text is found again.
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT email_id, vec FROM email_vectors LIMIT 1")) && q.next());
        const auto near = index.nearest(db, user, vectorFromBlob(q.value(1).toByteArray()), 1);
        QCOMPARE(near.value(0).emailId, q.value(0).toLongLong());
    }

    void engineReportsProgress()
    {
        // The engine runs the stage on its own thread and reports progress on the caller's.
        QSqlQuery q(m_db);
        QVERIFY(q.exec(QStringLiteral("DELETE FROM email_vectors WHERE email_id IN (SELECT email_id FROM email_vectors LIMIT 30)")));
        {
            // A cancelled run writes nothing and says so.
            SemanticIndex index(vectorDir());
            std::atomic_bool cancel{true};
            auto r = EmbeddingStage(m_db, index).run(m_user, {}, &cancel);
            QVERIFY(std::holds_alternative<EmbedError>(r));
            QCOMPARE(std::get<EmbedError>(r).code, EmbedError::Code::Cancelled);
            QCOMPARE(VectorStore::vectorCount(m_db, m_user, index.modelName()), m_emails - 30);
        }
        search::SearchEngine engine(m_config);
        QList<std::tuple<qint64, qint64, bool>> calls;
        engine.embed(m_user, this, [&](qint64 done, qint64 total, bool finished) { calls.append({done, total, finished}); });
        QTRY_VERIFY_WITH_TIMEOUT(!calls.isEmpty() && std::get<2>(calls.last()), 60000);
        QCOMPARE(std::get<0>(calls.last()), 30);
        QCOMPARE(std::get<1>(calls.last()), 30);
        QCOMPARE(VectorStore::vectorCount(m_db, m_user, QString::fromLatin1("builtin-ppmi-svd-v1")), m_emails);
    }
};

QTEST_GUILESS_MAIN(TestEmbedStage)
#include "tst_embedstage.moc"
