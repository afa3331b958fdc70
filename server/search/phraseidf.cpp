#include "phraseidf.h"

#include "database.h"

#include <QElapsedTimer>
#include <QHash>
#include <QLoggingCategory>
#include <QMutex>
#include <QSqlQuery>

#include <cmath>

Q_DECLARE_LOGGING_CATEGORY(lcSearch)

namespace emailrag::search {

namespace {

struct Count
{
    qint64 matches = 0;
    qint64 rows = 0;   // the index it was counted on
    qint64 tokens = 0;
};

} // namespace

std::optional<qint64> phraseCount(const QSqlDatabase &db, const QString &phrase, const DocLengthSnapshot &index)
{
    static QMutex mutex;
    static QHash<QString, Count> cache; // store + phrase -> count
    constexpr int kMaxEntries = 100000;

    // FTS5 folds ASCII case, so "Anna" and "anna" count the same (other scripts are kept apart:
    // a few extra counts, never a wrong one).
    bool ascii = true;
    for (QChar c : phrase)
        ascii = ascii && c.unicode() < 128;
    const QString key = index.store + QLatin1Char('\n') + (ascii ? phrase.toLower() : phrase);
    {
        QMutexLocker lock(&mutex);
        const auto it = cache.constFind(key);
        if (it != cache.cend() && it->rows == index.rows && it->tokens == index.tokens)
            return it->matches;
    }
    QElapsedTimer timer;
    timer.start();
    QSqlQuery count(db);
    count.setForwardOnly(true);
    if (!storage::Database::exec(count, QStringLiteral("SELECT COUNT(*) FROM emails_fts WHERE emails_fts MATCH ?"), {phrase})
        || !count.next())
        return std::nullopt;
    const qint64 matches = count.value(0).toLongLong();
    qCDebug(lcSearch).noquote() << "counted" << phrase << matches << "in" << timer.nsecsElapsed() / 1e6 << "ms";
    QMutexLocker lock(&mutex);
    if (cache.size() > kMaxEntries)
        cache.clear();
    cache.insert(key, Count{matches, index.rows, index.tokens});
    return matches;
}

std::optional<std::vector<double>> phraseIdf(const QSqlDatabase &db, const QStringList &phrases,
                                             const DocLengthSnapshot &index)
{
    std::vector<double> idf;
    idf.reserve(size_t(phrases.size()));
    for (const QString &phrase : phrases) {
        const std::optional<qint64> matches = phraseCount(db, phrase, index);
        if (!matches)
            return std::nullopt;
        const double n = double(*matches);
        const double value = std::log((double(index.rows) - n + 0.5) / (n + 0.5));
        idf.push_back(value <= 0.0 ? 1e-6 : value);
    }
    return idf;
}

} // namespace emailrag::search
