#include "mailsources.h"

#include "charset.h"
#include "mboxreader.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace emailrag::ingest {

SourceItem detectFile(const QString &path)
{
    SourceItem item;
    item.path = path;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        item.error = QStringLiteral("cannot read: %1").arg(f.errorString());
        return item;
    }
    const QByteArray head = f.read(64 * 1024);
    if (head.trimmed().isEmpty()) {
        item.error = f.size() == 0 ? QStringLiteral("empty file") : QStringLiteral("file holds only blank lines");
        return item;
    }
    if (MboxReader::looksLikeMbox(head)) {
        item.kind = SourceItem::Kind::Mbox;
        return item;
    }
    const char *p = head.constData();
    const char *end = p + head.size();
    const char *nl = static_cast<const char *>(std::memchr(p, '\n', head.size()));
    if (MboxReader::isHeaderLine(p, nl ? nl : end)) {
        item.kind = SourceItem::Kind::Eml;
        return item;
    }
    // Text without headers (a digest part, a saved body) is kept as a headerless message, with a
    // warning from the parser; binary data is not mail.
    if (!looksBinary(head.constData(), head.size())) {
        item.kind = SourceItem::Kind::Eml;
        return item;
    }
    item.error = QStringLiteral("not a mail file: binary data without an mbox \"From \" line or mail headers");
    return item;
}

QList<SourceItem> expandSources(const QStringList &paths, QString *format)
{
    QList<SourceItem> items;
    QSet<SourceItem::Kind> kinds;
    for (const QString &path : paths) {
        const QFileInfo fi(path);
        if (!fi.exists()) {
            items.append({path, SourceItem::Kind::Bad, QStringLiteral("no such file or directory")});
            continue;
        }
        if (!fi.isDir()) {
            SourceItem item = detectFile(fi.absoluteFilePath());
            kinds.insert(item.kind);
            items << item;
            continue;
        }
        QStringList files;
        QDirIterator it(fi.absoluteFilePath(), QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        while (it.hasNext())
            files << it.next();
        std::sort(files.begin(), files.end());
        for (const QString &file : files) {
            const QFileInfo info(file);
            if (info.fileName().startsWith(QLatin1Char('.')))
                continue;
            const QString parent = info.dir().dirName();
            if (parent == QLatin1String("cur") || parent == QLatin1String("new")) {
                items.append({file, SourceItem::Kind::MaildirMessage, {}});
                kinds.insert(SourceItem::Kind::MaildirMessage);
                continue;
            }
            if (parent == QLatin1String("tmp")) {
                QDir up = info.dir();
                up.cdUp();
                if (up.exists(QStringLiteral("cur")) || up.exists(QStringLiteral("new")))
                    continue; // Maildir tmp/: messages still being delivered
            }
            SourceItem item = detectFile(file);
            kinds.insert(item.kind);
            items << item;
        }
    }
    if (format) {
        kinds.remove(SourceItem::Kind::Bad);
        if (kinds.size() > 1)
            *format = QStringLiteral("mixed");
        else if (kinds.contains(SourceItem::Kind::Mbox))
            *format = QStringLiteral("mbox");
        else if (kinds.contains(SourceItem::Kind::MaildirMessage))
            *format = QStringLiteral("maildir");
        else if (kinds.contains(SourceItem::Kind::Eml))
            *format = QStringLiteral("eml");
        else
            format->clear();
    }
    return items;
}

} // namespace emailrag::ingest
