#include "extractiveprovider.h"

#include "textutil.h"

#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace emailrag::chat {

namespace {

constexpr int kMaxSentences = 6;
constexpr int kMaxPerDoc = 2;

struct Candidate
{
    int doc = 0;        // index into input.docs
    int position = 0;   // sentence order within the email
    QString sentence;
    double score = 0;
};

bool usableSentence(const QString &s)
{
    if (s.size() < 20 || s.size() > 400)
        return false;
    static const QRegularExpression headerLike(
        QStringLiteral(R"(^(From|To|Cc|Bcc|Subject|Sent|Date|Re|Fw|Fwd)\s*:)"), QRegularExpression::CaseInsensitiveOption);
    if (headerLike.match(s).hasMatch())
        return false;
    // Brackets in a quoted sentence could read as one of our citations ("see [1]"), and in mail
    // they are mostly debris of HTML rendering ("[IMAGE]").
    if (s.contains(QLatin1Char('[')))
        return false;
    int letters = 0;
    for (QChar c : s)
        letters += c.isLetter() ? 1 : 0;
    return letters * 2 >= s.size() && s.count(QLatin1Char(' ')) >= 3;
}

QStringList stems(const QStringList &terms)
{
    QStringList out;
    for (const QString &t : terms)
        out << text::stem(t);
    return out;
}

class ExtractiveGeneration : public Generation
{
public:
    ExtractiveGeneration(ExtractiveProvider::Answer answer, QObject *parent)
        : Generation(parent), m_answer(std::move(answer))
    {
        m_timer.setSingleShot(false);
        m_timer.setInterval(0);
        QObject::connect(&m_timer, &QTimer::timeout, this, &ExtractiveGeneration::emitNext);
        m_timer.start();
    }
    void cancel() override { m_timer.stop(); }
    QHash<int, QStringList> quotedPassages() const override { return m_answer.passages; }

private:
    void emitNext()
    {
        if (m_next >= m_answer.chunks.size()) {
            m_timer.stop();
            Q_EMIT finished();
            return;
        }
        Q_EMIT textReady(m_answer.chunks.at(m_next++));
    }

    ExtractiveProvider::Answer m_answer;
    QTimer m_timer;
    int m_next = 0;
};

} // namespace

