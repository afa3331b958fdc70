#include "maildirpacker.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <algorithm>

namespace emailrag::client {

namespace {

QStringList messageFiles(const QString &folder)
{
    QStringList files;
    QDirIterator it(folder, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString rel = QDir(folder).relativeFilePath(path);
        const QStringList parts = rel.split(QLatin1Char('/'));
        bool skip = false;
        for (const QString &p : parts)
            skip = skip || p.startsWith(QLatin1Char('.'));
        // Maildir tmp/ holds messages still being delivered.
        for (int i = 0; i + 1 < parts.size(); ++i)
            skip = skip || parts[i] == QLatin1String("tmp");
        if (!skip)
            files << path;
    }
    std::sort(files.begin(), files.end());
    return files;
}

bool isFromLine(const QByteArray &line)
{
    int i = 0;
    while (i < line.size() && line[i] == '>')
        ++i;
    return line.mid(i, 5) == "From ";
}

} // namespace

bool isMailFolder(const QString &path)
{
    const QFileInfo info(path);
    return info.isDir() && !messageFiles(path).isEmpty();
}

PackResult packMaildir(const QString &folder, const QString &mboxPath)
{
    PackResult result;
    const QStringList files = messageFiles(folder);
    if (files.isEmpty()) {
        result.noMessages = true;
        result.error = QStringLiteral("the folder %1 holds no messages").arg(folder);
        return result;
    }
    QSaveFile out(mboxPath);
    if (!out.open(QIODevice::WriteOnly)) {
        result.error = out.errorString();
        return result;
    }
    for (const QString &path : files) {
        QFile in(path);
        if (!in.open(QIODevice::ReadOnly))
            continue; // unreadable: the rest still goes
        QByteArray data = in.readAll();
        if (data.isEmpty())
            continue;
        qsizetype pos = 0;
        // A message file that already starts with an mbox envelope keeps it.
        if (data.startsWith("From ")) {
            const qsizetype eol = data.indexOf('\n');
            out.write(data.left(eol < 0 ? data.size() : eol + 1));
            pos = eol < 0 ? data.size() : eol + 1;
        } else {
            out.write("From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n");
        }
        while (pos < data.size()) {
            qsizetype eol = data.indexOf('\n', pos);
            const qsizetype end = eol < 0 ? data.size() : eol + 1;
            const QByteArray line = data.mid(pos, end - pos);
            if (isFromLine(line))
                out.write(">");
            out.write(line);
            pos = end;
        }
        if (!data.endsWith('\n'))
            out.write("\n");
        out.write("\n");
        ++result.messages;
    }
    if (!out.commit()) {
        result.error = out.errorString();
        return result;
    }
    result.ok = result.messages > 0;
    return result;
}

} // namespace emailrag::client
