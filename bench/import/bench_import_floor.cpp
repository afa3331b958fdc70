// bench_import_floor MAILDIR [--batch N]
// The floor under any importer built on the libraries issue #3 prescribes: what GMime and SQLite
// FTS5 cost by themselves for the same Maildir, with none of our code around them. It answers
// "how fast could an import on this machine be at all?", next to bench_import's "how fast is ours?".
//
// 1. GMime: one thread reads every file under cur/ and new/, parses it
//    (g_mime_parser_construct_message), reads subject, From, To, Cc, Date and Message-ID, and
//    decodes every text/plain part to UTF-8 through GMime's charset filter.
// 2. FTS5: one thread inserts those texts (subject, sender, recipients, body) into a contentless
//    FTS5 table of a fresh WAL database with the store's settings (16 KiB pages, unicode61 with
//    diacritics folded, hashsize 32 MB, automerge 8), N emails per transaction (default 1,000).
//
// Left out, so the floor stays a floor: storing the rows and the compressed original, the HTML
// rendering, quote splitting, deduplication, threads, checkpoints and crash safety. HTML-only
// parts are not indexed, which makes the FTS5 part a little cheaper than ours.
// The ceiling it prints assumes a perfect two-core schedule: the serial SQLite writer needs at
// least the FTS5 time, and the two cores together at least the sum.
#include <gmime/gmime.h>
#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

struct Texts
{
    std::string subject, sender, recipients, body;
};

double threadCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

// Every regular file below a cur/ or new/ folder, in directory order (as a Maildir walk reads them).
void collectMaildir(const std::string &dir, bool inMailFolder, std::vector<std::string> &out)
{
    DIR *d = opendir(dir.c_str());
    if (!d)
        return;
    while (dirent *e = readdir(d)) {
        if (e->d_name[0] == '.')
            continue;
        const std::string path = dir + '/' + e->d_name;
        struct stat st{};
        if (stat(path.c_str(), &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            collectMaildir(path, !std::strcmp(e->d_name, "cur") || !std::strcmp(e->d_name, "new"), out);
        else if (inMailFolder && S_ISREG(st.st_mode))
            out.push_back(path);
    }
    closedir(d);
}

// Names and addresses as stored (internet_address_list_to_string would also convert every domain
// to IDN, which an importer need not do: docs/ingestion.md).
std::string addresses(InternetAddressList *list)
{
    std::string r;
    const int n = list ? internet_address_list_length(list) : 0;
    for (int i = 0; i < n; ++i) {
        InternetAddress *a = internet_address_list_get_address(list, i);
        if (const char *name = internet_address_get_name(a))
            r.append(name).push_back(' ');
        if (INTERNET_ADDRESS_IS_MAILBOX(a))
            r.append(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a))).push_back(' ');
        else if (INTERNET_ADDRESS_IS_GROUP(a))
            r.append(addresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a))));
    }
    return r;
}

void appendTextPart(GMimeObject *, GMimeObject *part, gpointer data)
{
    if (!GMIME_IS_PART(part))
        return;
    GMimeContentType *ct = g_mime_object_get_content_type(part);
    if (ct && !g_mime_content_type_is_type(ct, "text", "plain"))
        return;
    GMimeDataWrapper *content = g_mime_part_get_content(GMIME_PART(part));
    if (!content)
        return;
    GMimeStream *mem = g_mime_stream_mem_new();
    GMimeStream *filtered = g_mime_stream_filter_new(mem);
    if (const char *charset = g_mime_object_get_content_type_parameter(part, "charset")) {
        if (GMimeFilter *conv = g_mime_filter_charset_new(charset, "UTF-8")) {
            g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), conv);
            g_object_unref(conv);
        }
    }
    g_mime_data_wrapper_write_to_stream(content, filtered);
    g_mime_stream_flush(filtered);
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    auto *body = static_cast<std::string *>(data);
    body->append(reinterpret_cast<const char *>(bytes->data), bytes->len);
    g_object_unref(filtered);
    g_object_unref(mem);
}

bool parseAll(const std::vector<std::string> &files, std::vector<Texts> &out)
{
    std::vector<char> buf(1 << 20);
    for (const std::string &path : files) {
        const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        size_t len = 0;
        for (;;) {
            if (len == buf.size())
                buf.resize(buf.size() * 2);
            const ssize_t n = read(fd, buf.data() + len, buf.size() - len);
            if (n <= 0)
                break;
            len += size_t(n);
        }
        close(fd);
        GMimeStream *stream = g_mime_stream_mem_new_with_buffer(buf.data(), len);
        GMimeParser *parser = g_mime_parser_new_with_stream(stream);
        if (GMimeMessage *msg = g_mime_parser_construct_message(parser, nullptr)) {
            Texts t;
            const char *subject = g_mime_message_get_subject(msg);
            t.subject = subject ? subject : "";
            t.sender = addresses(g_mime_message_get_from(msg));
            t.recipients = addresses(g_mime_message_get_to(msg)) + ' ' + addresses(g_mime_message_get_cc(msg));
            if (GDateTime *date = g_mime_message_get_date(msg))
                (void)g_date_time_to_unix(date);
            (void)g_mime_message_get_message_id(msg);
            g_mime_message_foreach(msg, appendTextPart, &t.body);
            out.push_back(std::move(t));
            g_object_unref(msg);
        }
        g_object_unref(parser);
        g_object_unref(stream);
    }
    return !out.empty();
}

