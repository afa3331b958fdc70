#include "contextbuilder.h"

#include "database.h"
#include "textutil.h"

#include <QSet>
#include <QSqlQuery>

#include <algorithm>

namespace emailrag::chat {

using storage::Database;

namespace {

constexpr int kMaxDocChars = 2400; // one long email must not eat the whole budget

ContextDoc readDoc(const QSqlQuery &q)
{
    ContextDoc d;
    d.rowId = q.value(0).toLongLong();
    d.threadId = q.value(1).toString();
    d.messageId = q.value(2).toString();
    d.subject = q.value(3).toString();
    const QString name = q.value(4).toString();
    const QString addr = q.value(5).toString();
    d.from = name.isEmpty() ? addr : (addr.isEmpty() ? name : QStringLiteral("%1 <%2>").arg(name, addr));
    d.to = q.value(6).toString();
    if (!q.value(7).isNull())
        d.date = QDateTime::fromSecsSinceEpoch(q.value(7).toLongLong(), Qt::UTC);
    QString text = text::stripQuotedAndSignature(q.value(8).toString());
    if (text.trimmed().isEmpty())
        text = q.value(8).toString(); // an all-quote body: better something than nothing
    if (text.size() > kMaxDocChars) {
        int cut = text.lastIndexOf(QLatin1Char('.'), kMaxDocChars);
        if (cut < kMaxDocChars / 2)
            cut = text.lastIndexOf(QLatin1Char(' '), kMaxDocChars);
        text = text.left(cut > 0 ? cut + 1 : kMaxDocChars);
    }
    d.text = text;
    return d;
}

const QString kColumns = QStringLiteral(
    "id, thread_id, message_id, subject, from_name, from_addr, to_addrs, date_utc, body_text, in_reply_to");

} // namespace

QList<ContextDoc> ContextBuilder::build(QSqlDatabase &db, qint64 userId, const QList<RetrievalHit> &hits,
                                        const QList<qint64> &seeds, bool wantReplies) const
{
    QList<ContextDoc> docs;
    QSet<qint64> taken;
    int budget = m_config.contextTokens;
    auto tryAdd = [&](ContextDoc d) {
        if (taken.contains(d.rowId))
            return false;
        const int cost = text::estimateTokens(d.text) + text::estimateTokens(d.subject) + 20;
        if (cost > budget && !docs.isEmpty())
            return false;
        budget -= cost;
        taken.insert(d.rowId);
        docs << std::move(d);
        return true;
    };

    QSqlQuery q(db);
    q.setForwardOnly(true);
    const QString one = QStringLiteral("SELECT %1 FROM emails WHERE id = ? AND user_id = ?").arg(kColumns);

    // 1. Follow-up seeds: the continuation of the previous answer's threads, direct replies first.
    if (!seeds.isEmpty()) {
        QSet<QString> seedMessageIds;
        QSet<QString> seedThreads;
        qint64 earliest = std::numeric_limits<qint64>::max();
        for (qint64 id : seeds) {
            if (!Database::exec(q, QStringLiteral("SELECT message_id, thread_id, date_utc FROM emails WHERE id = ? AND user_id = ?"),
                                {id, userId}) || !q.next())
                continue;
            seedMessageIds.insert(q.value(0).toString());
            seedThreads.insert(q.value(1).toString());
            earliest = std::min(earliest, q.value(2).toLongLong());
        }
        QList<std::pair<double, ContextDoc>> followUps;
        for (const QString &thread : std::as_const(seedThreads)) {
            if (!Database::exec(q, QStringLiteral("SELECT %1 FROM emails WHERE user_id = ? AND thread_id = ? "
                                                  "ORDER BY date_utc LIMIT 50").arg(kColumns), {userId, thread}))
                continue;
            while (q.next()) {
                ContextDoc d = readDoc(q);
                const bool seed = seeds.contains(d.rowId);
                const bool directReply = seedMessageIds.contains(q.value(9).toString());
                const bool later = q.value(7).toLongLong() >= earliest;
                double rel = seed ? 0.7 : directReply ? 1.0 : later ? 0.8 : 0.5;
                if (!wantReplies && !seed)
                    rel -= 0.2;
                d.relevance = rel;
                d.fromThreadExpansion = !seed;
                d.answersFollowUp = wantReplies && directReply && !seed;
                followUps.append({rel, d});
            }
        }
        std::stable_sort(followUps.begin(), followUps.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
        int n = 0;
        for (auto &f : followUps) {
            if (n >= m_config.maxThreadExpansion + seeds.size())
                break;
            if (tryAdd(std::move(f.second)))
                ++n;
        }
    }

    // 2. Search hits, best first.
    // Retriever scores are already 0..1 (the search engine's are comparable across queries).
    QList<ContextDoc> hitDocs;
    for (const RetrievalHit &h : hits) {
        if (!Database::exec(q, one, {h.emailRowId, userId}) || !q.next())
            continue; // another user's id or a deleted email: never shown
        ContextDoc d = readDoc(q);
        d.relevance = std::clamp(h.score * (seeds.isEmpty() ? 1.0 : 0.9), 0.0, 1.0);
        if (tryAdd(d))
            hitDocs << d;
    }

    // 3. Thread expansion of the hits: the rest of each thread, closest in time first.
    for (const ContextDoc &hit : std::as_const(hitDocs)) {
        if (budget <= 50)
            break;
        if (!Database::exec(q, QStringLiteral("SELECT %1 FROM emails WHERE user_id = ? AND thread_id = ? AND id <> ? "
                                              "ORDER BY abs(coalesce(date_utc, 0) - ?) LIMIT ?").arg(kColumns),
                            {userId, hit.threadId, hit.rowId, hit.date.isValid() ? hit.date.toSecsSinceEpoch() : 0,
                             m_config.maxThreadExpansion}))
            continue;
        while (q.next()) {
            ContextDoc d = readDoc(q);
            d.relevance = hit.relevance * 0.5;
            d.fromThreadExpansion = true;
            tryAdd(d);
        }
    }

    std::stable_sort(docs.begin(), docs.end(), [](const ContextDoc &a, const ContextDoc &b) { return a.relevance > b.relevance; });
    for (int i = 0; i < docs.size(); ++i)
        docs[i].index = i + 1;
    return docs;
}

} // namespace emailrag::chat
