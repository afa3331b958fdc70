#include "ftstext.h"

#include <algorithm>

namespace emailrag::ingest {

bool isCjk(char32_t c)
{
    return (c >= 0x3040 && c <= 0x30FF)      // Hiragana, Katakana
        || (c >= 0x3400 && c <= 0x4DBF)      // CJK Extension A
        || (c >= 0x4E00 && c <= 0x9FFF)      // CJK Unified Ideographs
        || (c >= 0xAC00 && c <= 0xD7AF)      // Hangul syllables
        || (c >= 0xF900 && c <= 0xFAFF)      // CJK Compatibility Ideographs
        || (c >= 0xFF66 && c <= 0xFF9F)      // half-width Katakana
        || (c >= 0x20000 && c <= 0x2FA1F);   // Extensions B-F, compatibility supplement
}

bool hasCjk(const QString &text)
{
    // Every column of every imported email goes through here (about 3 % of the parse threads'
    // time, perf): 16 code units at a time are skipped while all are below U+3040 (a maximum the
    // compiler vectorises); only blocks holding a higher one are looked at one by one.
    const char16_t *p = reinterpret_cast<const char16_t *>(text.utf16());
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        if (n - i >= 16) {
            char16_t high = 0;
            for (int k = 0; k < 16; ++k)
                high = std::max(high, p[i + k]);
            if (high < 0x3040) {
                i += 16;
                continue;
            }
        }
        const qsizetype end = std::min(n, i + 16);
        for (; i < end; ++i) {
            const char16_t u = p[i];
            if (u >= 0x3040 && (isCjk(u) || QChar::isHighSurrogate(u)))
                return true;
        }
    }
    return false;
}

QString cjkSpaced(const QString &text)
{
    if (!hasCjk(text))
        return text;
    QString out;
    out.reserve(text.size() * 2);
    bool prevCjk = false;
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n;) {
        char32_t c = text.at(i).unicode();
        qsizetype len = 1;
        if (QChar::isHighSurrogate(c) && i + 1 < n && text.at(i + 1).isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text.at(i), text.at(i + 1));
            len = 2;
        }
        const bool cjk = isCjk(c);
        if ((cjk || prevCjk) && c != U' ' && !out.isEmpty() && !out.endsWith(QLatin1Char(' ')))
            out += QLatin1Char(' ');
        out += QStringView(text).mid(i, len);
        prevCjk = cjk;
        i += len;
    }
    return out;
}

} // namespace emailrag::ingest
