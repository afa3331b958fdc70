#include "messageparser.h"

#include "headerfilter.h"

#include "charset.h"
#include "htmltext.h"
#include "mboxreader.h"
#include "prefetch.h"
#include "quotesplit.h"

#include <gmime/gmime.h>
#include <openssl/evp.h>
#include <lz4frame.h>
#include <zstd.h>

#include <QCryptographicHash>
#include <QFile>
#include <QRegularExpression>

#include <cerrno>
#include <cstring>
#include <mutex>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcIngest, "emailrag.ingest")

namespace emailrag::ingest {

namespace {


// GMime returns plain C strings it owns (const char *) or ones we must g_free (char *).
QString fromGChar(const char *s)
{
    if (!s)
        return {};
    QString r = QString::fromUtf8(s);
    if (r.contains(QChar(0)))
        r.remove(QChar(0));
    return r;
}

QString takeGChar(char *s)
{
    QString r = fromGChar(s);
    g_free(s);
    return r;
}

QString oneLine(QString s)
{
    for (QChar &c : s) {
        if (c == QLatin1Char('\n') || c == QLatin1Char('\r') || c == QLatin1Char('\t'))
            c = QLatin1Char(' ');
    }
    return s.simplified();
}

// A GMime parser and its options per parse thread, reused for every message
// (g_mime_parser_init_with_stream starts the parser afresh on the next message's stream): a
// parser is a GObject holding a scan buffer of several KB, and the options a copied charset list.
struct ThreadParser
{
    GMimeParserOptions *options = g_mime_parser_options_new();
    GMimeParser *parser = g_mime_parser_new();
    ThreadParser()
    {
        const char *fallback[] = {"UTF-8", "windows-1252", nullptr};
        g_mime_parser_options_set_fallback_charsets(options, fallback);
        g_mime_parser_options_set_rfc2047_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_address_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_parameter_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_allow_addresses_without_domain(options, TRUE);
    }
    ~ThreadParser()
    {
        g_object_unref(parser);
        g_mime_parser_options_free(options);
    }
    ThreadParser(const ThreadParser &) = delete;
    ThreadParser &operator=(const ThreadParser &) = delete;
    static ThreadParser &get()
    {
        thread_local ThreadParser tp;
        return tp;
    }
};

template<typename T>
struct GObjectPtr
{
    T *p = nullptr;
    explicit GObjectPtr(T *ptr) : p(ptr) { }
    ~GObjectPtr()
    {
        if (p)
            g_object_unref(p);
    }
    GObjectPtr(const GObjectPtr &) = delete;
    GObjectPtr &operator=(const GObjectPtr &) = delete;
};

struct Context
{
    const ParseLimits &limits;
    QStringList plain;
    QStringList html;
    QList<ParsedAttachment> attachments;
    QStringList warnings;
    int parts = 0;
    bool partsWarned = false;
    bool depthWarned = false;
    bool charsetWarned = false;
};

QByteArray decodedContent(GMimePart *part)
{
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    if (!content)
        return {};
    GMimeStream *stream = g_mime_stream_mem_new();
    g_mime_data_wrapper_write_to_stream(content, stream);
    GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
    QByteArray out(reinterpret_cast<const char *>(ba->data), ba->len);
    g_object_unref(stream);
    return out;
}

QString decodeText(Context &ctx, GMimeObject *obj, const QByteArray &bytes)
{
    const char *charset = g_mime_object_get_content_type_parameter(obj, "charset");
    QByteArray label = charset ? QByteArray(charset) : QByteArray();
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    if (label.isEmpty() && ct && g_mime_content_type_is_type(ct, "text", "html"))
        label = htmlMetaCharset(bytes); // HTML often declares its charset only in a <meta> tag
    DecodeResult r = decodeToUnicode(bytes, label);
    if (r.fellBack && !ctx.charsetWarned) {
        ctx.charsetWarned = true;
        ctx.warnings << QStringLiteral("undecodable text in charset \"%1\"; decoded with a fallback (UTF-8 or windows-1252)")
                            .arg(QString::fromUtf8(charset ? charset : "").left(60));
    }
    return r.text;
}

QString messageToText(Context &ctx, GMimeMessage *msg, int depth);

void walk(Context &ctx, GMimeObject *obj, int depth)
{
    if (!obj)
        return;
    if (++ctx.parts > ctx.limits.maxParts) {
        if (!ctx.partsWarned) {
            ctx.partsWarned = true;
            ctx.warnings << QStringLiteral("more than %1 MIME parts; the rest were not indexed").arg(ctx.limits.maxParts);
        }
        return;
    }
    if (depth > ctx.limits.maxDepth) {
        if (!ctx.depthWarned) {
            ctx.depthWarned = true;
            ctx.warnings << QStringLiteral("MIME nesting deeper than %1 levels; deeper parts were not indexed")
                                .arg(ctx.limits.maxDepth);
        }
        return;
    }
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    if (GMIME_IS_MULTIPART(obj)) {
        GMimeMultipart *mp = GMIME_MULTIPART(obj);
        const int n = g_mime_multipart_get_count(mp);
        if (ct && g_mime_content_type_is_type(ct, "multipart", "alternative") && n > 0) {
            // Prefer a plain text alternative; else the last (richest) one.
            for (int i = 0; i < n; ++i) {
                GMimeObject *child = g_mime_multipart_get_part(mp, i);
                GMimeContentType *cct = g_mime_object_get_content_type(child);
                if (GMIME_IS_PART(child) && cct && g_mime_content_type_is_type(cct, "text", "plain")) {
                    const qsizetype before = ctx.plain.size();
                    walk(ctx, child, depth + 1);
                    if (ctx.plain.size() > before && !ctx.plain.last().trimmed().isEmpty())
                        return;
                }
            }
            walk(ctx, g_mime_multipart_get_part(mp, n - 1), depth + 1);
            return;
        }
        const bool signedPart = ct && g_mime_content_type_is_type(ct, "multipart", "signed");
        for (int i = 0; i < n; ++i) {
            if (signedPart && i > 0)
                break; // the signature itself is not text
            walk(ctx, g_mime_multipart_get_part(mp, i), depth + 1);
        }
        return;
    }
    if (GMIME_IS_MESSAGE_PART(obj)) {
        GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
        ParsedAttachment a;
        a.mimeType = QStringLiteral("message/rfc822");
        if (inner) {
            const QString subject = oneLine(fromGChar(g_mime_message_get_subject(inner)));
            a.filename = (subject.isEmpty() ? QStringLiteral("message") : subject.left(120)) + QStringLiteral(".eml");
            a.text = messageToText(ctx, inner, depth + 1).left(ctx.limits.maxAttachmentText);
            a.size = a.text.toUtf8().size();
        }
        ctx.attachments << a;
        return;
    }
    if (!GMIME_IS_PART(obj))
        return;
    GMimePart *part = GMIME_PART(obj);
    const QString filename = oneLine(fromGChar(g_mime_part_get_filename(part)));
    GMimeContentDisposition *disp = g_mime_object_get_content_disposition(obj);
    const bool isText = !ct || g_mime_content_type_is_type(ct, "text", "*");
    const bool isPlain = !ct || g_mime_content_type_is_type(ct, "text", "plain");
    const bool isHtml = ct && g_mime_content_type_is_type(ct, "text", "html");
    const bool attachment = (disp && g_mime_content_disposition_is_attachment(disp)) || !filename.isEmpty()
        || !(isPlain || isHtml);
    if (!attachment) {
        const QString text = decodeText(ctx, obj, decodedContent(part));
        (isHtml ? ctx.html : ctx.plain) << text;
        return;
    }
    ParsedAttachment a;
    a.filename = filename;
    a.mimeType = ct ? takeGChar(g_mime_content_type_get_mime_type(ct)).toLower() : QStringLiteral("text/plain");
    const QByteArray data = decodedContent(part);
    a.size = data.size();
    if (isText) {
        QString text = decodeText(ctx, obj, data.left(ctx.limits.maxAttachmentText * 4));
        if (isHtml)
            text = htmlToText(text);
        a.text = text.left(ctx.limits.maxAttachmentText);
    }
    ctx.attachments << a;
}

// GMime's quoting of a display name (g_mime_utils_quote_string): quoted when it holds a
// tspecial or '.' outside quotes; backslashes always escaped, quotes escaped inside the quotes.
void appendQuotedName(QByteArray &out, const char *name)
{
    static constexpr char specials[] = "()<>@,;:\\\"/[]?=.";
    bool inQuotes = false;
    bool quote = false;
    for (const char *p = name; *p; ++p) {
        if (*p == '\\') {
            if (!*++p)
                break;
        } else if (*p == '"') {
            inQuotes = !inQuotes;
        } else if (!inQuotes && std::strchr(specials, *p)) {
            quote = true;
            break;
        }
    }
    if (quote)
        out += '"';
    for (const char *p = name; *p; ++p) {
        if ((*p == '"' && quote) || *p == '\\')
            out += '\\';
        out += *p;
    }
    if (quote)
        out += '"';
}

void appendAddressList(QByteArray &out, InternetAddressList *list);

void appendAddress(QByteArray &out, InternetAddress *a)
{
    const char *name = internet_address_get_name(a);
    if (INTERNET_ADDRESS_IS_GROUP(a)) {
        appendQuotedName(out, name ? name : "");
        out += ": ";
        appendAddressList(out, internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)));
        out += ';';
        return;
    }
    const char *addr = INTERNET_ADDRESS_IS_MAILBOX(a) ? internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)) : nullptr;
    if (name && *name) {
        appendQuotedName(out, name);
        out += " <";
        out += addr ? addr : "";
        out += '>';
    } else if (addr) {
        out += addr;
    }
}

