#include "phraseidf.h"

#include "sqlitestatement.h"

#include <QElapsedTimer>
#include <QHash>
#include <QLoggingCategory>
#include <QMutex>

#include <cmath>

Q_DECLARE_LOGGING_CATEGORY(lcSearch)

namespace emailrag::search {

namespace {

constexpr int kMaxEntries = 100000;

struct Count
{
    qint64 matches = 0;
    qint64 rows = 0;   // the index it was counted on
    qint64 tokens = 0;
};

QMutex cacheMutex;
QHash<QString, Count> cache; // store + phrase -> count

// FTS5 folds ASCII case, so "Anna" and "anna" count the same (other scripts are kept apart: a
// few extra counts, never a wrong one).
QString keyOf(const QString &phrase, const DocLengthSnapshot &index)
{
    bool ascii = true;
    for (QChar c : phrase)
        ascii = ascii && c.unicode() < 128;
    return index.store + QLatin1Char('\n') + (ascii ? phrase.toLower() : phrase);
}

// The emails `phrase` matches, counted on `db`; -1 on an error.
qint64 countOn(sqlite3 *db, const QString &phrase)
{
    QElapsedTimer timer;
    timer.start();
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM emails_fts WHERE emails_fts MATCH ?", -1, &stmt, nullptr) != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return -1;
    }
    const QByteArray text = phrase.toUtf8();
    sqlite3_bind_text(stmt, 1, text.constData(), int(text.size()), SQLITE_TRANSIENT);
    const qint64 n = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
    sqlite3_finalize(stmt);
    qCDebug(lcSearch).noquote() << "counted" << phrase << n << "in" << timer.nsecsElapsed() / 1e6 << "ms";
    return n;
}

} // namespace

std::optional<std::vector<qint64>> phraseCounts(const QSqlDatabase &db, const QStringList &phrases,
                                                const DocLengthSnapshot &index)
{
    std::vector<qint64> counts(size_t(phrases.size()), -1);
    QStringList keys;
    QHash<QString, int> firstOf; // key -> the first index that needs counting
    QList<int> missing;
    {
        QMutexLocker lock(&cacheMutex);
        for (int i = 0; i < phrases.size(); ++i) {
            keys << keyOf(phrases[i], index);
            const auto it = cache.constFind(keys[i]);
            if (it != cache.cend() && it->rows == index.rows && it->tokens == index.tokens)
                counts[size_t(i)] = it->matches;
            else if (!firstOf.contains(keys[i])) {
                firstOf.insert(keys[i], i);
                missing << i;
            }
        }
    }
    sqlite3 *handle = storage::sqliteHandle(db);
    if (!handle)
        return std::nullopt;
    // (Counting half of them on a second connection on the other core was tried: no faster on
    // two cores, 10-15 ms slower at p95 — the counts share the memory bandwidth and the page
    // mappings, and a connection costs its schema read.)
    for (int i : missing)
        counts[size_t(i)] = countOn(handle, phrases[i]);

    QMutexLocker lock(&cacheMutex);
    if (cache.size() > kMaxEntries)
        cache.clear();
    for (int i : missing) {
        if (counts[size_t(i)] < 0)
            return std::nullopt;
        cache.insert(keys[i], Count{counts[size_t(i)], index.rows, index.tokens});
    }
    for (int i = 0; i < phrases.size(); ++i) // repeats of a phrase counted above
        if (counts[size_t(i)] < 0)
            counts[size_t(i)] = counts[size_t(firstOf.value(keys[i]))];
    return counts;
}

std::optional<std::vector<double>> phraseIdf(const QSqlDatabase &db, const QStringList &phrases,
                                             const DocLengthSnapshot &index)
{
    const auto counts = phraseCounts(db, phrases, index);
    if (!counts)
        return std::nullopt;
    std::vector<double> idf;
    idf.reserve(counts->size());
    for (qint64 matches : *counts) {
        const double n = double(matches);
        const double value = std::log((double(index.rows) - n + 0.5) / (n + 0.5));
        idf.push_back(value <= 0.0 ? 1e-6 : value);
    }
    return idf;
}

} // namespace emailrag::search
