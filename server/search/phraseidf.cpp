#include "phraseidf.h"

#include "database.h"

#include <QHash>
#include <QMutex>
#include <QSqlQuery>

#include <cmath>

namespace emailrag::search {

namespace {

struct Count
{
    qint64 matches = 0;
    qint64 rows = 0;   // the index it was counted on
    qint64 tokens = 0;
};

} // namespace

std::optional<std::vector<double>> phraseIdf(const QSqlDatabase &db, const QStringList &phrases,
                                             const DocLengthSnapshot &index)
{
    static QMutex mutex;
    static QHash<QString, Count> cache; // store + phrase -> count
    constexpr int kMaxEntries = 100000;

    std::vector<double> idf;
    idf.reserve(size_t(phrases.size()));
    QSqlQuery count(db);
    bool prepared = false;
    for (const QString &phrase : phrases) {
        const QString key = index.store + QLatin1Char('\n') + phrase;
        std::optional<qint64> matches;
        {
            QMutexLocker lock(&mutex);
            const auto it = cache.constFind(key);
            if (it != cache.cend() && it->rows == index.rows && it->tokens == index.tokens)
                matches = it->matches;
        }
        if (!matches) {
            if (!prepared && !(prepared = count.prepare(QStringLiteral("SELECT COUNT(*) FROM emails_fts WHERE emails_fts MATCH ?"))))
                return std::nullopt;
            count.bindValue(0, phrase);
            if (!storage::Database::exec(count) || !count.next())
                return std::nullopt;
            matches = count.value(0).toLongLong();
            count.finish();
            QMutexLocker lock(&mutex);
            if (cache.size() > kMaxEntries)
                cache.clear();
            cache.insert(key, Count{*matches, index.rows, index.tokens});
        }
        const double n = double(*matches);
        const double value = std::log((double(index.rows) - n + 0.5) / (n + 0.5));
        idf.push_back(value <= 0.0 ? 1e-6 : value);
    }
    return idf;
}

} // namespace emailrag::search
