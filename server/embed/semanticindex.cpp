#include "semanticindex.h"

#include "builtinprovider.h"
#include "vectorstore.h"
#include "wordvectors.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutexLocker>
#include <QRegularExpression>

#include <algorithm>

namespace emailrag::embed {

namespace {
constexpr int kBuildThreads = 2; // the machine's cores are shared with searching; see docs/search.md
} // namespace

SemanticIndex::SemanticIndex(QString directory, std::shared_ptr<EmbeddingProvider> remote)
    : m_directory(std::move(directory))
    , m_remote(std::move(remote))
{
    m_loader.setMaxThreadCount(1);
}

SemanticIndex::~SemanticIndex()
{
    m_loader.waitForDone();
}

QString SemanticIndex::modelName() const
{
    return m_remote ? m_remote->model() : QString::fromLatin1(kBuiltinModel);
}

bool SemanticIndex::hasModel(QSqlDatabase &db, qint64 userId) const
{
    return VectorStore::modelVersion(db, userId, modelName()).has_value();
}

QString SemanticIndex::indexPath(qint64 userId) const
{
    if (m_directory.isEmpty())
        return {};
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._-]"));
    QString model = modelName();
    model.replace(unsafe, QStringLiteral("_"));
    return QDir(m_directory).filePath(QStringLiteral("u%1-%2.hnsw").arg(userId).arg(model));
}

std::shared_ptr<EmbeddingProvider> SemanticIndex::provider(QSqlDatabase &db, qint64 userId)
{
    if (m_remote)
        return m_remote;
    const auto version = VectorStore::modelVersion(db, userId, modelName());
    if (!version)
        return nullptr;
    {
        QReadLocker lock(&m_lock);
        const auto it = m_builtin.constFind(userId);
        if (it != m_builtin.cend() && it->generation == version->first)
            return it->provider;
    }
    const auto stored = VectorStore::model(db, userId, modelName());
    if (!stored)
        return nullptr;
    auto vectors = WordVectors::deserialize(stored->data);
    if (!vectors) {
        qCWarning(lcEmbed) << "built-in model of user" << userId << "is unreadable";
        return nullptr;
    }
    auto p = std::make_shared<BuiltinProvider>(std::move(*vectors));
    QWriteLocker lock(&m_lock);
    m_builtin.insert(userId, BuiltinEntry{stored->generation, p});
    return p;
}

std::optional<Vector> SemanticIndex::embedQuery(QSqlDatabase &db, qint64 userId, const QString &text)
{
    auto p = provider(db, userId);
    if (!p || text.trimmed().isEmpty())
        return std::nullopt;
    EmbedResult r = p->embed({text});
    if (auto *e = std::get_if<EmbedError>(&r)) {
        qCWarning(lcEmbed) << "query embedding failed:" << e->message;
        return std::nullopt;
    }
    Vector v = std::get<QList<Vector>>(r).value(0);
    if (v.empty() || !normalize(v))
        return std::nullopt;
    return v;
}

