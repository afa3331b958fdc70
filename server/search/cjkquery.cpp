#include "cjkquery.h"

#include "ftstext.h"

namespace emailrag::search {

QString indexedText(const QString &text)
{
    return ingest::cjkSpaced(text);
}

bool matchesAsPrefix(const Atom &atom)
{
    // A from:/to: name matches names starting with it ("from:ann" finds Anna), but not one of one or
    // two letters: FTS5 would merge every indexed word starting with them ("from R" in a request
    // cost 0.5 s at 1M emails); those match the word itself.
    const bool nameField = atom.field == Field::From || atom.field == Field::To;
    if (!atom.prefix && !(nameField && !atom.phrase && atom.text.size() >= 3))
        return false;
    // The last code point (hasCjk takes any astral one for CJK: an emoji at the end of a word* is
    // then matched whole, no harm).
    const QString &t = atom.text;
    const qsizetype last = t.size() >= 2 && t.back().isLowSurrogate() ? 2 : 1;
    return t.isEmpty() || !ingest::hasCjk(t.right(last));
}

} // namespace emailrag::search