ExtractiveProvider::Answer ExtractiveProvider::compose(const GenerationInput &input)
{
    Answer answer;
    const QString intro = QObject::tr("Extractive answer: the sentences below are quoted word for word from your "
                                      "emails that best match the question; no language model wrote them.\n\n");
    if (input.docs.isEmpty()) {
        answer.chunks << QObject::tr("I found no emails that match \"%1\", so I cannot answer from your mail.")
                             .arg(input.question.simplified());
        return answer;
    }

    const QStringList queryStems = stems(input.queryTerms.isEmpty() ? text::contentTerms(input.question) : input.queryTerms);

    // Sentences of every doc, and document frequency of each query stem over those sentences.
    QList<Candidate> all;
    QHash<QString, int> df;
    for (int d = 0; d < input.docs.size(); ++d) {
        const QStringList sentences = text::splitSentences(input.docs.at(d).text);
        for (int p = 0; p < sentences.size(); ++p) {
            if (!usableSentence(sentences.at(p)))
                continue;
            Candidate c{d, p, sentences.at(p), 0};
            const QSet<QString> words = [&] {
                QSet<QString> s;
                for (const QString &w : text::contentTerms(c.sentence))
                    s.insert(text::stem(w));
                return s;
            }();
            for (const QString &st : queryStems)
                if (words.contains(st))
                    df[st] += 1;
            all << c;
        }
    }
    const double n = std::max<qsizetype>(all.size(), 1);
    for (Candidate &c : all) {
        QSet<QString> words;
        for (const QString &w : text::contentTerms(c.sentence))
            words.insert(text::stem(w));
        double s = 0;
        int matched = 0;
        for (const QString &st : queryStems) {
            if (words.contains(st)) {
                s += std::log(1.0 + n / df.value(st, 1));
                ++matched;
            }
        }
        if (matched > 1)
            s *= 1.0 + 0.25 * (matched - 1); // sentences that cover more of the question
        const ContextDoc &doc = input.docs.at(c.doc);
        s *= 0.4 + 0.6 * doc.relevance;
        s *= 1.0 - std::min(c.position, 10) * 0.02; // the point of a mail is usually early
        if (c.sentence.size() > 250)
            s *= 250.0 / c.sentence.size(); // run-on text: tables, lists, newsletters
        // "What did she reply?": the reply itself is the answer, whatever its words.
        if (doc.answersFollowUp && c.position < 3)
            s += 3.0 - c.position;
        c.score = s;
    }

    std::stable_sort(all.begin(), all.end(), [](const Candidate &a, const Candidate &b) { return a.score > b.score; });
    QList<Candidate> picked;
    QHash<int, int> perDoc;
    QSet<QString> seen;
    for (const Candidate &c : std::as_const(all)) {
        if (picked.size() >= kMaxSentences || c.score <= 0)
            break;
        const QString key = c.sentence.toLower();
        if (seen.contains(key) || perDoc.value(c.doc) >= kMaxPerDoc)
            continue;
        seen.insert(key);
        perDoc[c.doc] += 1;
        picked << c;
    }
    if (picked.isEmpty()) {
        // Nothing in the text matched the words of the question (the match was on subject or
        // sender): quote the opening sentence of the three most relevant emails.
        QSet<int> docsDone;
        for (const Candidate &c : std::as_const(all)) {
            if (c.doc < 3 && !docsDone.contains(c.doc) && c.position <= 2) {
                docsDone.insert(c.doc);
                picked << c;
            }
        }
        std::sort(picked.begin(), picked.end(), [](const Candidate &a, const Candidate &b) { return a.doc < b.doc; });
    }
    if (picked.isEmpty()) {
        answer.chunks << QObject::tr("The matching emails contain no sentence I can quote as an answer to \"%1\".")
                             .arg(input.question.simplified());
        return answer;
    }

    // Group: threads ordered by their best sentence, emails of a thread by date, sentences in
    // their original order.
    QHash<QString, double> threadBest;
    QHash<int, double> docBest;
    for (const Candidate &c : std::as_const(picked)) {
        const ContextDoc &doc = input.docs.at(c.doc);
        const QString thread = doc.threadId.isEmpty() ? QString::number(doc.rowId) : doc.threadId;
        threadBest[thread] = std::max(threadBest.value(thread, -1), c.score);
        docBest[c.doc] = std::max(docBest.value(c.doc, -1), c.score);
    }
    std::sort(picked.begin(), picked.end(), [&](const Candidate &a, const Candidate &b) {
        const ContextDoc &da = input.docs.at(a.doc);
        const ContextDoc &db = input.docs.at(b.doc);
        const QString ta = da.threadId.isEmpty() ? QString::number(da.rowId) : da.threadId;
        const QString tb = db.threadId.isEmpty() ? QString::number(db.rowId) : db.threadId;
        if (ta != tb)
            return threadBest.value(ta) > threadBest.value(tb) || (threadBest.value(ta) == threadBest.value(tb) && ta < tb);
        if (a.doc != b.doc) {
            if (da.date != db.date)
                return da.date < db.date;
            return a.doc < b.doc;
        }
        return a.position < b.position;
    });

    answer.chunks << intro;
    int lastDoc = -1;
    for (const Candidate &c : std::as_const(picked)) {
        const ContextDoc &doc = input.docs.at(c.doc);
        if (c.doc != lastDoc) {
            const QString when = doc.date.isValid() ? doc.date.toString(QStringLiteral("yyyy-MM-dd")) : QObject::tr("undated");
            QString subject = doc.subject.simplified().isEmpty() ? QObject::tr("(no subject)") : doc.subject.simplified();
            QString from = doc.from.simplified();
            // Headings are not quotes: brackets become parentheses so they never read as citations.
            for (QString *s : {&subject, &from}) {
                s->replace(QLatin1Char('['), QLatin1Char('('));
                s->replace(QLatin1Char(']'), QLatin1Char(')'));
            }
            answer.chunks << QStringLiteral("%1%2 — %3, %4:\n")
                                 .arg(lastDoc < 0 ? QString() : QStringLiteral("\n"), subject, from, when);
            lastDoc = c.doc;
        }
        answer.chunks << QStringLiteral("> %1 [%2]\n").arg(c.sentence).arg(doc.index);
        answer.passages[doc.index] << c.sentence;
    }
    return answer;
}

Generation *ExtractiveProvider::start(const GenerationInput &input, QObject *parent)
{
    return new ExtractiveGeneration(compose(input), parent);
}

} // namespace emailrag::chat