bool exec(sqlite3 *db, const char *sql)
{
    char *err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) == SQLITE_OK)
        return true;
    std::fprintf(stderr, "bench_import_floor: %s: %s\n", sql, err ? err : "?");
    sqlite3_free(err);
    return false;
}

bool indexAll(const char *path, const std::vector<Texts> &texts, int batch)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return false;
    bool ok = exec(db, "PRAGMA page_size=16384") && exec(db, "PRAGMA journal_mode=WAL")
        && exec(db, "PRAGMA synchronous=NORMAL")
        && exec(db, "CREATE VIRTUAL TABLE f USING fts5(subject, sender, recipients, body, content='',"
                    " tokenize='unicode61 remove_diacritics 2')")
        && exec(db, "INSERT INTO f (f, rank) VALUES ('automerge', 8)")
        && exec(db, "INSERT INTO f (f, rank) VALUES ('hashsize', 33554432)");
    sqlite3_stmt *insert = nullptr;
    ok = ok && sqlite3_prepare_v2(db, "INSERT INTO f (rowid, subject, sender, recipients, body) VALUES (?, ?, ?, ?, ?)",
                                  -1, &insert, nullptr) == SQLITE_OK;
    for (size_t i = 0; ok && i < texts.size(); ++i) {
        if (i % size_t(batch) == 0)
            ok = exec(db, "BEGIN IMMEDIATE");
        const Texts &t = texts[i];
        sqlite3_bind_int64(insert, 1, sqlite3_int64(i + 1));
        sqlite3_bind_text(insert, 2, t.subject.c_str(), int(t.subject.size()), SQLITE_STATIC);
        sqlite3_bind_text(insert, 3, t.sender.c_str(), int(t.sender.size()), SQLITE_STATIC);
        sqlite3_bind_text(insert, 4, t.recipients.c_str(), int(t.recipients.size()), SQLITE_STATIC);
        sqlite3_bind_text(insert, 5, t.body.c_str(), int(t.body.size()), SQLITE_STATIC);
        ok = ok && sqlite3_step(insert) == SQLITE_DONE;
        sqlite3_reset(insert);
        if (ok && ((i + 1) % size_t(batch) == 0 || i + 1 == texts.size()))
            ok = exec(db, "COMMIT");
    }
    if (!ok)
        std::fprintf(stderr, "bench_import_floor: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2 || argc == 3 || (argc == 4 && std::strcmp(argv[2], "--batch") != 0) || argc > 4) {
        std::fprintf(stderr, "usage: bench_import_floor MAILDIR [--batch N]\n");
        return 2;
    }
    const int batch = argc == 4 ? std::max(1, std::atoi(argv[3])) : 1000;
    std::vector<std::string> files;
    collectMaildir(argv[1], false, files);
    if (files.empty()) {
        std::fprintf(stderr, "bench_import_floor: no files below a cur/ or new/ folder of %s\n", argv[1]);
        return 1;
    }

    g_mime_init();
    std::vector<Texts> texts;
    texts.reserve(files.size());
    const double p0 = threadCpuSeconds();
    if (!parseAll(files, texts)) {
        std::fprintf(stderr, "bench_import_floor: no message parsed\n");
        return 1;
    }
    const double gmime = threadCpuSeconds() - p0;

    char dir[] = "/tmp/emailrag-floor-XXXXXX";
    if (!mkdtemp(dir)) {
        std::fprintf(stderr, "bench_import_floor: mkdtemp: %s\n", std::strerror(errno));
        return 1;
    }
    const std::string db = std::string(dir) + "/floor.db";
    const double f0 = threadCpuSeconds();
    const bool indexed = indexAll(db.c_str(), texts, batch);
    const double fts = threadCpuSeconds() - f0;
    for (const char *suffix : {"", "-wal", "-shm"})
        unlink((db + suffix).c_str());
    rmdir(dir);
    if (!indexed)
        return 1;

    const double n = double(texts.size());
    const double bestWall = std::max(fts, (gmime + fts) / 2);
    std::printf("floor_messages=%zu gmime_cpu_s=%.2f fts5_cpu_s=%.2f ceiling_emails_per_s=%.0f\n", texts.size(),
                gmime, fts, n / bestWall);
    g_mime_shutdown();
    return 0;
}
