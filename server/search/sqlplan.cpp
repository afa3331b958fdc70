#include "sqlplan.h"

#include "cjkquery.h"
#include "database.h"
#include "essentialterms.h"
#include "phraseidf.h"
#include "rankfunction.h"
#include "sqlitestatement.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QScopeGuard>
#include <QSqlQuery>

#include <limits>

Q_DECLARE_LOGGING_CATEGORY(lcSearch)

namespace emailrag::search {

namespace {

constexpr int kTopMin = 400;   // first-stage rows kept by the two-stage plan, at least
constexpr int kTopFactor = 8;  // ... and this many per wanted hit
// essentialterms.h: a filter must leave this many emails per kept row for the attempt to pay.
constexpr qint64 kEssentialMinAllowedPerKept = 20;

bool isFtsField(Field f) { return f != Field::Cc && f != Field::Filename; }

QString likePattern(const QString &text)
{
    QString s = text;
    s.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    s.replace(QLatin1Char('%'), QLatin1String("\\%"));
    s.replace(QLatin1Char('_'), QLatin1String("\\_"));
    return QLatin1Char('%') + s + QLatin1Char('%');
}

QString sqlFilterFor(const Atom &atom, QVariantList &values)
{
    values << likePattern(atom.text);
    if (atom.field == Field::Cc)
        return QStringLiteral("e.cc_addrs LIKE ? ESCAPE '\\'");
    return QStringLiteral("EXISTS (SELECT 1 FROM attachments a WHERE a.email_id = e.id AND a.filename LIKE ? ESCAPE '\\')");
}

QString joinOr(const QStringList &parts)
{
    if (parts.size() == 1)
        return parts.constFirst();
    return QLatin1Char('(') + parts.join(QLatin1String(" OR ")) + QLatin1Char(')');
}

} // namespace

QString ftsLiteral(const QString &text)
{
    // CJK characters spaced as the index holds them: "東京" becomes the phrase "東 京" (cjkquery.h).
    QString s = indexedText(text);
    s.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + s + QLatin1Char('"');
}

QStringList phrasesOf(const QString &match)
{
    QStringList out;
    const qsizetype n = match.size();
    for (qsizetype i = 0; i < n; ++i) {
        if (match[i] != QLatin1Char('"'))
            continue;
        // A column filter is written "name : " right before the literal.
        qsizetype start = i;
        if (i >= 3 && match.mid(i - 3, 3) == QLatin1String(" : ")) {
            qsizetype c = i - 3;
            while (c > 0 && match[c - 1].isLetter())
                --c;
            start = c;
        }
        qsizetype j = i + 1;
        for (; j < n; ++j) {
            if (match[j] == QLatin1Char('"')) {
                if (j + 1 < n && match[j + 1] == QLatin1Char('"'))
                    ++j; // a doubled quote inside the literal
                else
                    break;
            }
        }
        qsizetype end = j + 1;
        if (end < n && match[end] == QLatin1Char('*'))
            ++end;
        out << match.mid(start, end - start);
        i = end - 1;
    }
    return out;
}

QString atomExpression(const Atom &atom, bool withColumn)
{
    QString expr = ftsLiteral(atom.text);
    if (matchesAsPrefix(atom)) // word*, and a from:/to: name of three letters or more (cjkquery.h)
        expr += QLatin1Char('*');
    if (!withColumn)
        return expr;
    switch (atom.field) {
    case Field::Subject:
        return QStringLiteral("subject : ") + expr;
    case Field::From:
        return QStringLiteral("sender : ") + expr;
    case Field::To:
        return QStringLiteral("recipients : ") + expr;
    default:
        return expr;
    }
}

QString matchRequiring(const SqlPlan &plan, const QStringList &required)
{
    QStringList parts = plan.matchHead;
    if (!required.isEmpty())
        parts << joinOr(required);
    parts << joinOr(plan.anyTerms);
    const QString match = parts.join(QLatin1String(" AND "));
    return plan.negatives.isEmpty() ? match : QLatin1Char('(') + match + QStringLiteral(") NOT ") + plan.negatives;
}

SqlPlan buildPlan(const ParsedQuery &q, qint64 userId, Matching matching, qint64 newestDate, int limit,
                  const ColumnWeights &w, const QList<qint64> &onlyIds, const QSet<QString> &commonWords,
                  const QSet<QString> &negligibleWords)
{
    SqlPlan plan;
    QStringList andParts;   // FTS sub-expressions that must all match
    QStringList anyWords;   // FTS words of which any may match (AnyTerm modes)
    QStringList rareWords;  // the part of anyWords from clauses not made only of common words
    QStringList negligible; // words of anyWords' kind that change no score: only when alone
    QStringList filters;
    QVariantList filterValues;

    for (const Clause &c : q.must) {
        QStringList alternatives;
        bool plainOnly = true;
        bool allCommon = true;
        bool allNegligible = true;
        for (Atom a : c.anyOf) {
            if (!isFtsField(a.field)) {
                filters << sqlFilterFor(a, filterValues);
                continue;
            }
            if (matching == Matching::AnyTermLoose && a.fromRequest)
                a.field = Field::Any;
            if (a.field != Field::Any)
                plainOnly = false;
            allCommon = allCommon && !a.prefix && commonWords.contains(a.text.toLower());
            allNegligible = allNegligible && !a.prefix && negligibleWords.contains(a.text.toLower());
            alternatives << atomExpression(a);
            ++plan.positiveAtoms;
        }
        if (alternatives.isEmpty())
            continue;
        if (matching != Matching::AllTerms && plainOnly && allNegligible)
            negligible << alternatives;
        else if (matching != Matching::AllTerms && plainOnly) {
            anyWords << alternatives;
            if (!allCommon)
                rareWords << alternatives;
        } else
            andParts << joinOr(alternatives);
    }
    if (anyWords.isEmpty())
        anyWords = negligible;
    if (!rareWords.isEmpty() && rareWords.size() < anyWords.size()) {
        andParts << joinOr(rareWords);
        plan.positiveAtoms += int(rareWords.size()); // their phrases appear twice in bm25
        plan.narrowed = true;
    }
    if (!anyWords.isEmpty()) {
        plan.matchHead = andParts;
        plan.anyTerms = anyWords;
        andParts << joinOr(anyWords);
    }

    QStringList negatives;
    for (const Atom &a : q.mustNot) {
        if (isFtsField(a.field))
            negatives << atomExpression(a);
        else
            filters << QStringLiteral("NOT ") + sqlFilterFor(a, filterValues);
    }

    plan.matchParts = andParts;
    QString match = andParts.join(QLatin1String(" AND "));
    if (!negatives.isEmpty() && !match.isEmpty()) {
        plan.negatives = joinOr(negatives);
        match = QLatin1Char('(') + match + QStringLiteral(") NOT ") + plan.negatives;
    } else if (!negatives.isEmpty()) {
        filters << QStringLiteral("e.id NOT IN (SELECT rowid FROM emails_fts WHERE emails_fts MATCH ?)");
        filterValues << joinOr(negatives);
    }
    plan.match = match;

    if (q.after) {
        filters << QStringLiteral("e.date_utc >= ?");
        filterValues << q.after->toSecsSinceEpoch();
    }
    if (q.before) {
        filters << QStringLiteral("e.date_utc < ?");
        filterValues << q.before->toSecsSinceEpoch();
    }
    if (q.hasAttachment)
        filters << (*q.hasAttachment ? QStringLiteral("e.attachment_count > 0") : QStringLiteral("e.attachment_count = 0"));
    auto inList = [&](const QString &column, const auto &list) {
        QStringList marks;
        for (const auto &v : list) {
            marks << QStringLiteral("?");
            filterValues << v;
        }
        filters << QStringLiteral("%1 IN (%2)").arg(column, marks.join(QLatin1Char(',')));
    };
    if (!q.threadIds.isEmpty())
        inList(QStringLiteral("e.thread_id"), q.threadIds);
    if (!q.uploadIds.isEmpty())
        inList(QStringLiteral("e.upload_id"), q.uploadIds);
    if (!onlyIds.isEmpty())
        inList(QStringLiteral("e.id"), onlyIds);

    // A gentle recency prior in [0.9, 1.0]: 1.0 for the user's newest email, 0.95 a year older.
    const QString prior = QStringLiteral(
        "(0.9 + 0.1 / (1.0 + MAX(0, ? - COALESCE(e.date_utc, 0)) / 31536000.0))");
    // With an id list, "+" keeps SQLite off emails_user_date: "user_id = ? AND id IN (ids)" walked
    // every email of the user through that index (0.28 s at 1M for 10 ids) instead of seeking ids.
    QString where = onlyIds.isEmpty() ? QStringLiteral("e.user_id = ?") : QStringLiteral("+e.user_id = ?");
    for (const QString &f : filters)
        where += QStringLiteral(" AND ") + f;

    if (!match.isEmpty()) {
        // CROSS JOIN keeps the full-text index as the outer loop: left to itself, the planner
        // may walk every email of the user through emails_user_date and probe FTS5 per row
        // (measured: 43 s instead of 30 ms on 58,000 emails with a date filter).
        // emailrag_bm25 (rankfunction.h) with K = 0 scores every row as bm25 does; ?1 is its
        // context pointer (rankRows binds it), so the values start at ?2.
        const QString bm25 = QStringLiteral("emailrag_bm25(emails_fts, 0, ?1, %1, %2, %3, %4, %5, %6)")
                                 .arg(w.subject).arg(w.sender).arg(w.recipients).arg(w.body).arg(w.quoted)
                                 .arg(w.attachments);
        plan.sql = QStringLiteral("SELECT e.id, e.thread_id, %1 AS b, %2 AS prior "
                                  "FROM emails_fts CROSS JOIN emails e ON e.id = emails_fts.rowid "
                                  "WHERE emails_fts MATCH ? AND %3 ORDER BY b * prior, e.id DESC LIMIT ?")
                       .arg(bm25, prior, where);
        plan.values << newestDate << match << userId;
        // Filters an index answers (dates, thread:, upload:, ids) are read first as a set of ids
        // that the first stage ranks within; others alone (cc:, attachments) leave the first
        // stage without enough rows that pass, and the full query would run anyway.
        const bool indexedFilter = q.after || q.before || !q.threadIds.isEmpty() || !q.uploadIds.isEmpty()
            || !onlyIds.isEmpty();
        if (limit > 0 && (filters.isEmpty() || indexedFilter)) {
            // bm25 over a common word's rows is cheap inside FTS5; joining every one of them to
            // its (large) emails row is not: measured 3x the CPU. So rank in FTS5 first.
            plan.topK = qMax(kTopMin, kTopFactor * limit);
            // emailrag_bm25 = bm25 whose rows that cannot enter the best topK skip their length
            // lookup (rankfunction.h): the same topK rows, a fraction of the time on common words.
            const QString prunedBm25 = QStringLiteral("emailrag_bm25(emails_fts, %1, ?1, %2, %3, %4, %5, %6, %7)")
                                           .arg(plan.topK).arg(w.subject).arg(w.sender).arg(w.recipients)
                                           .arg(w.body).arg(w.quoted).arg(w.attachments);
            plan.topSql = QStringLiteral(
                              "WITH t AS MATERIALIZED (SELECT rowid AS rid, %1 AS b FROM emails_fts "
                              "WHERE emails_fts MATCH ? ORDER BY b LIMIT ?) "
                              "SELECT e.id, e.thread_id, t.b AS b, %2 AS prior, (SELECT COUNT(*) FROM t), "
                              "(SELECT MAX(b) FROM t) FROM t CROSS JOIN emails e ON e.id = t.rid "
                              "WHERE %3 ORDER BY b * prior, e.id DESC LIMIT ?")
                              .arg(prunedBm25, prior, where);
            plan.topValues << match << plan.topK << newestDate << userId << filterValues << limit;
            if (!filters.isEmpty()) {
                plan.allowedSql = QStringLiteral("SELECT e.id FROM emails e WHERE %1 LIMIT ?").arg(where);
                plan.allowedValues << userId << filterValues << SqlPlan::kMaxAllowed + 1;
            }
        }
    } else {
        plan.sql = QStringLiteral("SELECT e.id, e.thread_id, NULL AS b, %1 AS prior FROM emails e "
                                  "WHERE %2 ORDER BY e.date_utc DESC, e.id DESC LIMIT ?")
                       .arg(prior, where);
        plan.values << newestDate << userId;
    }
    plan.values << filterValues << (limit > 0 ? limit : -1);
    return plan;
}

namespace {

// Binds `values` to the statement's parameters from `index` on.
void bindValues(sqlite3_stmt *stmt, int index, const QVariantList &values)
{
    for (const QVariant &v : values) {
        switch (v.typeId()) {
        case QMetaType::Double:
            sqlite3_bind_double(stmt, index, v.toDouble());
            break;
        case QMetaType::QString: {
            const QByteArray text = v.toString().toUtf8();
            sqlite3_bind_text(stmt, index, text.constData(), int(text.size()), SQLITE_TRANSIENT);
            break;
        }
        default:
            if (v.isNull())
                sqlite3_bind_null(stmt, index);
            else
                sqlite3_bind_int64(stmt, index, v.toLongLong());
        }
        ++index;
    }
}

// A ranking statement through SQLite's C API: its ?1 is the rank function's context pointer
// (RankContext), which QSqlQuery cannot bind; `values` are bound from ?2 on. Reads id, thread,
// bm25 (NULL without FTS), prior and, when there are, the first stage's kept count and worst bm25.
std::optional<QList<RankRow>> readRanking(sqlite3 *db, const QString &sqlText, const QVariantList &values,
                                          const RankContext *context, qint64 *kept, double *worst = nullptr)
{
    sqlite3_stmt *stmt = nullptr;
    const QByteArray sql = sqlText.toUtf8();
    if (sqlite3_prepare_v2(db, sql.constData(), int(sql.size()), &stmt, nullptr) != SQLITE_OK) {
        qCWarning(lcSearch) << "ranking query:" << sqlite3_errmsg(db);
        sqlite3_finalize(stmt);
        return std::nullopt;
    }
    auto finalize = qScopeGuard([stmt] { sqlite3_finalize(stmt); });
    // A statement without a full-text match (a filter-only plan) has no context parameter: its
    // values start at ?1. SQLite names the parameters it saw.
    const bool hasContext = sqlite3_bind_parameter_name(stmt, 1) && qstrcmp(sqlite3_bind_parameter_name(stmt, 1), "?1") == 0;
    if (hasContext)
        sqlite3_bind_pointer(stmt, 1, const_cast<RankContext *>(context), RankContext::kPointerType, nullptr);
    bindValues(stmt, hasContext ? 2 : 1, values);
    const bool withKept = sqlite3_column_count(stmt) > 5;
    QList<RankRow> rows;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        RankRow r;
        r.id = sqlite3_column_int64(stmt, 0);
        r.thread = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 1)),
                                     sqlite3_column_bytes(stmt, 1));
        if (sqlite3_column_type(stmt, 2) != SQLITE_NULL)
            r.bm25 = sqlite3_column_double(stmt, 2);
        r.prior = sqlite3_column_double(stmt, 3);
        if (withKept && kept)
            *kept = sqlite3_column_int64(stmt, 4);
        if (withKept && worst)
            *worst = sqlite3_column_double(stmt, 5);
        rows << r;
    }
    if (rc != SQLITE_DONE) {
        qCWarning(lcSearch) << "ranking query:" << sqlite3_errmsg(db);
        return std::nullopt;
    }
    return rows;
}

