#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// One message after parsing: everything the writer stores. Plain data, made on a parse thread
// and consumed on the importer thread.
namespace emailrag::ingest {

struct ParsedAttachment
{
    QString filename;
    QString mimeType;
    qint64 size = 0;
    QString text; // extracted text for text parts (and embedded messages); null otherwise
};

// The email as the writer binds it: UTF-8 bytes, the FTS5 column texts and the thread
// candidates, all made on the parse thread (emailwriter.h: encodeForStorage) so that the single
// writer thread only binds and steps. Empty `fts` means "not encoded yet".
struct EncodedAttachment
{
    QByteArray filename;
    QByteArray mimeType;
    QByteArray text;      // UTF-8; meaningful only when hasText
    bool hasText = false; // false -> NULL in attachments.text
    qint64 size = 0;
};

struct EncodedEmail
{
    QByteArray messageId; // empty -> NULL
    QByteArray dedupKey;
    QByteArray contentHash;
    QByteArray inReplyTo; // empty -> NULL
    QByteArray refs;      // space separated; empty -> NULL
    QByteArray subject, fromName, fromAddr, to, cc, body, quoted;
    QList<EncodedAttachment> attachments;
    QList<QByteArray> chain; // referenced Message-IDs, root first, own id excluded
    QByteArray subjectKey;   // empty: no subject fallback and no thread_subjects row
    bool isReply = false;
    QByteArray newThreadId;  // "thread_" + 16 hex of sha256(root): used when no known thread
    QList<QByteArray> fts;   // subject, sender, recipients, body, quoted, attachments (CJK spaced)
    bool ftsDiffers = false; // fts is not what the view emails_fts_source gives: kept in emails_fts_cjk
    bool ftsHasNul = false; // a NUL byte in fts: bound with its length, not as a C string
};

struct ParsedEmail
{
    QString position;  // from RawMessage
    QString error;     // set: the message was not imported (reason for upload_errors)
    QStringList warnings; // imported, with these problems noted in upload_errors

    QString messageId; // without angle brackets, empty when absent
    QString dedupKey;
    QString contentHash; // sha256 hex of the raw bytes
    QString inReplyTo;
    QStringList references;
    QString subject;
    QString subjectKey; // normalised subject for thread fallback ("re:", "fwd:", "[list]" removed)
    bool isReply = false;
    QString fromName;
    QString fromAddr;
    QString to;
    QString cc;
    std::optional<qint64> dateUtc;
    std::optional<int> dateOffsetMinutes;
    QString body;
    QString quoted;
    bool bodyFromHtml = false;
    QList<ParsedAttachment> attachments;
    qint64 size = 0;
    QByteArray rawZstd;
    EncodedEmail encoded;
};

} // namespace emailrag::ingest
