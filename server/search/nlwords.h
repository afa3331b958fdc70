#pragma once

#include "queryparser.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// Reading plain requests ("Find urgent emails from Anna last week") without a model: request and
// stop words are dropped, "from X", "to X", "with attachments" and date phrases become filters,
// the rest are ranked terms. Internal to the parser; pure functions, any thread.
namespace emailrag::search {

struct NlInputWord
{
    QString text;
    bool negated = false;
};

struct NlWord
{
    enum class Role { Term, Dropped, Consumed };
    Role role = Role::Term;
    QString text;              // cleaned text for a term (may hold several words for a name)
    Field field = Field::Any;  // From/To when mapped from "from X"/"to X"
};

struct NlResult
{
    bool isRequest = false;    // the words read as a request, not as keywords
    QList<NlWord> words;       // one per input word, same order
    QStringList dropped;       // request and stop words removed
    std::optional<QDateTime> after;
    std::optional<QDateTime> before;
    bool hasAttachment = false;
};

NlResult interpretNaturalLanguage(const QList<NlInputWord> &words, const QueryParser &dates);

bool isStopWord(const QString &lowerWord);

} // namespace emailrag::search