// The ids of the plan's filters, or nullopt when there are more than SqlPlan::kMaxAllowed (or on
// an error: the one-stage query then runs and reports it).
// Read through the C API: a date range holds up to 250,000 ids, and QSqlQuery's cached QVariant
// per row cost about 1,000 instructions each (65,000 ids of a month at 1M emails: ~10 ms).
std::optional<IdSet> readAllowed(sqlite3 *db, const SqlPlan &plan)
{
    sqlite3_stmt *stmt = nullptr;
    const QByteArray sql = plan.allowedSql.toUtf8();
    if (sqlite3_prepare_v2(db, sql.constData(), int(sql.size()), &stmt, nullptr) != SQLITE_OK) {
        qCWarning(lcSearch) << "filter ids:" << sqlite3_errmsg(db);
        sqlite3_finalize(stmt);
        return std::nullopt;
    }
    auto finalize = qScopeGuard([stmt] { sqlite3_finalize(stmt); });
    bindValues(stmt, 1, plan.allowedValues);
    std::vector<qint64> ids;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        ids.push_back(sqlite3_column_int64(stmt, 0));
    if (rc != SQLITE_DONE) {
        qCWarning(lcSearch) << "filter ids:" << sqlite3_errmsg(db);
        return std::nullopt;
    }
    if (ids.size() > size_t(SqlPlan::kMaxAllowed))
        return std::nullopt;
    return IdSet(ids);
}

