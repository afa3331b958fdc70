#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

// One message as read from a source, before parsing. Plain data handed from the reader to the
// parse pool and on to the writer.
namespace emailrag::ingest {

class OpenedFile;

// Where the import stands: the item (file) index in the upload's expanded source list and the
// byte offset inside it where the next unread message starts.
struct Checkpoint
{
    qint64 item = 0;
    qint64 offset = 0;
};

struct RawMessage
{
    QByteArray data;    // the message bytes exactly as in the file, without an mbox envelope line
    QString position;   // human readable, for upload_errors: "message 17 at byte 40211 of x.mbox"
    QString error;      // set when the message could not be read (then data may be empty)
    Checkpoint after;   // checkpoint once this message is committed
    qint64 ordinal = 0; // 1-based message number within its item
    bool mbox = false;  // read from an mbox: undo ">From " quoting before parsing
    QString filePath;   // when set, `data` is still to be read from this file (on a parse thread)
    std::shared_ptr<const OpenedFile> file; // filePath already open (prefetch.h), or null
};

} // namespace emailrag::ingest
