#pragma once

#include <QByteArray>

// Leaves out of the bytes handed to GMime the top-level header fields the importer never reads.
//
// Why: GMime makes a GObject for every header field of a message (and parses every address
// field), and destroying those objects is about as dear as making them: its objects are the
// largest single cost of the parse threads (docs/ingestion.md). Real mail carries many fields
// nobody reads here — Received (often ten), DKIM/ARC signatures, List-*, X-* — and Enron's
// exports seven X- fields of which we read one. GMime still parses everything we keep, so this is
// not a MIME parser: it only recognises field lines ("name:" with a plain field name), their
// folded continuation lines and the blank line that ends the block. At the first line that is
// none of these it stops and copies the rest unchanged, so a malformed block reaches GMime as
// it was. Only the copy given to GMime changes; the stored original stays byte for byte.
namespace emailrag::ingest {

struct FilteredHeaders
{
    QByteArray bytes;          // the message without the left-out fields
    bool droppedMailHeader = false; // a left-out field marks text as mail (Received, Sender, ...)
};

// `message` from its first header line. Fields kept: those the parser reads (From, To, Cc,
// Subject, Date, Message-ID, References, In-Reply-To, X-From), every Content-* field and
// MIME-Version. Bcc, Sender and Reply-To go too: GMime would parse each into address objects
// nobody reads (Enron repeats every Cc list as Bcc). When nothing is left out, `bytes` shares
// `message`.
FilteredHeaders keepReadHeaders(const QByteArray &message);

} // namespace emailrag::ingest