// At least as many emails as the plan's match holds, from the phrase counts (cached with the
// IDFs): every matching row holds a phrase of each ANDed part. -1 when a count is not known.
qint64 matchUpperBound(const QSqlDatabase &db, const SqlPlan &plan, const DocLengthSnapshot &lengths)
{
    qint64 bound = std::numeric_limits<qint64>::max();
    for (const QString &part : plan.matchParts) {
        const auto counts = phraseCounts(db, phrasesOf(part), lengths);
        if (!counts)
            return std::numeric_limits<qint64>::max();
        qint64 sum = 0;
        for (qint64 c : *counts)
            sum += c;
        bound = qMin(bound, sum);
    }
    return bound;
}

// The first stage on the rows holding an essential word (essentialterms.h), when the plan has
// words common enough to leave out and the answer is proven to be the plan's own: the first
// stage kept topK rows and its worst score reaches the bound of every row left out. Only where
// the plan's two-stage answer would be taken whatever its completeness (enough of the user's
// rows, or a fill-up pass). nullopt otherwise (then nothing was returned: run the plan).
std::optional<QList<RankRow>> rankEssential(const QSqlDatabase &db, const SqlPlan &plan, const RankContext &context,
                                            int wanted, bool fillUp, RankStats *stats)
{
    // EMAILRAG_ESSENTIAL_BOUND sets the largest bound of the left-out words (0 turns it off:
    // benchmark before/after with one binary).
    static const bool overridden = qEnvironmentVariableIsSet("EMAILRAG_ESSENTIAL_BOUND");
    static const double bound = qEnvironmentVariable("EMAILRAG_ESSENTIAL_BOUND").toDouble();
    const double maxBound = overridden ? bound : plan.essentialMaxBound;
    if (plan.anyTerms.size() < 2 || !context.idf || !context.lengths || maxBound <= 0)
        return std::nullopt;
    // A filter that leaves few emails (a week, a thread) rarely leaves topK of them holding a
    // rarer word: the proof would fail after its walk.
    if (context.allowed && context.allowed->size() < kEssentialMinAllowedPerKept * plan.topK)
        return std::nullopt;
    const auto counts = phraseCounts(db, plan.anyTerms, *context.lengths);
    if (!counts)
        return std::nullopt;
    const auto essential = essentialPlan(plan, *context.idf, *counts, maxBound, plan.essentialMinRowsLeftOut, plan.topK);
    if (!essential)
        return std::nullopt;
    QElapsedTimer timer;
    timer.start();
    RankContext narrowed = context;
    narrowed.idf = &essential->idf;
    narrowed.scored = narrowed.pruned = 0;
    QVariantList values = plan.topValues;
    values[0] = essential->match;
    qint64 kept = -1;
    double worst = 0;
    auto rows = readRanking(storage::sqliteHandle(db), plan.topSql, values, &narrowed, &kept, &worst);
    // Every row left out scores below `bound`; the K best rows kept all score at least -worst.
    const bool proven = rows && kept == plan.topK && -worst >= essential->bound;
    const bool taken = proven && ((wanted > 0 && rows->size() >= wanted) || (fillUp && !rows->isEmpty()));
    qCDebug(lcSearch).noquote() << "essential" << timer.nsecsElapsed() / 1e6 << "ms, match" << essential->match
                                << "kept" << kept << "worst" << -worst << "bound" << essential->bound << "left out"
                                << essential->rowsLeftOut << "scored" << narrowed.scored << "pruned" << narrowed.pruned
                                << (taken ? "taken" : "not taken");
    if (stats) {
        stats->essentialTried = true;
        stats->essentialTaken = taken;
        stats->scored += narrowed.scored;
        stats->pruned += narrowed.pruned;
    }
    if (!taken)
        return std::nullopt;
    return rows;
}

} // namespace

