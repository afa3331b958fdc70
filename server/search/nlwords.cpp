#include "nlwords.h"

#include <QRegularExpression>
#include <QSet>

namespace emailrag::search {

namespace {

// Words that make a query read as a request rather than as keywords.
const QSet<QString> &requestMarkers()
{
    static const QSet<QString> s = {
        QStringLiteral("find"), QStringLiteral("show"), QStringLiteral("search"), QStringLiteral("get"),
        QStringLiteral("give"), QStringLiteral("list"), QStringLiteral("look"), QStringLiteral("looking"),
        QStringLiteral("fetch"), QStringLiteral("display"), QStringLiteral("what"), QStringLiteral("which"),
        QStringLiteral("who"), QStringLiteral("when"), QStringLiteral("where"), QStringLiteral("did"),
        QStringLiteral("does"), QStringLiteral("anything"), QStringLiteral("emails"), QStringLiteral("email"),
        QStringLiteral("mails"), QStringLiteral("mail"), QStringLiteral("messages"), QStringLiteral("message"),
        QStringLiteral("about"), QStringLiteral("regarding"), QStringLiteral("concerning"), QStringLiteral("sent"),
        QStringLiteral("send"), QStringLiteral("wrote"), QStringLiteral("me"), QStringLiteral("my"),
        QStringLiteral("please"), QStringLiteral("from"), QStringLiteral("i"), QStringLiteral("how"),
        QStringLiteral("why"), QStringLiteral("that"), QStringLiteral("the"), QStringLiteral("where"),
    };
    return s;
}

const QSet<QString> &stopWords()
{
    static const QSet<QString> s = [] {
        const char *words[] = {
            "find", "show", "search", "get", "give", "list", "look", "looking", "fetch", "display", "retrieve",
            "me", "my", "mine", "i", "we", "you", "your", "our", "us", "he", "she", "they", "them", "his", "her",
            "their", "please", "can", "could", "would", "will", "shall", "should", "do", "does", "did", "done",
            "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "is", "are", "was", "were",
            "be", "been", "being", "have", "has", "had", "the", "a", "an", "any", "all", "some", "every", "that",
            "this", "these", "those", "there", "it", "its", "of", "in", "on", "at", "by", "for", "with", "about",
            "regarding", "concerning", "re", "to", "from", "into", "onto", "and", "or", "not", "email", "emails",
            "mail", "mails", "message", "messages", "e-mail", "e-mails", "thread", "threads", "conversation",
            "conversations", "send", "sent", "sending", "wrote", "write", "writing", "written", "say", "said",
            "says", "tell", "told", "talk", "talked", "talking", "mention", "mentioned", "mentioning", "mentions",
            "discuss", "discussed", "discussing", "anything", "something", "everything", "related", "relating",
            "up", "out", "just", "also", "so", "then", "than", "as", "if", "but", "other", "else", "like", "need",
            "want", "know", "recent", "recently", "latest", "one", "ones", "someone", "somebody", "anyone",
            "regard", "asked", "ask", "asking", "got", "received", "receive", "reply", "replied", "forwarded",
            "note", "notes", "let", "lets", "see", "remember", "there", "here", "was", "am", "again", "only",
            "very", "more", "most", "such", "no", "nor", "too", "own", "same", "both", "each", "few", "after",
            "before", "since", "until", "over", "under", "between", "through", "during", "without", "within",
            "message's", "whats", "what's", "where's", "who's", "i'm", "im", "kind", "sort", "stuff", "things",
        };
        QSet<QString> set;
        for (const char *w : words)
            set.insert(QString::fromLatin1(w));
        return set;
    }();
    return s;
}

const QStringList &monthNames()
{
    static const QStringList m = {
        QStringLiteral("january"), QStringLiteral("february"), QStringLiteral("march"), QStringLiteral("april"),
        QStringLiteral("may"), QStringLiteral("june"), QStringLiteral("july"), QStringLiteral("august"),
        QStringLiteral("september"), QStringLiteral("october"), QStringLiteral("november"), QStringLiteral("december"),
    };
    return m;
}

int monthIndex(const QString &w)
{
    const QStringList &m = monthNames();
    for (int i = 0; i < m.size(); ++i) {
        if (w == m[i] || (w.size() >= 3 && w.size() <= 4 && m[i].startsWith(w) && w != QLatin1String("mar")
                          && w != QLatin1String("may")))
            return i + 1;
    }
    if (w == QLatin1String("may"))
        return 5;
    return 0;
}

// Strips punctuation around a word ("Anna's," -> "Anna", "merger?" -> "merger") but keeps what an
// address or a version needs inside it.
QString clean(const QString &w)
{
    int b = 0;
    int e = w.size();
    while (b < e && !w[b].isLetterOrNumber())
        ++b;
    while (e > b && !w[e - 1].isLetterOrNumber())
        --e;
    QString s = w.mid(b, e - b);
    if (s.endsWith(QLatin1String("'s")) || s.endsWith(QStringLiteral("\u2019s")))
        s.chop(2);
    return s;
}

bool isYear(const QString &w)
{
    static const QRegularExpression re(QStringLiteral("^(19|20)\\d\\d$"));
    return re.match(w).hasMatch();
}

bool isIsoDate(const QString &w)
{
    static const QRegularExpression re(QStringLiteral("^\\d{4}-\\d{1,2}-\\d{1,2}$"));
    return re.match(w).hasMatch();
}

// An address, a capitalised word, or a word of a script without capitals (Han, kana, Hangul,
// Arabic, Hebrew, Thai: category Letter_Other), whose names can be told by nothing else.
bool isNameLike(const QString &w)
{
    if (w.isEmpty())
        return false;
    if (w.contains(QLatin1Char('@')))
        return true;
    const char32_t first = w[0].isHighSurrogate() && w.size() > 1 ? QChar::surrogateToUcs4(w[0], w[1]) : w[0].unicode();
    return QChar::isUpper(first) || QChar::category(first) == QChar::Letter_Other;
}

} // namespace

bool isStopWord(const QString &lowerWord) { return stopWords().contains(lowerWord); }

NlResult interpretNaturalLanguage(const QList<NlInputWord> &input, const QueryParser &dates)
{
    NlResult r;
    const int n = input.size();
    QStringList raw;
    QStringList lower;
    for (const NlInputWord &w : input) {
        raw << clean(w.text);
        lower << clean(w.text).toLower();
    }

    // Is it a request at all?
    bool request = !input.isEmpty() && input.constLast().text.endsWith(QLatin1Char('?'));
    for (int i = 0; i < n && !request; ++i) {
        if (input[i].negated)
            continue;
        const QString &w = lower[i];
        if (requestMarkers().contains(w) || w == QLatin1String("yesterday") || w == QLatin1String("today"))
            request = true;
        else if ((w == QLatin1String("last") || w == QLatin1String("past")) && i + 1 < n
                 && (lower[i + 1] == QLatin1String("week") || lower[i + 1] == QLatin1String("month")
                     || lower[i + 1] == QLatin1String("year")))
            request = true;
    }
    r.isRequest = request;
    r.words.resize(n);
    if (!request)
        return r;

    auto consume = [&](int i) { r.words[i].role = NlWord::Role::Consumed; };
    auto setRange = [&](const std::optional<std::pair<QDateTime, QDateTime>> &range, int mode) {
        if (!range)
            return false;
        // mode 0: within, 1: after (since), 2: before
        if (mode != 2 && (!r.after || range->first > *r.after))
            r.after = range->first;
        if (mode == 0 && (!r.before || range->second < *r.before))
            r.before = range->second;
        if (mode == 2 && (!r.before || range->first < *r.before))
            r.before = range->first;
        return true;
    };

    // Pass 1: date phrases, so that "from yesterday" is a date and not a sender.
    for (int i = 0; i < n; ++i) {
        if (input[i].negated || r.words[i].role == NlWord::Role::Consumed)
            continue;
        const QString &w = lower[i];
        const QString next = i + 1 < n && !input[i + 1].negated ? lower[i + 1] : QString();

        // Date phrases.
        int mode = 0;
        int j = i;
        if ((w == QLatin1String("since") || w == QLatin1String("after") || w == QLatin1String("before")
             || w == QLatin1String("on") || w == QLatin1String("in") || w == QLatin1String("during"))
            && !next.isEmpty()) {
            mode = w == QLatin1String("since") || w == QLatin1String("after") ? 1 : w == QLatin1String("before") ? 2 : 0;
            j = i + 1;
        }
        const QString &d = lower.value(j);
        const QString dn = j + 1 < n ? lower[j + 1] : QString();
        const QString dnn = j + 2 < n ? lower[j + 2] : QString();
        bool dated = false;
        int used = 0;
        if (d == QLatin1String("today") || d == QLatin1String("yesterday")) {
            dated = setRange(dates.resolveDate(d), mode);
            used = 1;
        } else if ((d == QLatin1String("last") || d == QLatin1String("past") || d == QLatin1String("this")
                    || d == QLatin1String("previous"))
                   && (dn == QLatin1String("week") || dn == QLatin1String("month") || dn == QLatin1String("year"))) {
            dated = setRange(dates.resolveDate(d + QLatin1Char(' ') + dn), mode);
            used = 2;
        } else if ((d == QLatin1String("last") || d == QLatin1String("past")) && !dn.isEmpty() && dn.toInt() > 0
                   && (dnn.startsWith(QLatin1String("day")) || dnn.startsWith(QLatin1String("week"))
                       || dnn.startsWith(QLatin1String("month")) || dnn.startsWith(QLatin1String("year")))) {
            dated = setRange(dates.resolveDate(dn + dnn.left(1)), mode);
            used = 3;
        } else if (isIsoDate(raw.value(j))) {
            dated = setRange(dates.resolveDate(raw[j]), mode);
            used = 1;
        } else if (isYear(d) && (j > i || (i > 0 && lower[i - 1] == QLatin1String("in")))) {
            dated = setRange(dates.resolveDate(d), mode);
            used = 1;
        } else if (monthIndex(d) > 0 && (isYear(dn) || j > i)) {
            const int month = monthIndex(d);
            if (isYear(dn)) {
                dated = setRange(dates.resolveDate(QStringLiteral("%1-%2").arg(dn).arg(month, 2, 10, QLatin1Char('0'))), mode);
                used = 2;
            } else if (j > i && (d.size() >= 3 && d != QLatin1String("may") ? true : w == QLatin1String("in"))) {
                // "in March": the most recent March not after now.
                const QDate now = dates.now().date();
                const int year = month <= now.month() ? now.year() : now.year() - 1;
                dated = setRange(dates.resolveDate(QStringLiteral("%1-%2").arg(year).arg(month, 2, 10, QLatin1Char('0'))), mode);
                used = 1;
            }
        }
        if (dated) {
            for (int k = i; k < j + used && k < n; ++k)
                consume(k);
            // "emails from last week": the "from" before a date is part of it.
            if (i > 0 && lower[i - 1] == QLatin1String("from") && r.words[i - 1].role != NlWord::Role::Consumed)
                consume(i - 1);
        }
    }

    // Pass 2: senders, recipients, attachments, stop words.
    for (int i = 0; i < n; ++i) {
        NlWord &out = r.words[i];
        if (out.role == NlWord::Role::Consumed)
            continue;
        const QString &w = lower[i];
        out.text = raw[i];
        if (input[i].negated) {
            out.text = input[i].text;
            continue;
        }
        auto usable = [&](int k) {
            return k < n && !input[k].negated && r.words[k].role != NlWord::Role::Consumed;
        };
        const QString next = usable(i + 1) ? lower[i + 1] : QString();
        const QString next2 = usable(i + 2) ? lower[i + 2] : QString();

        // "from Anna", "from Anna Smith", "from anna@example.com", "by Anna"
        if ((w == QLatin1String("from") || (w == QLatin1String("by") && isNameLike(raw.value(i + 1))))
            && !next.isEmpty() && !isStopWord(next) && !isYear(next)) {
            consume(i);
            NlWord &who = r.words[i + 1];
            who.role = NlWord::Role::Term;
            who.field = Field::From;
            who.text = raw[i + 1];
            if (isNameLike(raw[i + 1]) && !raw[i + 1].contains(QLatin1Char('@')) && !next2.isEmpty()
                && isNameLike(raw[i + 2]) && !isStopWord(next2) && monthIndex(next2) == 0) {
                who.text += QLatin1Char(' ') + raw[i + 2];
                consume(i + 2);
            }
            ++i;
            continue;
        }
        // "sent to Bob", "emails to bob@example.com"
        if (w == QLatin1String("to") && i > 0 && !next.isEmpty() && !isStopWord(next)
            && (lower[i - 1] == QLatin1String("sent") || lower[i - 1] == QLatin1String("emails")
                || lower[i - 1] == QLatin1String("email") || lower[i - 1] == QLatin1String("mail")
                || lower[i - 1] == QLatin1String("messages") || lower[i - 1] == QLatin1String("wrote")
                || lower[i - 1] == QLatin1String("forwarded") || lower[i - 1] == QLatin1String("send"))
            && isNameLike(raw[i + 1])) {
            consume(i);
            NlWord &who = r.words[i + 1];
            who.field = Field::To;
            who.text = raw[i + 1];
            ++i;
            continue;
        }
        // "with attachments", "that have an attachment"
        if (w.startsWith(QLatin1String("attach")) && i > 0
            && (lower[i - 1] == QLatin1String("with") || lower[i - 1] == QLatin1String("has")
                || lower[i - 1] == QLatin1String("have") || lower[i - 1] == QLatin1String("had")
                || (i > 1 && (lower[i - 2] == QLatin1String("with") || lower[i - 2] == QLatin1String("have")
                              || lower[i - 2] == QLatin1String("has"))))) {
            r.hasAttachment = true;
            consume(i);
            continue;
        }
        if (w.isEmpty() || isStopWord(w)) {
            out.role = NlWord::Role::Dropped;
            if (!w.isEmpty())
                r.dropped << w;
            continue;
        }
        out.role = NlWord::Role::Term;
    }
    return r;
}

} // namespace emailrag::search
