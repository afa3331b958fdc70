#include "charset.h"

#include <gmime/gmime.h>

#include <QHash>

#include <cctype>
#include <cstring>

#include <cerrno>
#include <iconv.h>

namespace emailrag::ingest {

bool isValidUtf8(const char *data, qsizetype size)
{
    // Mail text is mostly ASCII, and g_utf8_validate goes byte by byte: skip 8 bytes at a time
    // while none has its high bit set and none is NUL (which g_utf8_validate refuses with a
    // length), then let GLib validate the rest. No sequence can start in the skipped bytes.
    constexpr quint64 ones = 0x0101010101010101ULL;
    constexpr quint64 highs = 0x8080808080808080ULL;
    qsizetype i = 0;
    for (; i + 8 <= size; i += 8) {
        quint64 w;
        std::memcpy(&w, data + i, sizeof w);
        if ((w & highs) | ((w - ones) & ~w & highs))
            break;
    }
    return g_utf8_validate(data + i, size - i, nullptr);
}

bool looksBinary(const char *data, qsizetype size)
{
    const qsizetype n = std::min<qsizetype>(size, 64 * 1024);
    qsizetype control = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const unsigned char c = static_cast<unsigned char>(data[i]);
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b)
            ++control;
    }
    return n > 0 && control * 100 > n;
}

QByteArray htmlMetaCharset(const QByteArray &html)
{
    const QByteArray head = html.left(4096).toLower();
    qsizetype pos = 0;
    while ((pos = head.indexOf("charset=", pos)) >= 0) {
        pos += 8;
        // Only inside a <meta ...> tag.
        const qsizetype tag = head.lastIndexOf('<', pos);
        if (tag < 0 || !head.mid(tag, 5).startsWith("<meta"))
            continue;
        while (pos < head.size() && (head[pos] == '"' || head[pos] == '\'' || head[pos] == ' '))
            ++pos;
        qsizetype end = pos;
        while (end < head.size() && (std::isalnum(static_cast<unsigned char>(head[end])) || head[end] == '-' || head[end] == '_'
                                     || head[end] == ':' || head[end] == '.'))
            ++end;
        if (end > pos)
            return head.mid(pos, end - pos);
    }
    return {};
}

namespace {

QString stripNul(QString s)
{
    if (s.contains(QChar(0)))
        s.remove(QChar(0));
    return s;
}

// iconv into UTF-8, replacing undecodable bytes by U+FFFD. Returns false when the charset is
// unknown to iconv.
bool iconvDecode(const QByteArray &bytes, const char *charset, QString &out, bool &hadErrors)
{
    iconv_t cd = g_mime_iconv_open("UTF-8", charset);
    if (cd == reinterpret_cast<iconv_t>(-1))
        return false;
    QByteArray result;
    result.resize(bytes.size() * 2 + 16);
    char *in = const_cast<char *>(bytes.constData());
    size_t inLeft = bytes.size();
    char *outp = result.data();
    size_t outLeft = result.size();
    hadErrors = false;
    while (inLeft > 0) {
        const size_t r = iconv(cd, &in, &inLeft, &outp, &outLeft);
        if (r != static_cast<size_t>(-1))
            break;
        if (errno == E2BIG) {
            const qsizetype used = outp - result.data();
            result.resize(result.size() * 2 + 64);
            outp = result.data() + used;
            outLeft = result.size() - used;
        } else { // EILSEQ or EINVAL: skip one byte, emit U+FFFD
            hadErrors = true;
            if (outLeft < 3) {
                const qsizetype used = outp - result.data();
                result.resize(result.size() + 64);
                outp = result.data() + used;
                outLeft = result.size() - used;
            }
            std::memcpy(outp, "\xEF\xBF\xBD", 3);
            outp += 3;
            outLeft -= 3;
            ++in;
            --inLeft;
            iconv(cd, nullptr, nullptr, nullptr, nullptr);
        }
    }
    // Flush shift state (ISO-2022-JP).
    if (outLeft < 16) {
        const qsizetype used = outp - result.data();
        result.resize(result.size() + 16);
        outp = result.data() + used;
        outLeft = result.size() - used;
    }
    iconv(cd, nullptr, nullptr, &outp, &outLeft);
    result.resize(outp - result.data());
    g_mime_iconv_close(cd);
    out = QString::fromUtf8(result);
    return true;
}

QString windows1252(const QByteArray &bytes)
{
    QString out;
    bool errors = false;
    if (iconvDecode(bytes, "CP1252", out, errors) && !errors)
        return out;
    return QString::fromLatin1(bytes); // CP1252 has 5 holes; latin1 maps every byte
}

} // namespace

DecodeResult decodeToUnicode(const QByteArray &bytes, const QByteArray &charsetLabel)
{
    DecodeResult r;
    if (bytes.isEmpty())
        return r;
    const QByteArray label = charsetLabel.trimmed().toLower();
    const bool ascii = label.isEmpty() || label == "us-ascii" || label == "ascii" || label == "ansi_x3.4-1968";
    if (ascii || label == "utf-8" || label == "utf8") {
        if (isValidUtf8(bytes.constData(), bytes.size())) {
            r.text = stripNul(QString::fromUtf8(bytes));
            return r;
        }
        r.text = stripNul(label.startsWith("utf") ? QString::fromUtf8(bytes) : windows1252(bytes));
        r.fellBack = !ascii; // undeclared 8-bit text is normal; invalid declared UTF-8 is not
        return r;
    }
    if (label == "iso-8859-1" || label == "latin1" || label == "iso_8859-1" || label == "windows-1252"
        || label == "cp1252") {
        r.text = stripNul(windows1252(bytes));
        return r;
    }
    // Labels mail uses for what is really a superset (as browsers do), and Windows-isms.
    static const QHash<QByteArray, QByteArray> aliases = {
        {"gb2312", "GB18030"}, {"gbk", "GB18030"}, {"gb2312_charset", "GB18030"}, {"x-gbk", "GB18030"},
        {"cn-gb", "GB18030"}, {"euc-cn", "GB18030"}, {"chinesebig5", "BIG5-HKSCS"}, {"big5", "BIG5-HKSCS"},
        {"x-big5", "BIG5-HKSCS"}, {"ks_c_5601-1987", "CP949"}, {"euc-kr", "CP949"}, {"ks_c_5601", "CP949"},
        {"shift_jis", "CP932"}, {"x-sjis", "CP932"}, {"sjis", "CP932"}, {"iso-2022-jp", "ISO-2022-JP-2"},
        {"tis-620", "CP874"}, {"iso-8859-11", "CP874"}, {"iso-8859-9", "CP1254"}, {"latin5", "CP1254"},
        {"unicode-1-1-utf-7", "UTF-7"}, {"ansi", "CP1252"}};
    const auto alias = aliases.constFind(label);
    const QByteArray effective = alias != aliases.constEnd() ? *alias : label;
    const char *canonical = alias != aliases.constEnd() ? effective.constData() : g_mime_charset_iconv_name(label.constData());
    QString out;
    bool errors = false;
    if (canonical && iconvDecode(bytes, canonical, out, errors)) {
        r.text = stripNul(out);
        r.fellBack = errors;
        return r;
    }
    // Unknown or bogus label ("default", "x-unknown", "foo"): the sane fallback.
    r.fellBack = true;
    r.text = stripNul(isValidUtf8(bytes.constData(), bytes.size()) ? QString::fromUtf8(bytes) : windows1252(bytes));
    return r;
}

} // namespace emailrag::ingest
