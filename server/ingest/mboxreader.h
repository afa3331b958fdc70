#pragma once

#include "rawmessage.h"

#include <QByteArray>
#include <QFile>
#include <QString>

// Streams the messages of one mbox file, reading it in chunks so memory stays flat whatever the
// file size. Thread: any, one at a time. Owner: the import job. Failure: read errors end the
// stream with RawMessage::error set.
//
// Why our own boundary scan instead of GMime's GMIME_FORMAT_MBOX: GMime splits the R-devel
// pipermail archive into 14,689 messages instead of 77,342 (it rejects envelope lines whose
// sender has spaces, "From user at host  Tue Apr  1 ..."). Each message is still parsed by GMime.
// The rule (see isBoundaryAt): a line starting "From " is a message boundary when the next line is
// a header line and either it carries an envelope date (a hh:mm time and a year) or it follows a
// blank line and looks like "From addr", or it is Netscape's "From - "; a valid Content-Length (mboxcl,
// Netscape, MimeKit's test file) wins over the scan. ">From " quoting (mboxo/mboxrd) is left in
// the raw bytes and undone only for parsing.
namespace emailrag::ingest {

class MboxReader
{
public:
    explicit MboxReader(const QString &path);

    bool open(qint64 startOffset, QString *error);
    // Next message, false at the end of the file. `ordinal` numbers messages from startOffset.
    bool next(RawMessage &out);
    qint64 offset() const { return m_fileOffset + m_pos; } // where the next message starts

    // Counts messages with the same rule, fast (used for the total before importing).
    static qint64 countMessages(const QString &path, qint64 startOffset = 0);
    // True when `head` (the first bytes of a file) looks like an mbox: "From " envelope line
    // followed by a header line.
    static bool looksLikeMbox(const QByteArray &head);
    static bool isHeaderLine(const char *p, const char *end);
    static bool hasEnvelopeDate(const char *p, const char *end);

    static constexpr qint64 kChunk = 1024 * 1024;

private:
    // One message's place in m_buf: its envelope line, its header block, where its bytes end
    // (without the blank separator line) and where the next message starts.
    struct Span
    {
        qint64 start = 0;
        qint64 headerStart = 0;
        qint64 dataEnd = 0;
        qint64 end = 0;
    };
    // Finds the next message and moves past it; false at the end of the file. The span's
    // indexes are valid until the next call.
    bool scanNext(Span &span);
    bool fill(); // appends the next chunk; false at EOF
    void compact();
    // Index in m_buf of the start of the next boundary line at or after `from`, -1 when none in
    // the data read so far and EOF reached.
    qint64 findBoundary(qint64 from, qint64 messageStart);
    qint64 contentLengthEnd(qint64 headerStart);
    bool isBoundaryAt(qint64 lineStart);

    QString m_path;
    QString m_name; // the file name, for positions ("message 17 at byte 40211 of x.mbox")
    QFile m_file;
    QByteArray m_buf;
    qint64 m_fileOffset = 0; // file offset of m_buf[0]
    qint64 m_pos = 0;        // current position in m_buf
    bool m_eof = false;
    qint64 m_ordinal = 0;
};

} // namespace emailrag::ingest
