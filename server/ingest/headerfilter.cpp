#include "headerfilter.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <optional>
#include <string_view>

namespace emailrag::ingest {

namespace {

// Field names are compared lower-cased; the longest we look for is 12 bytes ("mime-version",
// "delivered-to"), so longer names only need their "content-" prefix checked.
constexpr qsizetype kLongest = 16;

std::string_view lowered(const char *name, qsizetype len, char (&buf)[kLongest])
{
    const qsizetype n = std::min(len, kLongest);
    for (qsizetype i = 0; i < n; ++i) {
        const char c = name[i];
        buf[i] = (c >= 'A' && c <= 'Z') ? char(c + ('a' - 'A')) : c;
    }
    return {buf, size_t(n)};
}

bool kept(std::string_view lower, qsizetype len)
{
    using namespace std::string_view_literals;
    static constexpr std::string_view names[] = {"from"sv, "to"sv, "cc"sv, "subject"sv, "date"sv, "message-id"sv,
                                                 "references"sv, "in-reply-to"sv, "x-from"sv, "mime-version"sv};
    if (lower.substr(0, 8) == "content-"sv)
        return true;
    if (len > kLongest)
        return false;
    return std::find(std::begin(names), std::end(names), lower) != std::end(names);
}

// Fields left out that parseMessage's "is this mail at all?" check counts (hasMailHeaders in
// messageparser.cpp: keep the two lists in step).
bool marksMail(std::string_view lower, qsizetype len)
{
    using namespace std::string_view_literals;
    static constexpr std::string_view names[] = {"received"sv, "return-path"sv, "delivered-to"sv, "x-mailer"sv,
                                                 "newsgroups"sv, "sender"sv, "reply-to"sv};
    return len <= kLongest && std::find(std::begin(names), std::end(names), lower) != std::end(names);
}

// The length of the field name when the line starts "name:" with a plain name (printable ASCII
// other than ':' and space, RFC 5322 ftext), else nullopt.
std::optional<qsizetype> fieldName(const char *line, qsizetype len)
{
    for (qsizetype i = 0; i < len; ++i) {
        const auto c = static_cast<unsigned char>(line[i]);
        if (c == ':')
            return i > 0 ? std::optional<qsizetype>(i) : std::nullopt;
        if (c <= 32 || c >= 127)
            return std::nullopt;
    }
    return std::nullopt;
}

} // namespace

FilteredHeaders keepReadHeaders(const QByteArray &message)
{
    FilteredHeaders r;
    const char *d = message.constData();
    const qsizetype n = message.size();
    QByteArray out;
    qsizetype copiedTo = 0; // bytes [0, copiedTo) are dealt with: in `out` or left out
    bool dropping = false;  // the current field is left out (its continuation lines too)
    qsizetype pos = 0;
    while (pos < n) {
        const char *nl = static_cast<const char *>(std::memchr(d + pos, '\n', size_t(n - pos)));
        const qsizetype end = nl ? (nl - d) + 1 : n;
        const qsizetype len = end - pos;
        const char *line = d + pos;
        if (line[0] == '\n' || (line[0] == '\r' && len >= 2 && line[1] == '\n'))
            break; // the blank line ending the block
        bool drop;
        if (line[0] == ' ' || line[0] == '\t') {
            drop = dropping; // a folded continuation belongs to the field before it
        } else if (const auto name = fieldName(line, len)) {
            char buf[kLongest];
            const std::string_view lower = lowered(line, *name, buf);
            drop = !kept(lower, *name);
            if (drop && marksMail(lower, *name))
                r.droppedMailHeader = true;
        } else {
            break; // not a field line: GMime decides what it is, from here on unchanged
        }
        if (drop && !dropping) {
            if (out.isEmpty())
                out.reserve(n);
            out.append(d + copiedTo, pos - copiedTo);
        } else if (!drop && dropping) {
            copiedTo = pos;
        }
        dropping = drop;
        pos = end;
    }
    if (dropping)
        copiedTo = pos;
    if (copiedTo == 0 && out.isEmpty()) {
        r.bytes = message; // nothing left out
        return r;
    }
    out.append(d + copiedTo, n - copiedTo);
    r.bytes = out;
    return r;
}

} // namespace emailrag::ingest