void appendAddressList(QByteArray &out, InternetAddressList *list)
{
    const int n = list ? internet_address_list_length(list) : 0;
    for (int i = 0; i < n; ++i) {
        if (i > 0)
            out += ", ";
        appendAddress(out, internet_address_list_get_address(list, i));
    }
}

// "Name <addr>, "Last, First" <addr2>" as internet_address_list_to_string(list, NULL, FALSE)
// writes it, but built here: GMime's version converts every address to IDN (libidn2, Unicode
// normalisation) and folds lines, which cost more than parsing the whole message on Enron's
// long recipient lists. The address is kept as parsed (a UTF-8 domain stays readable).
QString addressListText(InternetAddressList *list)
{
    if (!list || internet_address_list_length(list) == 0)
        return {};
    QByteArray out;
    out.reserve(64 * internet_address_list_length(list));
    appendAddressList(out, list);
    return oneLine(fromGChar(out.constData()));
}

QString messageToText(Context &ctx, GMimeMessage *msg, int depth)
{
    QString head;
    const QString from = addressListText(g_mime_message_get_from(msg));
    const QString subject = oneLine(fromGChar(g_mime_message_get_subject(msg)));
    if (!from.isEmpty())
        head += QStringLiteral("From: %1\n").arg(from);
    if (!subject.isEmpty())
        head += QStringLiteral("Subject: %1\n").arg(subject);
    Context inner{ctx.limits, {}, {}, {}, {}, ctx.parts, ctx.partsWarned, ctx.depthWarned, ctx.charsetWarned};
    walk(inner, g_mime_message_get_mime_part(msg), depth + 1);
    ctx.parts = inner.parts;
    ctx.partsWarned = inner.partsWarned;
    ctx.depthWarned = inner.depthWarned;
    ctx.charsetWarned = inner.charsetWarned;
    ctx.warnings << inner.warnings;
    ctx.attachments << inner.attachments;
    QString body = inner.plain.join(QStringLiteral("\n\n"));
    if (body.trimmed().isEmpty() && !inner.html.isEmpty())
        body = htmlToText(inner.html.join(QStringLiteral("\n\n")));
    return head + QLatin1Char('\n') + body;
}