std::optional<QList<RankRow>> runPlan(const QSqlDatabase &db, const SqlPlan &plan)
{
    SqlPlan whole = plan;
    whole.topK = 0;
    return rankRows(db, whole, -1);
}

std::optional<QList<RankRow>> rankRows(const QSqlDatabase &db, const SqlPlan &plan, int wanted, bool fillUp,
                                       RankStats *stats)
{
    // EMAILRAG_SEARCH_ONE_STAGE=1 turns the two-stage form off (benchmark before/after).
    static const bool oneStage = qEnvironmentVariableIntValue("EMAILRAG_SEARCH_ONE_STAGE") == 1;
    sqlite3 *handle = storage::sqliteHandle(db);
    if (!handle || (!plan.match.isEmpty() && !ensureRankFunction(db)))
        return std::nullopt;

    // What the rank function is given: lengths from memory and the phrases' IDFs from the
    // per-store counts. (A narrowed match's rarer phrases appear twice and so count twice, as
    // with bm25(): scoring them once gained 0.003 MRR@10 on the known-item set at 58k and 1M but
    // lost 0.045 recall@10 on the paraphrased requests at 12k, so they still count twice.)
    std::shared_ptr<const DocLengthSnapshot> lengths;
    std::optional<std::vector<double>> idf;
    if (!plan.match.isEmpty()) {
        lengths = currentDocLengths(db);
        if (lengths)
            idf = phraseIdf(db, phrasesOf(plan.match), *lengths);
        if (idf && !plan.phraseWeights.isEmpty()) { // query expansion (expansion.h)
            const QStringList phrases = phrasesOf(plan.match);
            for (qsizetype i = 0; i < phrases.size() && i < qsizetype(idf->size()); ++i)
                (*idf)[size_t(i)] *= plan.phraseWeights.value(phrases[i], 1.0);
        }
    }
    RankContext context;
    context.lengths = lengths.get();
    context.idf = idf ? &*idf : nullptr;
    const auto account = qScopeGuard([&] {
        if (stats) {
            stats->scored += context.scored;
            stats->pruned += context.pruned;
        }
    });

    // A filtered plan whose match holds at most topK emails: the first stage would keep them all
    // (complete), so its answer is the one-stage query's — which reads no filter ids (a month at
    // 1M is 65,000 of them) and joins only those few matches to their emails.
    const bool fewMatches = plan.topK > 0 && !plan.allowedSql.isEmpty() && lengths
        && matchUpperBound(db, plan, *lengths) <= plan.topK;
    if (plan.topK > 0 && !oneStage && !fewMatches) {
        QElapsedTimer timer;
        timer.start();
        std::optional<IdSet> allowed;
        if (!plan.allowedSql.isEmpty())
            allowed = readAllowed(handle, plan);
        if (plan.allowedSql.isEmpty() || allowed) {
            context.allowed = allowed ? &*allowed : nullptr;
            // The rows holding a rarer word first (essentialterms.h): kept when they prove that
            // no other row could enter the topK best, otherwise the plan runs as written.
            if (auto rows = rankEssential(db, plan, context, wanted, fillUp, stats))
                return rows;
            if (allowed)
                allowed->matched = 0;
            qint64 kept = -1;
            auto rows = readRanking(handle, plan.topSql, plan.topValues, &context, &kept);
            qCDebug(lcSearch).noquote() << "two-stage" << timer.nsecsElapsed() / 1e6 << "ms, match" << plan.match
                                        << "kept" << kept << "allowed" << (allowed ? allowed->size() : -1)
                                        << "scored" << context.scored << "pruned" << context.pruned;
            if (!rows)
                return std::nullopt;
            // Complete: the first stage held every match (of the allowed ids, when there are).
            const bool complete = allowed ? allowed->matched <= plan.topK : kept >= 0 && kept < plan.topK;
            // Enough of the user's rows: the list is the best by bm25 × prior among the topK best
            // by bm25 (an email beyond them could only move up through its prior, at most 11 %: the
            // prior is a tie-breaker between near-equal scores). Measured on the 1M store:
            // requiring exactness there sent most common-word requests to the full query (3-4x).
            const bool enough = wanted > 0 && rows->size() >= wanted;
            if (complete || enough || (fillUp && !rows->isEmpty()))
                return rows;
            context.allowed = nullptr;
        }
    }
    QElapsedTimer timer;
    timer.start();
    auto rows = readRanking(handle, plan.sql, plan.values, &context, nullptr);
    qCDebug(lcSearch).noquote() << "one-stage" << timer.nsecsElapsed() / 1e6 << "ms, match" << plan.match;
    return rows;
}

} // namespace emailrag::search
