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
};

} // namespace emailrag::ingest
