#pragma once

#include "searchtypes.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace emailrag::search {

// Which part of an email a text atom is matched against.
enum class Field { Any, Subject, From, To, Cc, Filename };

// One piece of text to match: a word, a "quoted phrase" or a prefix (word*).
struct Atom
{
    Field field = Field::Any;
    QString text;        // as the user typed it, without quotes or the trailing '*'
    bool phrase = false; // came from "quotes"
    bool prefix = false; // ended with '*'
    bool fromRequest = false; // derived from natural language (may be relaxed to a plain term)
    bool operator==(const Atom &) const = default;
};

// A clause is satisfied when any of its atoms matches (OR); all clauses must match (AND).
struct Clause
{
    QList<Atom> anyOf;
    bool operator==(const Clause &) const = default;
};

// The parsed form of a query: text clauses plus structured filters. Dates are UTC,
// `after` inclusive and `before` exclusive.
struct ParsedQuery
{
    QList<Clause> must;
    QList<Atom> mustNot;
    std::optional<QDateTime> after;
    std::optional<QDateTime> before;
    std::optional<bool> hasAttachment;
    QStringList threadIds;
    QStringList uploadIds;
    bool naturalLanguage = false;   // read as a request: remaining terms are ranked, not all required
    QStringList droppedWords;       // request/stop words removed from a natural-language query

    bool hasTextAtoms() const;      // anything the full-text index must match
    bool isEmpty() const;           // nothing at all to search for
};

// Parses the query language of docs/search.md. Pure and re-entrant: any thread.
// Fails with a SearchError naming the 0-based character position of the problem.
class QueryParser
{
public:
    explicit QueryParser(QDateTime now = {}); // invalid = current time (UTC)

    std::variant<ParsedQuery, SearchError> parse(const QString &query) const;

    // Resolves a date value (YYYY-MM-DD, today, yesterday, Nd, Nw, Nm, Ny, "last week",
    // "last month", "this week", "this month", "last year", "this year") to [start, end).
    std::optional<std::pair<QDateTime, QDateTime>> resolveDate(const QString &value) const;

    QDateTime now() const { return m_now; }

private:
    QDateTime m_now;
};

} // namespace emailrag::search