QStringList parseIds(GMimeParserOptions *options, const char *header)
{
    QStringList ids;
    if (!header)
        return ids;
    GMimeReferences *refs = g_mime_references_parse(options, header);
    if (!refs)
        return ids;
    const int n = g_mime_references_length(refs);
    for (int i = 0; i < n && i < 200; ++i) {
        const QString id = fromGChar(g_mime_references_get_message_id(refs, i)).trimmed();
        if (!id.isEmpty() && !ids.contains(id))
            ids << id.left(500);
    }
    g_mime_references_free(refs);
    return ids;
}

// headerfilter.cpp leaves some of these fields out before GMime sees them and reports it
// (marksMail there): a name added here that the filter drops must be added there too.
bool hasMailHeaders(GMimeObject *obj)
{
    static const char *const known[] = {"from", "to", "subject", "date", "message-id", "received", "return-path",
                                        "mime-version", "content-type", "cc", "sender", "reply-to", "delivered-to",
                                        "x-mailer", "references", "in-reply-to", "newsgroups"};
    GMimeHeaderList *headers = g_mime_object_get_header_list(obj);
    const int n = headers ? g_mime_header_list_get_count(headers) : 0;
    for (int i = 0; i < n; ++i) {
        const char *name = g_mime_header_get_name(g_mime_header_list_get_header_at(headers, i));
        for (const char *k : known) {
            if (name && g_ascii_strcasecmp(name, k) == 0)
                return true;
        }
    }
    return false;
}

