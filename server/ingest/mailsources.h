#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// Expands the paths given to an import into an ordered list of files and tells, by content, what
// each one is. Thread: any. Failure: unreadable, empty or non-mail files become items carrying
// an error, so the import records them per upload instead of stopping.
namespace emailrag::ingest {

struct SourceItem
{
    enum class Kind { Mbox, MaildirMessage, Eml, Bad };
    QString path;
    Kind kind = Kind::Bad;
    QString error; // for Kind::Bad
};

// Directories are walked recursively in sorted order: files in a Maildir's cur/ and new/ are
// messages, tmp/ is skipped (messages being delivered), dot files are skipped, anything else is
// detected by content (mbox "From " envelope, or a header block: a single message).
// `format` receives "mbox", "maildir", "eml" or "mixed".
QList<SourceItem> expandSources(const QStringList &paths, QString *format = nullptr);

SourceItem detectFile(const QString &path);

} // namespace emailrag::ingest
