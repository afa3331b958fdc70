#include "conversationstore.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlQuery>

namespace emailrag::chat {

using storage::Database;

namespace {

// SQLite stores a null QString as NULL; the NOT NULL text columns want ''.
QString text(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

QString nowText()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

QDateTime fromText(const QString &s)
{
    QDateTime d = QDateTime::fromString(s, Qt::ISODateWithMs);
    d.setTimeSpec(Qt::UTC);
    return d;
}

QList<Source> loadSources(QSqlQuery &q, qint64 turnId)
{
    QList<Source> out;
    if (!Database::exec(q, QStringLiteral("SELECT number, email_id, relevance, subject, sender, date_utc, passage "
                                          "FROM chat_turn_sources WHERE turn_id = ? ORDER BY number"), {turnId}))
        return out;
    while (q.next()) {
        Source s;
        s.number = q.value(0).toInt();
        s.emailRowId = q.value(1).toLongLong();
        s.emailId = QStringLiteral("email_%1").arg(s.emailRowId);
        s.relevance = q.value(2).toDouble();
        s.subject = q.value(3).toString();
        s.from = q.value(4).toString();
        if (!q.value(5).isNull())
            s.date = QDateTime::fromSecsSinceEpoch(q.value(5).toLongLong(), Qt::UTC);
        s.passage = q.value(6).toString();
        out << s;
    }
    return out;
}

// Turns of one conversation; `onlyComplete` and `limit` (newest N) for the follow-up history.
QList<Turn> loadTurns(QSqlDatabase &db, qint64 convRowId, bool onlyComplete, int limit)
{
    QList<Turn> turns;
    QSqlQuery q(db);
    const QString sql = QStringLiteral("SELECT id, seq, request_id, question, answer, status, error_code, provider, created_at "
                                       "FROM chat_turns WHERE conversation_id = ? %1 ORDER BY seq DESC LIMIT ?")
                            .arg(onlyComplete ? QStringLiteral("AND status = 'complete'") : QString());
    if (!Database::exec(q, sql, {convRowId, limit < 0 ? std::numeric_limits<int>::max() : limit}))
        return turns;
    QList<std::pair<qint64, Turn>> rows;
    while (q.next()) {
        Turn t;
        t.seq = q.value(1).toInt();
        t.requestId = q.value(2).toString();
        t.question = q.value(3).toString();
        t.answer = q.value(4).toString();
        t.status = q.value(5).toString();
        t.errorCode = q.value(6).toString();
        t.provider = q.value(7).toString();
        t.createdAt = fromText(q.value(8).toString());
        rows.prepend({q.value(0).toLongLong(), t});
    }
    QSqlQuery sq(db);
    for (auto &[id, t] : rows) {
        t.sources = loadSources(sq, id);
        turns << t;
    }
    return turns;
}

std::optional<ConversationSummary> findSummary(QSqlDatabase &db, qint64 userId, const QString &publicId, qint64 *rowId)
{
    QSqlQuery q(db);
    if (!Database::exec(q, QStringLiteral("SELECT c.id, c.public_id, c.title, c.created_at, c.updated_at, "
                                          "(SELECT COUNT(*) FROM chat_turns t WHERE t.conversation_id = c.id) "
                                          "FROM chat_conversations c WHERE c.user_id = ? AND c.public_id = ?"),
                        {userId, publicId}) || !q.next())
        return std::nullopt;
    if (rowId)
        *rowId = q.value(0).toLongLong();
    return ConversationSummary{q.value(1).toString(), q.value(2).toString(), q.value(5).toInt(),
                               fromText(q.value(3).toString()), fromText(q.value(4).toString())};
}

} // namespace

bool ConversationStore::isValidId(const QString &id)
{
    static const QRegularExpression re(QStringLiteral(R"(^[A-Za-z0-9_-]{1,64}$)"));
    return re.match(id).hasMatch();
}

QString ConversationStore::newId()
{
    const quint64 v = QRandomGenerator::system()->generate64();
    return QStringLiteral("conv_%1").arg(v, 16, 16, QLatin1Char('0'));
}

QFuture<ConversationStore::Opened> ConversationStore::open(qint64 userId, const QString &publicId,
                                                           const QString &firstQuestion, int historyTurns)
{
    return m_worker.run([userId, publicId, firstQuestion, historyTurns](QSqlDatabase &db) {
        Opened r;
        if (!publicId.isEmpty() && !isValidId(publicId)) {
            r.error = ChatError::InvalidRequest;
            r.message = QObject::tr("conversation_id must be 1 to 64 letters, digits, '_' or '-'.");
            return r;
        }
        QSqlQuery q(db);
        qint64 rowId = 0;
        r.publicId = publicId.isEmpty() ? newId() : publicId;
        if (!publicId.isEmpty() && findSummary(db, userId, publicId, &rowId)) {
            r.rowId = rowId;
            r.history = loadTurns(db, rowId, true, historyTurns);
            if (Database::exec(q, QStringLiteral("SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_turns WHERE conversation_id = ?"),
                               {rowId}) && q.next())
                r.nextSeq = q.value(0).toInt();
            r.ok = true;
            return r;
        }
        QString title = firstQuestion.simplified();
        if (title.size() > 80)
            title = title.left(79) + QChar(0x2026);
        const QString now = nowText();
        if (!Database::exec(q, QStringLiteral("INSERT INTO chat_conversations(user_id, public_id, title, created_at, updated_at) "
                                              "VALUES (?, ?, ?, ?, ?)"),
                            {userId, r.publicId, text(title), now, now})) {
            r.error = ChatError::Internal;
            r.message = QObject::tr("Could not create the conversation.");
            return r;
        }
        r.rowId = q.lastInsertId().toLongLong();
        r.ok = true;
        return r;
    });
}

QFuture<bool> ConversationStore::saveTurn(qint64 conversationRowId, const Turn &turn, const QString &retrievalQuery)
{
    return m_worker.run([conversationRowId, turn, retrievalQuery](QSqlDatabase &db) {
        if (!db.transaction())
            return false;
        QSqlQuery q(db);
        const QString now = nowText();
        // The seq is taken inside the transaction: two runs in one conversation never collide.
        bool ok = Database::exec(q, QStringLiteral(
                      "INSERT INTO chat_turns(conversation_id, seq, request_id, question, answer, status, error_code, "
                      "provider, retrieval_query, created_at) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_turns "
                      "WHERE conversation_id = ?), ?, ?, ?, ?, ?, ?, ?, ?)"),
                                 {conversationRowId, conversationRowId, turn.requestId, text(turn.question), text(turn.answer),
                                  turn.status, turn.errorCode.isEmpty() ? QVariant() : QVariant(turn.errorCode),
                                  text(turn.provider), retrievalQuery, now});
        const qint64 turnId = q.lastInsertId().toLongLong();
        for (const Source &s : turn.sources) {
            if (!ok)
                break;
            ok = Database::exec(q, QStringLiteral("INSERT INTO chat_turn_sources(turn_id, number, email_id, relevance, subject, "
                                                  "sender, date_utc, passage) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                                {turnId, s.number, s.emailRowId, s.relevance, text(s.subject), text(s.from),
                                 s.date.isValid() ? QVariant(s.date.toSecsSinceEpoch()) : QVariant(), text(s.passage)});
        }
        ok = ok && Database::exec(q, QStringLiteral("UPDATE chat_conversations SET updated_at = ? WHERE id = ?"),
                                  {now, conversationRowId});
        if (!ok) {
            db.rollback();
            return false;
        }
        return db.commit();
    });
}

QFuture<QList<ConversationSummary>> ConversationStore::list(qint64 userId)
{
    return m_worker.run([userId](QSqlDatabase &db) {
        QList<ConversationSummary> out;
        QSqlQuery q(db);
        if (!Database::exec(q, QStringLiteral("SELECT c.public_id, c.title, c.created_at, c.updated_at, "
                                              "(SELECT COUNT(*) FROM chat_turns t WHERE t.conversation_id = c.id) "
                                              "FROM chat_conversations c WHERE c.user_id = ? ORDER BY c.updated_at DESC, c.id DESC"),
                            {userId}))
            return out;
        while (q.next())
            out << ConversationSummary{q.value(0).toString(), q.value(1).toString(), q.value(4).toInt(),
                                       fromText(q.value(2).toString()), fromText(q.value(3).toString())};
        return out;
    });
}

QFuture<std::optional<Conversation>> ConversationStore::get(qint64 userId, const QString &publicId)
{
    return m_worker.run([userId, publicId](QSqlDatabase &db) -> std::optional<Conversation> {
        qint64 rowId = 0;
        const auto summary = findSummary(db, userId, publicId, &rowId);
        if (!summary)
            return std::nullopt;
        return Conversation{*summary, loadTurns(db, rowId, false, -1)};
    });
}

QFuture<bool> ConversationStore::remove(qint64 userId, const QString &publicId)
{
    return m_worker.run([userId, publicId](QSqlDatabase &db) {
        QSqlQuery q(db);
        // Foreign keys cascade to turns and sources.
        if (!Database::exec(q, QStringLiteral("DELETE FROM chat_conversations WHERE user_id = ? AND public_id = ?"),
                            {userId, publicId}))
            return false;
        return q.numRowsAffected() > 0;
    });
}

} // namespace emailrag::chat