// The original is stored as an LZ4 frame (magic 04 22 4D 18, content size in the header). Enron,
// 43,603 messages: 59.5 % of the bytes at 6.6-7.2 us per message, against zstd level 1 (stores
// before session 4): 43.2 % at 14.7-17.5 us. The parse threads are half of the import's CPU, the
// extra bytes cost the writer little (WAL writes are under a tenth of its time).
// decompressOriginal() reads both formats.
//
// One compression context per parse thread, kept for the thread's life: LZ4F_compressFrame()
// sets up a fresh one per call and clears its 16 KB hash table twice (LZ4_initStream, then the
// one-shot block compressor's own reset), where a reused context is reset cheaply. With
// autoFlush, independent blocks and the smallest block size that holds the message, the frame
// is the one LZ4F_compressFrame() makes, byte for byte (compressed straight from `raw`).
struct Lz4Context
{
    LZ4F_cctx *cctx = nullptr;
    Lz4Context()
    {
        if (LZ4F_isError(LZ4F_createCompressionContext(&cctx, LZ4F_VERSION)))
            cctx = nullptr;
    }
    ~Lz4Context() { LZ4F_freeCompressionContext(cctx); }
    Lz4Context(const Lz4Context &) = delete;
    Lz4Context &operator=(const Lz4Context &) = delete;
};

size_t compressWith(LZ4F_cctx *cctx, char *out, size_t capacity, const QByteArray &raw, const LZ4F_preferences_t &prefs)
{
    const size_t head = LZ4F_compressBegin(cctx, out, capacity, &prefs);
    if (LZ4F_isError(head))
        return head;
    const size_t body
        = LZ4F_compressUpdate(cctx, out + head, capacity - head, raw.constData(), size_t(raw.size()), nullptr);
    if (LZ4F_isError(body))
        return body;
    const size_t tail = LZ4F_compressEnd(cctx, out + head + body, capacity - head - body, nullptr);
    return LZ4F_isError(tail) ? tail : head + body + tail;
}

QByteArray compress(const QByteArray &raw)
{
    thread_local Lz4Context context;
    LZ4F_preferences_t prefs;
    std::memset(&prefs, 0, sizeof prefs);
    prefs.frameInfo.contentSize = quint64(raw.size());
    const qsizetype size = raw.size();
    prefs.frameInfo.blockSizeID = size <= 64 * 1024 ? LZ4F_max64KB
        : size <= 256 * 1024                        ? LZ4F_max256KB
        : size <= 1024 * 1024                       ? LZ4F_max1MB
                                                    : LZ4F_max4MB;
    prefs.frameInfo.blockMode = LZ4F_blockIndependent;
    prefs.autoFlush = 1;
    QByteArray out;
    out.resize(qsizetype(LZ4F_compressFrameBound(size_t(raw.size()), &prefs)));
    const size_t n = context.cctx
        ? compressWith(context.cctx, out.data(), size_t(out.size()), raw, prefs)
        : LZ4F_compressFrame(out.data(), size_t(out.size()), raw.constData(), size_t(raw.size()), &prefs);
    if (LZ4F_isError(n))
        return {};
    out.resize(qsizetype(n));
    return out;
}

// mboxo/mboxrd: undo one level of ">From " quoting at line starts (only for parsing; the raw bytes
// keep the file's form).
QByteArray unquoteFromLines(const QByteArray &in)
{
    if (!in.contains("\n>"))
        return in;
    QByteArray out = in;
    qsizetype pos = 0;
    while ((pos = out.indexOf("\n>", pos)) >= 0) {
        qsizetype q = pos + 2;
        while (q < out.size() && out[q] == '>')
            ++q;
        if (out.mid(q, 5) == "From ")
            out.remove(pos + 1, 1);
        pos += 1;
    }
    return out;
}

} // namespace

