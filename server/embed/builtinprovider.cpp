#include "builtinprovider.h"

#include "wordnet.h"

namespace emailrag::embed {

BuiltinProvider::BuiltinProvider(WordVectors vectors)
    : m_vectors(std::move(vectors))
{
}

const QHash<QString, QStringList> &BuiltinProvider::wordsByBase(const WordNet &wordnet) const
{
    std::call_once(m_byBaseOnce, [this, &wordnet] {
        for (const QString &w : m_vectors.words())
            for (const QString &b : wordnet.baseForms(w))
                m_byBase[b] << w;
    });
    return m_byBase;
}

QString BuiltinProvider::model() const
{
    return QString::fromLatin1(kBuiltinModel);
}

EmbedResult BuiltinProvider::embed(const QStringList &texts)
{
    if (m_vectors.isEmpty()) {
        EmbedError e;
        e.code = EmbedError::Code::NoModel;
        e.message = QStringLiteral("The built-in model has not been trained yet");
        return e;
    }
    QList<Vector> out;
    out.reserve(texts.size());
    for (const QString &t : texts)
        out << m_vectors.embed(t);
    return out;
}

} // namespace emailrag::embed