bool SemanticIndex::saveLocked(qint64 userId, const Entry &e) const
{
    const QString path = indexPath(userId);
    if (path.isEmpty() || !e.index)
        return false;
    QDir().mkpath(QFileInfo(path).absolutePath());
    if (!e.index->save(path))
        return false;
    QFile meta(path + QStringLiteral(".meta"));
    if (!meta.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    meta.write(QJsonDocument(QJsonObject{{QStringLiteral("generation"), e.generation},
                                         {QStringLiteral("version"), e.version},
                                         {QStringLiteral("dim"), e.index->dimension()}})
                   .toJson(QJsonDocument::Compact));
    return true;
}

bool SemanticIndex::refresh(QSqlDatabase &db, qint64 userId, bool save, bool mayDefer)
{
    const QString model = modelName();
    const auto version = VectorStore::modelVersion(db, userId, model);
    if (!version || version->second == 0)
        return false;
    {
        QReadLocker lock(&m_lock);
        const auto e = m_entries.value(userId);
        if (e && e->index && e->generation == version->first && e->version >= version->second && !save)
            return true;
    }
    QWriteLocker lock(&m_lock);
    std::shared_ptr<Entry> e = m_entries.value(userId);
    QElapsedTimer timer;
    timer.start();
    if (e && e->generation == version->first && e->version >= version->second) {
        if (save)
            saveLocked(userId, *e);
        return bool(e->index);
    }
    auto fresh = std::make_shared<Entry>();
    bool incremental = e && e->index && e->generation == version->first;
    if (incremental) {
        fresh = e;
        fresh->load.source = IndexLoadInfo::Source::Incremental;
    } else {
        // Try the file first.
        const QString path = indexPath(userId);
        QFile meta(path + QStringLiteral(".meta"));
        if (!path.isEmpty() && meta.open(QIODevice::ReadOnly)) {
            const QJsonObject m = QJsonDocument::fromJson(meta.readAll()).object();
            if (m.value(QStringLiteral("generation")).toString() == version->first
                && m.value(QStringLiteral("version")).toInteger() <= version->second) {
                const int dim = m.value(QStringLiteral("dim")).toInt();
                if (mayDefer && m_backgroundLoadBytes >= 0 && QFileInfo(path).size() > m_backgroundLoadBytes) {
                    // A big file: loaded on the loader thread; this query goes on without the index.
                    std::unique_ptr<VectorIndex> ready;
                    bool failed = false;
                    {
                        QMutexLocker pending(&m_pendingLock);
                        auto it = m_pending.find(userId);
                        if (it != m_pending.end() && it->second.done) {
                            ready = std::move(it->second.index);
                            failed = !ready;
                            m_pending.erase(it);
                        } else if (it == m_pending.end()) {
                            m_pending[userId] = Pending{};
                            m_loader.start([this, userId, path, dim] {
                                auto loaded = VectorIndex::load(path, dim);
                                QMutexLocker done(&m_pendingLock);
                                Pending &p = m_pending[userId];
                                p.index = std::move(loaded);
                                p.done = true;
                            });
                        }
                    }
                    if (!ready && !failed)
                        return false; // still loading
                    fresh->index = std::move(ready); // null when unreadable: rebuilt below

                } else {
                    fresh->index = VectorIndex::load(path, dim);
                }
                if (fresh->index) {
                    fresh->generation = version->first;
                    fresh->version = m.value(QStringLiteral("version")).toInteger();
                    fresh->load.source = IndexLoadInfo::Source::File;
                }
            }
        }
        if (!fresh->index) {
            fresh->generation = version->first;
            fresh->version = 0;
            fresh->load.source = IndexLoadInfo::Source::Rebuilt;
        }
    }
    // Top up with every vector newer than the index's snapshot (all of them for a rebuild).
    const bool rebuilt = fresh->load.source == IndexLoadInfo::Source::Rebuilt;
    qint64 added = 0;
    qint64 maxSeq = fresh->version;
    const qint64 expected = rebuilt ? VectorStore::vectorCount(db, userId, model) : 0;
    // A rebuild collects every vector first and inserts them on two threads (the build of
    // 1,000,000 vectors is minutes of CPU); top-ups add the few new ones one by one.
    std::vector<qint64> bulkIds;
    std::vector<float> bulk;
    const bool ok = VectorStore::forEachVector(db, userId, model, fresh->version, [&](const StoredVector &v) {
        maxSeq = std::max(maxSeq, v.seq);
        if (v.vec.empty())
            return;
        if (!fresh->index)
            fresh->index = std::make_unique<VectorIndex>(int(v.vec.size()), size_t(std::max<qint64>(expected, 1024)));
        if (int(v.vec.size()) != fresh->index->dimension())
            return;
        bool nonZero = false;
        for (float x : v.vec)
            nonZero = nonZero || x != 0.0f;
        if (!nonZero)
            return;
        if (rebuilt) {
            bulkIds.push_back(v.emailId);
            bulk.insert(bulk.end(), v.vec.begin(), v.vec.end());
        } else {
            fresh->index->add(v.emailId, v.vec);
        }
        ++added;
    });
    if (ok && rebuilt && fresh->index)
        fresh->index->addMany(bulkIds, bulk, kBuildThreads);
    if (!ok)
        return false;
    fresh->version = std::max(maxSeq, version->second);
    fresh->load.ms = timer.nsecsElapsed() / 1e6;
    fresh->load.vectors = fresh->index ? qint64(fresh->index->size()) : 0;
    m_entries.insert(userId, fresh);
    if (fresh->index && (rebuilt || save || (fresh->load.source == IndexLoadInfo::Source::File && added > 0 && save)))
        saveLocked(userId, *fresh);
    qCDebug(lcEmbed) << "index of user" << userId << "ready:" << fresh->load.vectors << "vectors in" << fresh->load.ms
                     << "ms, source" << int(fresh->load.source);
    return bool(fresh->index);
}

QList<Neighbour> SemanticIndex::nearest(QSqlDatabase &db, qint64 userId, const Vector &query, int k)
{
    if (!refresh(db, userId, false, true))
        return {};
    QReadLocker lock(&m_lock);
    const auto e = m_entries.value(userId);
    if (!e || !e->index)
        return {};
    return e->index->nearest(query, k);
}

QList<Neighbour> SemanticIndex::rank(QSqlDatabase &db, qint64 userId, const Vector &query, const QList<qint64> &ids)
{
    QList<Neighbour> out;
    const QHash<qint64, Vector> vecs = VectorStore::vectors(db, userId, modelName(), ids);
    out.reserve(vecs.size());
    for (auto it = vecs.cbegin(); it != vecs.cend(); ++it) {
        if (it->size() != query.size())
            continue;
        out << Neighbour{it.key(), dot(query.data(), it->data(), int(query.size()))};
    }
    std::sort(out.begin(), out.end(), [](const Neighbour &a, const Neighbour &b) {
        return a.similarity != b.similarity ? a.similarity > b.similarity : a.emailId > b.emailId;
    });
    return out;
}

void SemanticIndex::forget(qint64 userId)
{
    QWriteLocker lock(&m_lock);
    m_entries.remove(userId);
    m_builtin.remove(userId);
}

IndexLoadInfo SemanticIndex::lastLoad(qint64 userId) const
{
    QReadLocker lock(&m_lock);
    const auto e = m_entries.value(userId);
    return e ? e->load : IndexLoadInfo{};
}

} // namespace emailrag::embed