// OpenSSL's SHA-256 (SHA-NI/AVX2 code paths) is several times faster than QCryptographicHash's
// portable one, and every raw message is hashed.
QByteArray sha256(const QByteArray &data)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.constData(), size_t(data.size()), md, &len, EVP_sha256(), nullptr) != 1)
        return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
    return QByteArray(reinterpret_cast<const char *>(md), int(len));
}

std::optional<QByteArray> decompressOriginal(const QByteArray &stored)
{
    const auto *b = reinterpret_cast<const unsigned char *>(stored.constData());
    if (stored.size() >= 4 && b[0] == 0x28 && b[1] == 0xB5 && b[2] == 0x2F && b[3] == 0xFD) { // zstd frame
        const unsigned long long size = ZSTD_getFrameContentSize(stored.constData(), size_t(stored.size()));
        if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1ULL << 31))
            return std::nullopt;
        QByteArray out(qsizetype(size), Qt::Uninitialized);
        const size_t n = ZSTD_decompress(out.data(), size_t(out.size()), stored.constData(), size_t(stored.size()));
        if (ZSTD_isError(n) || n != size)
            return std::nullopt;
        return out;
    }
    if (stored.size() >= 4 && b[0] == 0x04 && b[1] == 0x22 && b[2] == 0x4D && b[3] == 0x18) { // LZ4 frame
        LZ4F_dctx *dctx = nullptr;
        if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION)))
            return std::nullopt;
        LZ4F_frameInfo_t info;
        std::memset(&info, 0, sizeof info);
        size_t consumed = size_t(stored.size());
        std::optional<QByteArray> result;
        if (!LZ4F_isError(LZ4F_getFrameInfo(dctx, &info, stored.constData(), &consumed)) && info.contentSize <= (1ULL << 31)) {
            QByteArray out(qsizetype(info.contentSize), Qt::Uninitialized);
            size_t outPos = 0;
            size_t inPos = consumed;
            size_t hint = 1;
            while (hint != 0 && inPos < size_t(stored.size())) {
                size_t outSize = size_t(out.size()) - outPos;
                size_t inSize = size_t(stored.size()) - inPos;
                hint = LZ4F_decompress(dctx, out.data() + outPos, &outSize, stored.constData() + inPos, &inSize, nullptr);
                if (LZ4F_isError(hint))
                    break;
                outPos += outSize;
                inPos += inSize;
                if (outSize == 0 && inSize == 0)
                    break;
            }
            if (hint == 0 && outPos == size_t(out.size()))
                result = std::move(out);
        }
        LZ4F_freeDecompressionContext(dctx);
        return result;
    }
    return std::nullopt;
}

void loadMessageFile(RawMessage &raw)
{
    // POSIX open/fstat/read instead of QFile: QFile::open stats the path again and readAll reads
    // in growing chunks; on a Maildir of 43,603 small files that was about a tenth of the parse
    // threads' time. Files that are not regular (or fail) fall back to QFile for its messages.
    // The descriptor the read-ahead opened is used when it kept one (prefetch.h); it closes when
    // `ahead` goes, at the end of this function.
    const std::shared_ptr<const OpenedFile> ahead = std::move(raw.file);
    const int fd = ahead ? ahead->fd() : ::open(QFile::encodeName(raw.filePath).constData(), O_RDONLY | O_CLOEXEC);
    const auto closeOwn = [&] {
        if (fd >= 0 && !ahead)
            ::close(fd);
    };
    struct stat st {};
    if (fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        raw.data.resize(qsizetype(st.st_size));
        qsizetype got = 0;
        while (got < raw.data.size()) {
            const ssize_t n = ::read(fd, raw.data.data() + got, size_t(raw.data.size() - got));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            got += n;
        }
        raw.data.truncate(got); // a file that shrank while being read keeps what was there
        closeOwn();
    } else {
        closeOwn();
        QFile f(raw.filePath);
        if (!f.open(QIODevice::ReadOnly)) {
            raw.error = QStringLiteral("cannot read: %1").arg(f.errorString());
            return;
        }
        raw.data = f.readAll();
    }
    if (raw.data.startsWith("From ") && MboxReader::looksLikeMbox(raw.data.left(64 * 1024)))
        raw.data.remove(0, raw.data.indexOf('\n') + 1);
    if (raw.data.isEmpty())
        raw.error = QStringLiteral("empty file");
}

