#include "ftstokenizer.h"

#include "sqlitestatement.h"

#include <QLoggingCategory>

#include <cstring>

Q_DECLARE_LOGGING_CATEGORY(lcSearch)

namespace emailrag::search {

namespace {

struct Fts5Call
{
    FtsTokenizer::TokenFn fn;
    void *context;
};

int fromFts5(void *call, int flags, const char *token, int size, int start, int end)
{
    if (flags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK; // synonyms at the same place: not a position of their own (unicode61 has none)
    const auto *c = static_cast<const Fts5Call *>(call);
    c->fn(c->context, start, end, QByteArrayView(token, size));
    return SQLITE_OK;
}

} // namespace

FtsTokenizer::FtsTokenizer(sqlite3 *db)
{
    fts5_api *api = storage::ftsApi(db);
    void *context = nullptr;
    fts5_tokenizer module{};
    if (!api || api->xFindTokenizer(api, "unicode61", &context, &module) != SQLITE_OK || !module.xCreate) {
        qCWarning(lcSearch) << "FTS5's unicode61 tokenizer is missing: snippets mark nothing";
        return;
    }
    // The options of emails_fts (migration 011).
    const char *options[] = {"remove_diacritics", "2"};
    if (module.xCreate(context, options, 2, &m_tokenizer) != SQLITE_OK) {
        m_tokenizer = nullptr;
        return;
    }
    m_tokenize = module.xTokenize;
    m_delete = module.xDelete;
}

FtsTokenizer::~FtsTokenizer()
{
    if (m_tokenizer)
        m_delete(m_tokenizer);
}

bool FtsTokenizer::isAscii(QByteArrayView text)
{
    // Eight bytes at a time: a hit's columns are read whole.
    const char *p = text.data();
    const qsizetype n = text.size();
    quint64 high = 0;
    qsizetype i = 0;
    for (; i + 8 <= n; i += 8) {
        quint64 w;
        std::memcpy(&w, p + i, 8);
        high |= w;
    }
    for (; i < n; ++i)
        high |= uchar(p[i]);
    return (high & 0x8080808080808080ULL) == 0;
}

const char *FtsTokenizer::lowerAscii(QByteArrayView text) const
{
    const qsizetype n = text.size();
    m_lower.resize(n);
    const char *__restrict in = text.data();
    char *__restrict out = m_lower.data();
    for (qsizetype i = 0; i < n; ++i) // vectorised
        out[i] = char(in[i] + ((unsigned char)(in[i] - 'A') < 26 ? 32 : 0));
    return out;
}

bool FtsTokenizer::tokenizeWithFts5(QByteArrayView utf8, TokenFn fn, void *context) const
{
    if (!m_tokenizer)
        return false;
    Fts5Call call{fn, context};
    return m_tokenize(m_tokenizer, &call, FTS5_TOKENIZE_DOCUMENT, utf8.data(), int(utf8.size()), fromFts5) == SQLITE_OK;
}

std::vector<QByteArray> FtsTokenizer::folded(QByteArrayView utf8) const
{
    std::vector<QByteArray> out;
    tokenize(utf8, [&out](int, int, QByteArrayView folded) { out.emplace_back(folded.toByteArray()); });
    return out;
}

} // namespace emailrag::search
