#include "feedback.h"

#include "database.h"
#include "nlwords.h"

#include <QHash>
#include <QRegularExpression>
#include <QSqlQuery>

#include <cmath>

namespace emailrag::search {

using storage::Database;

QStringList expansionTerms(QSqlDatabase &db, qint64 userId, const QList<qint64> &topIds,
                           const QSet<QString> &queryWords, int count)
{
    if (topIds.isEmpty())
        return {};
    QStringList marks;
    QVariantList values{userId};
    for (qint64 id : topIds) {
        marks << QStringLiteral("?");
        values << id;
    }
    QSqlQuery q(db);
    if (!Database::exec(q,
                        QStringLiteral("SELECT subject, substr(body_text, 1, 4000) FROM emails WHERE +user_id = ? AND id IN (%1)")
                            .arg(marks.join(QLatin1Char(','))),
                        values))
        return {};
    static const QRegularExpression word(QStringLiteral("[^\\W\\d_]{3,}"));
    QHash<QString, double> weight; // sum over feedback docs of the normalised term frequency
    int docs = 0;
    while (q.next()) {
        ++docs;
        QHash<QString, int> tf;
        int total = 0;
        const QString text = q.value(0).toString() + QLatin1Char(' ') + q.value(0).toString() + QLatin1Char(' ')
            + q.value(1).toString();
        auto it = word.globalMatch(text);
        while (it.hasNext()) {
            const QString w = it.next().captured(0).toLower();
            if (w.size() > 30 || isStopWord(w) || queryWords.contains(w))
                continue;
            ++tf[w];
            ++total;
        }
        for (auto t = tf.cbegin(); t != tf.cend(); ++t)
            weight[t.key()] += double(t.value()) / qMax(1, total);
    }
    if (weight.isEmpty())
        return {};
    // Keep the 60 most frequent candidates, then weigh them by rarity in the whole index.
    QList<QString> candidates = weight.keys();
    std::sort(candidates.begin(), candidates.end(), [&](const QString &a, const QString &b) { return weight[a] > weight[b]; });
    candidates = candidates.mid(0, 60);
    QSqlQuery n(db);
    if (!Database::exec(n, QStringLiteral("SELECT COUNT(*) FROM emails")) || !n.next())
        return {};
    const double total = qMax<double>(1, n.value(0).toDouble());
    QSqlQuery v(db);
    // One lookup per term: fts5vocab answers "term = ?" from the index, an IN list by a scan.
    if (!v.prepare(QStringLiteral("SELECT doc FROM emails_fts_vocab WHERE term = ?")))
        return {};
    QHash<QString, double> score;
    for (const QString &term : std::as_const(candidates)) {
        v.bindValue(0, term);
        if (!Database::exec(v))
            return {};
        const double df = v.next() ? v.value(0).toDouble() : 0;
        v.finish();
        // Words in only one email (names, typos) or in many of them carry no topic.
        if (df < 2 || df > total * 0.05)
            continue;
        score[term] = weight[term] * std::log(total / df);
    }
    QList<QString> terms = score.keys();
    std::sort(terms.begin(), terms.end(), [&](const QString &a, const QString &b) { return score[a] > score[b]; });
    return terms.mid(0, count);
}

} // namespace emailrag::search