void initGMime()
{
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

QString normaliseSubject(const QString &subject, bool *isReply)
{
    static const QRegularExpression prefix(
        QStringLiteral("^\\s*((re|aw|sv|antw|vs|fw|fwd|wg|tr|rif)(\\[\\d+\\]|\\(\\d+\\))?\\s*:|\\[[^\\]]{1,40}\\])\\s*"),
        QRegularExpression::CaseInsensitiveOption);
    QString s = subject;
    bool reply = false;
    for (int i = 0; i < 20; ++i) {
        const QRegularExpressionMatch m = prefix.match(s);
        if (!m.hasMatch())
            break;
        const QString word = m.captured(2).toLower();
        if (word == QLatin1String("re") || word == QLatin1String("aw") || word == QLatin1String("sv")
            || word == QLatin1String("antw") || word == QLatin1String("vs") || word == QLatin1String("rif"))
            reply = true;
        s = s.mid(m.capturedLength());
    }
    if (isReply)
        *isReply = reply;
    return s.simplified().toLower();
}

ParsedEmail parseMessage(const RawMessage &raw, bool fromMbox, const ParseLimits &limits)
{
    initGMime();
    ParsedEmail e;
    e.position = raw.position;
    e.size = raw.data.size();
    if (!raw.error.isEmpty()) {
        e.error = raw.error;
        return e;
    }
    if (raw.data.trimmed().isEmpty()) {
        e.error = QStringLiteral("empty message");
        return e;
    }
    if (raw.data.size() > limits.maxMessageBytes) {
        e.error = QStringLiteral("message of %1 bytes exceeds the limit of %2 bytes").arg(raw.data.size()).arg(limits.maxMessageBytes);
        return e;
    }
    // The header block ends at the first blank line ("\n\n" or "\n\r\n"); memchr is much faster
    // than QByteArray::indexOf for this two-byte needle.
    qsizetype headerEnd = -1;
    {
        const char *d = raw.data.constData();
        const qsizetype n = raw.data.size();
        for (const char *p = d; (p = static_cast<const char *>(std::memchr(p, '\n', n - (p - d)))); ++p) {
            const qsizetype i = p - d;
            if ((i + 1 < n && d[i + 1] == '\n') || (i + 2 < n && d[i + 1] == '\r' && d[i + 2] == '\n')) {
                headerEnd = i;
                break;
            }
        }
    }
    if (headerEnd < 0)
        headerEnd = raw.data.size();
    if (headerEnd > limits.maxHeaderBytes) {
        e.error = QStringLiteral("header block of %1 bytes exceeds the limit of %2 bytes").arg(headerEnd).arg(limits.maxHeaderBytes);
        return e;
    }

    QByteArray parseBytes = fromMbox ? unquoteFromLines(raw.data) : raw.data;
    if (std::memchr(parseBytes.constData(), 0, headerEnd)) {
        e.warnings << QStringLiteral("NUL byte in the header block (replaced by a space)");
        for (qsizetype i = 0; i < headerEnd; ++i) {
            if (parseBytes[i] == 0)
                parseBytes[i] = ' ';
        }
    }

    // GMime gets only the header fields we read (headerfilter.h); the original is kept as it was.
    FilteredHeaders filtered = keepReadHeaders(parseBytes);
    parseBytes = std::move(filtered.bytes);
    const bool droppedMailHeader = filtered.droppedMailHeader;

    ThreadParser &tp = ThreadParser::get();
    GMimeParserOptions *options = tp.options;
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(parseBytes.constData(), parseBytes.size()));
    g_mime_parser_init_with_stream(tp.parser, stream.p);
    g_mime_parser_set_format(tp.parser, GMIME_FORMAT_MESSAGE);
    GObjectPtr<GMimeMessage> msg(g_mime_parser_construct_message(tp.parser, options));
    if (!msg.p && !looksBinary(raw.data.constData(), raw.data.size())) {
        // GMime wants a header block; give headerless text an empty one.
        parseBytes.prepend('\n');
        GObjectPtr<GMimeStream> s2(g_mime_stream_mem_new_with_buffer(parseBytes.constData(), parseBytes.size()));
        GObjectPtr<GMimeParser> p2(g_mime_parser_new_with_stream(s2.p));
        g_mime_parser_set_format(p2.p, GMIME_FORMAT_MESSAGE);
        msg.p = g_mime_parser_construct_message(p2.p, options); // msg.p was null: nothing to release
    }
    const bool mailHeaders = msg.p && (droppedMailHeader || hasMailHeaders(GMIME_OBJECT(msg.p)));
    if (!msg.p || (!mailHeaders && looksBinary(raw.data.constData(), raw.data.size()))) {
        e.error = QStringLiteral("not an email: binary data without mail headers");
        return e;
    }
    if (!mailHeaders)
        e.warnings << QStringLiteral("no mail headers; kept as a plain text message");

    e.messageId = oneLine(fromGChar(g_mime_message_get_message_id(msg.p))).left(500);
    e.subject = oneLine(fromGChar(g_mime_message_get_subject(msg.p)));
    e.subjectKey = normaliseSubject(e.subject, &e.isReply);
    e.references = parseIds(options, g_mime_object_get_header(GMIME_OBJECT(msg.p), "References"));
    const QStringList irt = parseIds(options, g_mime_object_get_header(GMIME_OBJECT(msg.p), "In-Reply-To"));
    if (!irt.isEmpty())
        e.inReplyTo = irt.first();
    e.references.removeAll(e.messageId);

    if (InternetAddressList *from = g_mime_message_get_from(msg.p); from && internet_address_list_length(from) > 0) {
        InternetAddress *a = internet_address_list_get_address(from, 0);
        if (INTERNET_ADDRESS_IS_GROUP(a)) {
            InternetAddressList *members = internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a));
            if (members && internet_address_list_length(members) > 0)
                a = internet_address_list_get_address(members, 0);
        }
        e.fromName = oneLine(fromGChar(internet_address_get_name(a)));
        if (INTERNET_ADDRESS_IS_MAILBOX(a))
            e.fromAddr = oneLine(fromGChar(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a))));
    } else {
        e.fromName = oneLine(fromGChar(g_mime_object_get_header(GMIME_OBJECT(msg.p), "From")));
    }
    if (e.fromName.isEmpty()) {
        // Exports such as the Enron corpus keep the sender's display name only in X-From
        // ("Scott Neal" or "Scott Neal <Scott Neal/HOU/ECT@ECT>"); without it from:scott misses.
        QString xfrom = oneLine(fromGChar(g_mime_object_get_header(GMIME_OBJECT(msg.p), "X-From")));
        if (const qsizetype lt = xfrom.indexOf(QLatin1Char('<')); lt > 0)
            xfrom = xfrom.left(lt).trimmed();
        xfrom.remove(QLatin1Char('"'));
        if (!xfrom.contains(QLatin1Char('@')) && xfrom.size() <= 200)
            e.fromName = xfrom.trimmed();
    }
    e.to = addressListText(g_mime_message_get_to(msg.p));
    e.cc = addressListText(g_mime_message_get_cc(msg.p));
    if (GDateTime *date = g_mime_message_get_date(msg.p)) {
        e.dateUtc = g_date_time_to_unix(date);
        e.dateOffsetMinutes = int(g_date_time_get_utc_offset(date) / G_TIME_SPAN_MINUTE);
    }

    Context ctx{limits, {}, {}, {}, {}, 0, false, false, false};
    walk(ctx, g_mime_message_get_mime_part(msg.p), 0);

    QString text = ctx.plain.join(QStringLiteral("\n\n"));
    if (text.trimmed().isEmpty() && !ctx.html.isEmpty()) {
        text = htmlToText(ctx.html.join(QStringLiteral("\n\n")));
        e.bodyFromHtml = true;
    }
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    const SplitText split = splitQuoted(text);
    e.body = split.body;
    e.quoted = split.quoted;
    e.attachments = ctx.attachments;
    e.warnings << ctx.warnings;

    e.contentHash = QString::fromLatin1(sha256(raw.data).toHex());
    e.dedupKey = e.messageId.isEmpty() ? QStringLiteral("sha256:") + e.contentHash : e.messageId;
    e.rawZstd = compress(raw.data);
    if (e.rawZstd.isEmpty())
        e.error = QStringLiteral("could not compress the raw message");
    return e;
}

} // namespace emailrag::ingest
