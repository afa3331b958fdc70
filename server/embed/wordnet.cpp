#include "wordnet.h"

#include "embedtypes.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>

#include <QThreadPool>

#include <atomic>
#include <functional>
#include <mutex>

namespace emailrag::embed {

namespace {

const char *const kParts[] = {"noun", "verb", "adj", "adv"};

bool plainLemma(QByteArrayView w)
{
    if (w.size() < 2)
        return false;
    for (const char c : w)
        if (!(c >= 'a' && c <= 'z'))
            return false;
    return true;
}

// A data.* word may carry an adjective marker: "good(a)".
QByteArray stripMarker(QByteArrayView w)
{
    const qsizetype paren = w.indexOf('(');
    return (paren > 0 ? w.first(paren) : w).toByteArray().toLower();
}

// The first `max` space-separated fields of a line (views into it).
int fields(const QByteArray &line, QByteArrayView *out, int max)
{
    int n = 0;
    const char *p = line.constData();
    const char *end = p + line.size();
    while (p < end && n < max) {
        while (p < end && *p == ' ')
            ++p;
        const char *start = p;
        while (p < end && *p != ' ')
            ++p;
        if (p > start)
            out[n++] = QByteArrayView(start, p - start);
    }
    return n;
}

bool readLines(const QString &path, const std::function<void(const QByteArray &)> &line)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QByteArray all = f.readAll();
    qsizetype start = 0;
    while (start < all.size()) {
        qsizetype end = all.indexOf('\n', start);
        if (end < 0)
            end = all.size();
        if (end > start && all[start] != ' ') // license header lines start with spaces
            line(QByteArray::fromRawData(all.constData() + start, end - start));
        start = end + 1;
    }
    return true;
}

// WordNet's detachment rules (morphy), per part of speech: suffix -> ending.
struct Rule
{
    const char *suffix;
    const char *ending;
};
const Rule kNounRules[] = {{"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"},
                           {"men", "man"}, {"ies", "y"}};
const Rule kVerbRules[] = {{"s", ""}, {"ies", "y"}, {"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""}};
const Rule kAdjRules[] = {{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}};

} // namespace

std::shared_ptr<const WordNet> WordNet::load(const QString &directory)
{
    auto wn = std::make_shared<WordNet>();
    const QDir dir(directory);
    QHash<QByteArray, int> synsetIds; // "<part><offset>" -> index into m_synsets
    for (const char *part : kParts) {
        const QByteArray p(part);
        const bool ok = readLines(dir.filePath(QStringLiteral("data.") + QLatin1String(part)), [&](const QByteArray &line) {
            // offset lex_filenum ss_type w_cnt(hex) word lex_id [word lex_id ...] ...
            QByteArrayView f[4 + 2 * 64];
            const int nf = fields(line, f, 4);
            if (nf < 4)
                return;
            bool ok = false;
            const int count = qMin(64, f[3].toByteArray().toInt(&ok, 16));
            if (!ok)
                return;
            const int have = fields(line, f, 4 + 2 * count);
            QStringList words;
            for (int i = 0; i < count && 4 + 2 * i < have; ++i) {
                const QByteArray w = stripMarker(f[4 + 2 * i]);
                if (plainLemma(w) && !words.contains(QString::fromLatin1(w)))
                    words << QString::fromLatin1(w);
            }
            synsetIds.insert(p + f[0].toByteArray(), int(wn->m_synsets.size()));
            wn->m_synsets.push_back(words);
        });
        if (!ok && p == "noun")
            return nullptr;
        readLines(dir.filePath(QStringLiteral("index.") + QLatin1String(part)), [&](const QByteArray &line) {
            // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
            QByteArrayView f[256];
            const int nf = fields(line, f, 256);
            if (nf < 6 || !plainLemma(f[0]))
                return;
            const int synsets = f[2].toByteArray().toInt();
            const int pointers = f[3].toByteArray().toInt();
            const int first = 4 + pointers + 2;
            std::vector<int> &senses = wn->m_senses[QString::fromLatin1(f[0])];
            // Senses of several parts of speech interleave by rank: the caller takes the first n
            // of each part, so they are appended part after part with a separator (-1).
            if (!senses.empty())
                senses.push_back(-1);
            for (int i = 0; i < synsets && first + i < nf; ++i) {
                const auto it = synsetIds.constFind(p + f[first + i].toByteArray());
                if (it != synsetIds.cend())
                    senses.push_back(*it);
            }
        });
        readLines(dir.filePath(QLatin1String(part) + QStringLiteral(".exc")), [&](const QByteArray &line) {
            const QList<QByteArray> f = line.split(' ');
            if (f.size() < 2 || !plainLemma(f[0]))
                return;
            QStringList &bases = wn->m_exceptions[QString::fromLatin1(f[0])];
            for (int i = 1; i < f.size(); ++i)
                if (plainLemma(f[i].trimmed()) && !bases.contains(QString::fromLatin1(f[i].trimmed())))
                    bases << QString::fromLatin1(f[i].trimmed());
        });
    }
    if (wn->m_senses.isEmpty())
        return nullptr;
    return wn;
}

namespace {
std::once_flag g_once;
std::shared_ptr<const WordNet> g_instance;
std::atomic_bool g_loaded{false};
std::atomic_bool g_started{false};
} // namespace

std::shared_ptr<const WordNet> WordNet::sharedIfLoaded()
{
    if (g_loaded.load(std::memory_order_acquire))
        return g_instance;
    if (!g_started.exchange(true))
        QThreadPool::globalInstance()->start([] { shared(); });
    return nullptr;
}

std::shared_ptr<const WordNet> WordNet::shared()
{
    auto &instance = g_instance;
    std::call_once(g_once, [&instance] {
        QString dir = qEnvironmentVariable("EMAILRAG_WORDNET_DIR");
        if (dir == QLatin1String("none"))
            return; // g_loaded is set below: "loaded", as nothing
        if (dir.isEmpty())
            dir = QString::fromLatin1(kDefaultDirectory);
        QElapsedTimer t;
        t.start();
        instance = load(dir);
        if (instance)
            qCInfo(lcEmbed) << "WordNet loaded from" << dir << ":" << instance->lemmaCount() << "lemmas in"
                            << t.elapsed() << "ms";
        else
            qCInfo(lcEmbed) << "no WordNet at" << dir << "(package wordnet-base): query expansion uses word vectors only";
    });
    g_loaded.store(true, std::memory_order_release);
    return instance;
}

QStringList WordNet::baseForms(const QString &word) const
{
    QStringList out;
    auto add = [&](const QString &w) {
        if (m_senses.contains(w) && !out.contains(w))
            out << w;
    };
    add(word);
    for (const QString &b : m_exceptions.value(word))
        add(b);
    auto apply = [&](const auto &rules) {
        for (const Rule &r : rules) {
            const QLatin1String suffix(r.suffix);
            if (word.size() > suffix.size() + 1 && word.endsWith(suffix))
                add(word.chopped(suffix.size()) + QLatin1String(r.ending));
        }
    };
    apply(kNounRules);
    apply(kVerbRules);
    apply(kAdjRules);
    return out;
}

QStringList WordNet::synonyms(const QString &lemma, int maxSenses) const
{
    QStringList out;
    const auto it = m_senses.constFind(lemma);
    if (it == m_senses.cend())
        return out;
    int taken = 0;
    for (const int s : *it) {
        if (s < 0) {
            taken = 0; // next part of speech
            continue;
        }
        if (taken++ >= maxSenses)
            continue;
        for (const QString &w : m_synsets[size_t(s)])
            if (w != lemma && !out.contains(w))
                out << w;
    }
    return out;
}

} // namespace emailrag::embed
