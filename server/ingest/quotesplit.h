#pragma once

#include <QString>

// Separates what the author wrote in this message from quoted reply history and the signature,
// so search and chat can weigh new text above old. Thread-safe, stateless.
namespace emailrag::ingest {

struct SplitText
{
    QString body;   // new text
    QString quoted; // quoted history ("> " lines, "On ... wrote:", Outlook "-----Original Message-----"
                    // and "Forwarded by" blocks with everything after them) and the signature ("-- ")
};

SplitText splitQuoted(const QString &text);

} // namespace emailrag::ingest
