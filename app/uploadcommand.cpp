// `emailrag upload FILE...`: sends mail archives to the server, shows the transfer and the
// indexing, and prints how many new emails each one brought.
#include "clientsession.h"
#include "cliutil.h"

#include "connection.h"
#include "maildirpacker.h"
#include "uploadjob.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace emailrag::app {

namespace {

void drawBar(const QString &name, const QString &phase, int percent)
{
    const int width = 30;
    const int filled = std::clamp(percent, 0, 100) * width / 100;
    std::fprintf(stdout, "\r%-24s %-10s [%s%s] %3d%%", qPrintable(name.left(24)), qPrintable(phase.left(10)),
                 qPrintable(QString(filled, QLatin1Char('#'))), qPrintable(QString(width - filled, QLatin1Char('.'))), percent);
    std::fflush(stdout);
}

} // namespace

int runUploadCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Upload mail archives (mbox, .eml, zip, or a Maildir / folder of messages, sent as one mbox)\n"
        "to the server, wait until they are indexed and print the number of new emails of each.\n"
        "A progress bar is shown on a terminal.\n"
        "Without --server the files go into the local store (--data)."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Files or mail folders to upload."), QStringLiteral("FILE..."));
    parser.addOption({QStringLiteral("format"), QStringLiteral("mbox, eml or zip (default: detected by the server)."), QStringLiteral("FORMAT")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("One JSON line per file: file, upload_id, status, new_emails, error.")});
    ClientSession::addOptions(parser);
    if (const int rc = parseOrExit(parser, args); rc >= 0)
        return rc;
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty()) {
        std::fprintf(stderr, "emailrag upload: give at least one file.\nTry 'emailrag upload --help'.\n");
        return ExitUsage;
    }
    for (const QString &f : files) {
        const QFileInfo info(f);
        if (info.isDir()) {
            if (!client::isMailFolder(f)) {
                std::fprintf(stderr, "emailrag upload: the folder %s holds no message files (a Maildir's cur/ and new/, or .eml files)\n",
                             qPrintable(f));
                return ExitUsage;
            }
            continue;
        }
        if (!info.isFile() || !info.isReadable()) {
            std::fprintf(stderr, "emailrag upload: cannot read %s\n", qPrintable(f));
            return ExitUsage;
        }
    }
    const bool json = parser.isSet(QStringLiteral("json"));
    const bool bar = !json && stdoutIsTerminal();

    ClientSession session;
    if (const int rc = session.open(parser); rc >= 0)
        return rc;
    client::Connection *c = session.connection();

    int failures = 0;
    QTemporaryDir packDir; // folders travel as one mbox named after the folder
    for (const QString &path : files) {
        const QString name = QFileInfo(path).fileName();
        QString sendPath = path;
        if (QFileInfo(path).isDir()) {
            sendPath = packDir.filePath(name.isEmpty() ? QStringLiteral("mail.mbox") : name + QStringLiteral(".mbox"));
            const client::PackResult packed = client::packMaildir(path, sendPath);
            if (!packed.ok) {
                std::fprintf(stderr, "emailrag upload: %s: %s\n", qPrintable(path), qPrintable(packed.error));
                ++failures;
                continue;
            }
            if (!json)
                std::printf("%s: %d message(s) packed as one mbox\n", qPrintable(path), packed.messages);
        }
        client::UploadJob job(c, sendPath);
        if (parser.isSet(QStringLiteral("format")))
            job.setFormat(parser.value(QStringLiteral("format")));
        if (bar) {
            QObject::connect(&job, &client::UploadJob::bytesSent, &job, [name](qint64 sent, qint64 total) {
                drawBar(name, QStringLiteral("sending"), total > 0 ? int(sent * 100 / total) : 100);
            });
            QObject::connect(&job, &client::UploadJob::processing, &job, [name](const protocol::UploadProgress &p) {
                drawBar(name, p.currentOperation.isEmpty() ? protocol::uploadStatusName(p.status) : p.currentOperation, p.progress);
            });
        }
        QString error;
        QObject::connect(&job, &client::UploadJob::finished, &job, [&](const QString &, qint64) { session.done(ExitOk); });
        QObject::connect(&job, &client::UploadJob::failed, &job, [&](const QString &e) {
            error = e;
            session.done(ExitFailure);
        });
        job.start();
        const int rc = session.exec();
        if (bar)
            std::fputs("\n", stdout);
        if (rc == ExitUnauthorized || rc == ExitUnavailable)
            return rc;
        const bool ok = rc == ExitOk;
        failures += ok ? 0 : 1;
        if (json) {
            QJsonObject line{{QStringLiteral("file"), path},
                             {QStringLiteral("upload_id"), job.uploadId()},
                             {QStringLiteral("status"), ok ? QStringLiteral("completed") : QStringLiteral("failed")}};
            if (ok)
                line.insert(QStringLiteral("new_emails"), job.newEmails());
            else
                line.insert(QStringLiteral("error"), error);
            std::printf("%s\n", QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
        } else if (ok) {
            if (job.newEmails() >= 0)
                std::printf("%s: %lld new email(s) (upload %s)\n", qPrintable(path), static_cast<long long>(job.newEmails()),
                            qPrintable(job.uploadId()));
            else
                std::printf("%s: indexed (upload %s)\n", qPrintable(path), qPrintable(job.uploadId()));
        } else {
            std::fprintf(stderr, "emailrag upload: %s: %s\n", qPrintable(path), qPrintable(error));
        }
        std::fflush(stdout);
    }
    return failures ? ExitFailure : ExitOk;
}

} // namespace emailrag::app
