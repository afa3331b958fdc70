#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

// WordNet 3.0 as the Debian package wordnet-base installs it (/usr/share/wordnet: index.* and
// data.* files, *.exc exception lists): base forms of an inflected word (WordNet's "morphy":
// exception lists, then suffix rules) and the one-word synonyms of a lemma's most frequent senses.
// Used by query expansion (search/expansion.h) together with the user's own word vectors, which
// decide whether a synonym is used the same way in the user's mail. Nothing is downloaded: the
// files come with the package; without them there is no WordNet and expansion uses the word
// vectors alone.
// Value type, read-only after load, safe to share between threads. `shared()` loads the package's
// files once per process (about 0.45 s in a Release build; thread-safe) and returns null when
// they are missing.
namespace emailrag::embed {

class WordNet
{
public:
    static constexpr const char *kDefaultDirectory = "/usr/share/wordnet";

    // Loads `directory`; null when index.noun or data.noun cannot be read.
    static std::shared_ptr<const WordNet> load(const QString &directory);
    // The package's WordNet, loaded at the first call (EMAILRAG_WORDNET_DIR overrides the directory;
    // "none" disables it). Null when missing.
    static std::shared_ptr<const WordNet> shared();
    // The same without waiting: null (and the load started on Qt's global thread pool) until it is
    // in memory. Queries use this, so none waits for the load; they go without WordNet meanwhile.
    static std::shared_ptr<const WordNet> sharedIfLoaded();

    // Lemmas of WordNet that `word` (lower case) may be an inflection of, itself included when it
    // is a lemma: "joking" -> joke, "teased" -> tease, "mice" -> mouse. Empty when none.
    QStringList baseForms(const QString &word) const;
    bool isLemma(const QString &word) const { return m_senses.contains(word); }
    // One-word synonyms (letters only, lower case) of `lemma` from its first `maxSenses` senses of
    // each part of speech (WordNet orders senses by frequency), without `lemma` itself.
    QStringList synonyms(const QString &lemma, int maxSenses) const;
    qsizetype lemmaCount() const { return m_senses.size(); }

private:
    QHash<QString, std::vector<int>> m_senses; // lemma -> synsets, per part of speech by sense order
    std::vector<QStringList> m_synsets;        // one-word lemmas of each synset
    QHash<QString, QStringList> m_exceptions;  // irregular inflection -> base forms
};

} // namespace emailrag::embed
