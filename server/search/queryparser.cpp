#include "queryparser.h"

#include "nlwords.h"

#include <QRegularExpression>

namespace emailrag::search {

namespace {

// One lexical item of the query before it is combined into clauses.
struct Token
{
    enum class Kind { Word, Phrase, Operator, Or };
    Kind kind = Kind::Word;
    QString text;     // word or phrase text; for operators: the value
    QString op;       // operator name, lower case
    bool negated = false;
    bool prefix = false;
    bool valueQuoted = false;
    int pos = 0;      // where the token starts in the query
    int valuePos = 0; // where an operator's value starts
};

SearchError error(int pos, const QString &message)
{
    SearchError e;
    e.code = SearchError::Code::InvalidQuery;
    e.position = pos;
    e.message = QStringLiteral("%1 (at character %2)").arg(message).arg(pos + 1);
    return e;
}

bool hasWordChar(const QString &s)
{
    for (QChar c : s) {
        if (c.isLetterOrNumber())
            return true;
    }
    return false;
}

const QStringList &knownOperators()
{
    static const QStringList ops = {
        QStringLiteral("from"),   QStringLiteral("to"),     QStringLiteral("cc"),       QStringLiteral("subject"),
        QStringLiteral("has"),    QStringLiteral("filename"), QStringLiteral("file"),   QStringLiteral("before"),
        QStringLiteral("after"),  QStringLiteral("date"),   QStringLiteral("since"),    QStringLiteral("until"),
        QStringLiteral("thread"), QStringLiteral("upload"),
    };
    return ops;
}

// Reads a quoted string starting at query[i] == '"'. Returns the end index (after the closing
// quote) or -1 when the quote is not closed.
int readQuoted(const QString &q, int i, QString *out)
{
    const int start = i + 1;
    const int close = q.indexOf(QLatin1Char('"'), start);
    if (close < 0)
        return -1;
    *out = q.mid(start, close - start);
    return close + 1;
}

bool isSpace(QChar c) { return c.isSpace(); }

std::variant<QList<Token>, SearchError> tokenize(const QString &q)
{
    QList<Token> tokens;
    int i = 0;
    const int n = q.size();
    while (i < n) {
        if (isSpace(q[i]) || q[i] == QLatin1Char('(') || q[i] == QLatin1Char(')')) {
            ++i;
            continue;
        }
        Token t;
        t.pos = i;
        if (q[i] == QLatin1Char('-') && i + 1 < n && !isSpace(q[i + 1]) && q[i + 1] != QLatin1Char('-')) {
            t.negated = true;
            ++i;
        }
        if (q[i] == QLatin1Char('"')) {
            QString text;
            const int end = readQuoted(q, i, &text);
            if (end < 0)
                return error(i, QStringLiteral("Unterminated quote: add the closing \""));
            i = end;
            t.kind = Token::Kind::Phrase;
            t.text = text.simplified();
            if (i < n && q[i] == QLatin1Char('*')) {
                t.prefix = true;
                ++i;
            }
            tokens << t;
            continue;
        }
        int j = i;
        while (j < n && !isSpace(q[j]) && q[j] != QLatin1Char('"') && q[j] != QLatin1Char('(') && q[j] != QLatin1Char(')'))
            ++j;
        QString word = q.mid(i, j - i);
        const int colon = word.indexOf(QLatin1Char(':'));
        if (colon > 0 && knownOperators().contains(word.left(colon).toLower())) {
            t.kind = Token::Kind::Operator;
            t.op = word.left(colon).toLower();
            t.valuePos = i + colon + 1;
            QString value = word.mid(colon + 1);
            if (value.isEmpty() && j < n && q[j] == QLatin1Char('"')) {
                const int end = readQuoted(q, j, &value);
                if (end < 0)
                    return error(j, QStringLiteral("Unterminated quote: add the closing \""));
                t.valueQuoted = true;
                t.valuePos = j + 1;
                j = end;
                value = value.simplified();
            }
            if (value.isEmpty())
                return error(t.pos, QStringLiteral("%1: needs a value, e.g. %1:something").arg(t.op));
            if (!t.valueQuoted && value.endsWith(QLatin1Char('*')) && value.size() > 1) {
                t.prefix = true;
                value.chop(1);
            }
            t.text = value;
            tokens << t;
            i = j;
            continue;
        }
        i = j;
        if (!t.negated && word == QLatin1String("OR")) {
            t.kind = Token::Kind::Or;
            tokens << t;
            continue;
        }
        if (!t.negated && word == QLatin1String("AND"))
            continue; // AND is implicit
        if (word == QLatin1String("-"))
            continue; // a lone dash is punctuation
        t.kind = Token::Kind::Word;
        if (word.endsWith(QLatin1Char('*')) && word.size() > 1) {
            t.prefix = true;
            word.chop(1);
        }
        t.text = word;
        tokens << t;
    }
    return tokens;
}

Field fieldFor(const QString &op)
{
    if (op == QLatin1String("from"))
        return Field::From;
    if (op == QLatin1String("to"))
        return Field::To;
    if (op == QLatin1String("cc"))
        return Field::Cc;
    if (op == QLatin1String("subject"))
        return Field::Subject;
    if (op == QLatin1String("filename") || op == QLatin1String("file"))
        return Field::Filename;
    return Field::Any;
}

bool isTextOperator(const QString &op) { return fieldFor(op) != Field::Any; }

QList<NlInputWord> tokensToWords(const QList<Token> &tokens)
{
    QList<NlInputWord> words;
    for (const Token &t : tokens) {
        if (t.kind == Token::Kind::Word)
            words << NlInputWord{t.text, t.negated};
    }
    return words;
}

void narrow(ParsedQuery &p, const std::optional<QDateTime> &after, const std::optional<QDateTime> &before)
{
    if (after && (!p.after || *after > *p.after))
        p.after = after;
    if (before && (!p.before || *before < *p.before))
        p.before = before;
}

} // namespace

bool ParsedQuery::hasTextAtoms() const
{
    for (const Clause &c : must) {
        for (const Atom &a : c.anyOf) {
            if (a.field != Field::Cc && a.field != Field::Filename)
                return true;
        }
    }
    return false;
}

bool ParsedQuery::isEmpty() const
{
    return must.isEmpty() && mustNot.isEmpty() && !after && !before && !hasAttachment && threadIds.isEmpty()
        && uploadIds.isEmpty();
}

QueryParser::QueryParser(QDateTime now)
    : m_now(now.isValid() ? now.toUTC() : QDateTime::currentDateTimeUtc())
{
}

std::optional<std::pair<QDateTime, QDateTime>> QueryParser::resolveDate(const QString &valueIn) const
{
    const QString value = valueIn.trimmed().toLower().replace(QLatin1Char('_'), QLatin1Char(' '))
                              .replace(QLatin1Char('-'), QLatin1Char(' '));
    const QDate today = m_now.date();
    auto day = [&](QDate d) { return QDateTime(d, QTime(0, 0), Qt::UTC); };

    static const QRegularExpression isoDay(QStringLiteral("^(\\d{4})[-/](\\d{1,2})[-/](\\d{1,2})$"));
    static const QRegularExpression isoMonth(QStringLiteral("^(\\d{4})[-/](\\d{1,2})$"));
    static const QRegularExpression year(QStringLiteral("^(\\d{4})$"));
    static const QRegularExpression rel(QStringLiteral("^(\\d{1,4})\\s*([dwmy])$"));
    const QString raw = valueIn.trimmed();
    if (auto m = isoDay.match(raw); m.hasMatch()) {
        const QDate d(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
        if (!d.isValid())
            return std::nullopt;
        return std::pair{day(d), day(d.addDays(1))};
    }
    if (auto m = isoMonth.match(raw); m.hasMatch()) {
        const QDate d(m.captured(1).toInt(), m.captured(2).toInt(), 1);
        if (!d.isValid())
            return std::nullopt;
        return std::pair{day(d), day(d.addMonths(1))};
    }
    if (auto m = year.match(raw); m.hasMatch()) {
        const QDate d(m.captured(1).toInt(), 1, 1);
        return std::pair{day(d), day(d.addYears(1))};
    }
    if (auto m = rel.match(value); m.hasMatch()) {
        const int n = m.captured(1).toInt();
        const QChar unit = m.captured(2).at(0);
        QDateTime start = m_now;
        if (unit == QLatin1Char('d'))
            start = m_now.addDays(-n);
        else if (unit == QLatin1Char('w'))
            start = m_now.addDays(-7 * n);
        else if (unit == QLatin1Char('m'))
            start = m_now.addMonths(-n);
        else
            start = m_now.addYears(-n);
        return std::pair{start, m_now.addSecs(1)};
    }
    const QString v = value.simplified();
    if (v == QLatin1String("today"))
        return std::pair{day(today), day(today.addDays(1))};
    if (v == QLatin1String("yesterday"))
        return std::pair{day(today.addDays(-1)), day(today)};
    const QDate monday = today.addDays(1 - today.dayOfWeek());
    const QDate firstOfMonth(today.year(), today.month(), 1);
    const QDate firstOfYear(today.year(), 1, 1);
    if (v == QLatin1String("this week"))
        return std::pair{day(monday), day(monday.addDays(7))};
    if (v == QLatin1String("last week") || v == QLatin1String("lastweek") || v == QLatin1String("previous week"))
        return std::pair{day(monday.addDays(-7)), day(monday)};
    if (v == QLatin1String("this month"))
        return std::pair{day(firstOfMonth), day(firstOfMonth.addMonths(1))};
    if (v == QLatin1String("last month") || v == QLatin1String("lastmonth") || v == QLatin1String("previous month"))
        return std::pair{day(firstOfMonth.addMonths(-1)), day(firstOfMonth)};
    if (v == QLatin1String("this year"))
        return std::pair{day(firstOfYear), day(firstOfYear.addYears(1))};
    if (v == QLatin1String("last year") || v == QLatin1String("lastyear"))
        return std::pair{day(firstOfYear.addYears(-1)), day(firstOfYear)};
    if (v == QLatin1String("past week"))
        return std::pair{m_now.addDays(-7), m_now.addSecs(1)};
    if (v == QLatin1String("past month"))
        return std::pair{m_now.addMonths(-1), m_now.addSecs(1)};
    if (v == QLatin1String("past year"))
        return std::pair{m_now.addYears(-1), m_now.addSecs(1)};
    return std::nullopt;
}

std::variant<ParsedQuery, SearchError> QueryParser::parse(const QString &query) const
{
    auto tokenized = tokenize(query);
    if (auto *e = std::get_if<SearchError>(&tokenized))
        return *e;
    QList<Token> tokens = std::get<QList<Token>>(tokenized);

    ParsedQuery p;
    // Natural-language requests: only the plain words are looked at; operators and quoted
    // phrases are always taken literally.
    NlResult nl = interpretNaturalLanguage(tokensToWords(tokens), *this);
    p.naturalLanguage = nl.isRequest;
    if (nl.isRequest) {
        p.droppedWords = nl.dropped;
        narrow(p, nl.after, nl.before);
        if (nl.hasAttachment)
            p.hasAttachment = true;
    }

    bool pendingOr = false;
    int orPos = -1;
    int wordIndex = -1;
    for (int t = 0; t < tokens.size(); ++t) {
        const Token &tok = tokens[t];
        if (tok.kind == Token::Kind::Or) {
            if (pendingOr || p.must.isEmpty())
                return error(tok.pos, QStringLiteral("OR needs a term on each side"));
            const Token *prev = &tokens[t - 1];
            if (prev->negated || (prev->kind == Token::Kind::Operator && !isTextOperator(prev->op)))
                return error(tok.pos, QStringLiteral("OR can only join words, phrases and from:/to:/subject: terms"));
            pendingOr = true;
            orPos = tok.pos;
            continue;
        }
        if (tok.kind == Token::Kind::Word)
            ++wordIndex;
        Atom atom;
        atom.prefix = tok.prefix;
        if (tok.kind == Token::Kind::Word) {
            if (nl.isRequest) {
                const NlWord &w = nl.words[wordIndex];
                if (w.role != NlWord::Role::Term) {
                    if (pendingOr)
                        return error(orPos, QStringLiteral("OR needs a term on each side"));
                    continue;
                }
                atom.text = w.text;
                atom.field = w.field;
                atom.phrase = w.text.contains(QLatin1Char(' '));
                atom.fromRequest = w.field != Field::Any;
            } else {
                atom.text = tok.text;
            }
            if (!hasWordChar(atom.text))
                continue;
        } else if (tok.kind == Token::Kind::Phrase) {
            atom.text = tok.text;
            atom.phrase = true;
            if (!hasWordChar(atom.text))
                continue;
        } else { // operator
            const QString &op = tok.op;
            if (op == QLatin1String("has")) {
                const QString v = tok.text.toLower();
                if (v != QLatin1String("attachment") && v != QLatin1String("attachments") && v != QLatin1String("attach"))
                    return error(tok.valuePos, QStringLiteral("has: knows only has:attachment"));
                if (pendingOr)
                    return error(orPos, QStringLiteral("OR can only join words, phrases and from:/to:/subject: terms"));
                p.hasAttachment = !tok.negated;
                continue;
            }
            if (op == QLatin1String("before") || op == QLatin1String("after") || op == QLatin1String("date")
                || op == QLatin1String("since") || op == QLatin1String("until")) {
                if (tok.negated)
                    return error(tok.pos, QStringLiteral("A date cannot be excluded; use before: or after:"));
                if (pendingOr)
                    return error(orPos, QStringLiteral("OR can only join words, phrases and from:/to:/subject: terms"));
                const auto range = resolveDate(tok.text);
                if (!range)
                    return error(tok.valuePos,
                                 QStringLiteral("'%1' is not a date: use YYYY-MM-DD, today, yesterday, 7d, "
                                                "\"last week\" or \"last month\"").arg(tok.text));
                if (op == QLatin1String("after") || op == QLatin1String("since"))
                    narrow(p, range->first, std::nullopt);
                else if (op == QLatin1String("before") || op == QLatin1String("until"))
                    narrow(p, std::nullopt, range->first);
                else
                    narrow(p, range->first, range->second);
                continue;
            }
            if (op == QLatin1String("thread") || op == QLatin1String("upload")) {
                if (tok.negated)
                    return error(tok.pos, QStringLiteral("%1: cannot be excluded").arg(op));
                if (pendingOr)
                    return error(orPos, QStringLiteral("OR can only join words, phrases and from:/to:/subject: terms"));
                (op == QLatin1String("thread") ? p.threadIds : p.uploadIds) << tok.text;
                continue;
            }
            atom.field = fieldFor(op);
            atom.text = tok.text;
            atom.phrase = tok.valueQuoted;
            if (!hasWordChar(atom.text))
                return error(tok.valuePos, QStringLiteral("%1: needs letters or digits").arg(op));
        }
        if (tok.negated) {
            if (pendingOr)
                return error(orPos, QStringLiteral("OR cannot join an excluded term"));
            p.mustNot << atom;
            continue;
        }
        if (pendingOr) {
            if (atom.field == Field::Cc || atom.field == Field::Filename
                || p.must.last().anyOf.constFirst().field == Field::Cc
                || p.must.last().anyOf.constFirst().field == Field::Filename)
                return error(orPos, QStringLiteral("OR cannot join cc: or filename: terms"));
            p.must.last().anyOf << atom;
            pendingOr = false;
            continue;
        }
        p.must << Clause{{atom}};
    }
    if (pendingOr)
        return error(orPos, QStringLiteral("OR needs a term on each side"));
    if (p.isEmpty() && !p.naturalLanguage)
        return error(0, QStringLiteral("Empty query: type some words or an operator such as from:"));
    return p;
}

} // namespace emailrag::search
