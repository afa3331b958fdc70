// emailrag import PATH... [--user NAME] [--data DIR]
// Imports mbox files, Maildir trees and .eml files into the local store, headless. Resumes any
// import of the same user that a crash or kill left half done, then imports PATH... as a new
// upload. Progress bar on a terminal, one plain line per committed batch otherwise; a summary at
// the end. Exit 0 when the import completed (even with some failed messages), 1 when it failed.

#include "cliutil.h"

#include "database.h"
#include "importer.h"
#include "uploads.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QSet>
#include <QLocale>

#include <cstdio>

namespace emailrag::app {

namespace {

using ingest::ImportProgress;
using ingest::ImportSummary;

QString number(qint64 n) { return QLocale::c().toString(n); }

QString duration(qint64 secs)
{
    if (secs < 0)
        return QStringLiteral("?");
    return QStringLiteral("%1:%2").arg(secs / 60).arg(secs % 60, 2, 10, QLatin1Char('0'));
}

void printProgress(const ImportProgress &p, bool tty)
{
    if (tty) {
        const int width = 30;
        const int filled = p.percent() * width / 100;
        const QString bar = QString(filled, QLatin1Char('#')) + QString(width - filled, QLatin1Char('.'));
        std::fprintf(stdout, "\r[%s] %3d%%  %s/%s emails  %s/s  ETA %s  %-16s", qPrintable(bar), p.percent(),
                     qPrintable(number(p.emailsProcessed)), qPrintable(number(p.totalEmails)),
                     qPrintable(number(qint64(p.emailsPerSecond))), qPrintable(duration(p.etaSeconds)),
                     qPrintable(ingest::toString(p.operation)));
    } else {
        std::fprintf(stdout, "progress %s %s processed=%lld total=%lld imported=%lld duplicates=%lld failed=%lld rate=%.0f\n",
                     qPrintable(ingest::toString(p.status)), qPrintable(ingest::toString(p.operation)),
                     static_cast<long long>(p.emailsProcessed), static_cast<long long>(p.totalEmails),
                     static_cast<long long>(p.imported), static_cast<long long>(p.duplicates),
                     static_cast<long long>(p.failed), p.emailsPerSecond);
    }
    std::fflush(stdout);
}

void printSummary(const ImportSummary &s, bool tty)
{
    if (tty)
        std::fputs("\n", stdout);
    std::fprintf(stdout, "Upload:              %s (%s)\n", qPrintable(s.uploadId), qPrintable(ingest::toString(s.status)));
    std::fprintf(stdout, "Imported:            %s\n", qPrintable(number(s.imported)));
    std::fprintf(stdout, "Duplicates skipped:  %s\n", qPrintable(number(s.duplicates)));
    std::fprintf(stdout, "Failed:              %s\n", qPrintable(number(s.failed)));
    int shown = 0;
    for (const ingest::ImportError &e : s.errors) {
        if (shown++ == 20) {
            std::fprintf(stdout, "  ... (all problems are recorded with the upload)\n");
            break;
        }
        std::fprintf(stdout, "  %s: %s\n", qPrintable(e.position), qPrintable(e.reason));
    }
    if (s.warnings > 0)
        std::fprintf(stdout, "Warnings:            %s\n", qPrintable(number(s.warnings)));
    if (!s.error.isEmpty())
        std::fprintf(stdout, "Error:               %s\n", qPrintable(s.error));
    std::fprintf(stdout, "Elapsed:             %.1f s\n", s.elapsedSeconds);
    std::fprintf(stdout, "Rate:                %s emails/s\n", qPrintable(number(qint64(s.emailsPerSecond))));
    std::fflush(stdout);
}

ImportSummary runImporter(const storage::DatabaseConfig &cfg, qint64 userId, const QString &uploadId,
                          const QStringList &sources, int batch, bool tty)
{
    ingest::Importer importer(cfg, userId, uploadId, sources);
    if (batch > 0)
        importer.setBatchSize(batch);
    QEventLoop loop;
    ImportSummary result;
    QObject::connect(&importer, &ingest::Importer::progressChanged, &loop,
                     [tty](const ImportProgress &p) { printProgress(p, tty); });
    QObject::connect(&importer, &ingest::Importer::finished, &loop, [&](const ImportSummary &s) {
        result = s;
        loop.quit();
    });
    importer.start();
    loop.exec();
    importer.wait();
    return result;
}

} // namespace

int runImportCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Import mbox files, Maildir trees and .eml files into the local store."));
    addDataOption(parser);
    const QString defaultUser = qEnvironmentVariable("USER", QStringLiteral("local"));
    parser.addOption({QStringLiteral("user"), QStringLiteral("Owner of the imported mail (created if missing). Default: %1.").arg(defaultUser),
                      QStringLiteral("NAME"), defaultUser});
    parser.addOption({QStringLiteral("batch"), QStringLiteral("Messages per transaction (default 1000)."), QStringLiteral("N")});
    parser.addPositionalArgument(QStringLiteral("PATH"), QStringLiteral("mbox file, Maildir folder, .eml file or folder"),
                                 QStringLiteral("PATH..."));
    if (const int rc = parseOrExit(parser, args); rc >= 0)
        return rc;
    QStringList paths = parser.positionalArguments();
    if (paths.isEmpty()) {
        std::fprintf(stderr, "%s: no PATH given\nTry '%s --help'.\n", qPrintable(args.value(0)), qPrintable(args.value(0)));
        return ExitUsage;
    }
    for (QString &p : paths) {
        if (!QFileInfo::exists(p)) {
            std::fprintf(stderr, "%s: %s: no such file or directory\n", qPrintable(args.value(0)), qPrintable(p));
            return ExitUsage;
        }
        p = QFileInfo(p).absoluteFilePath(); // recorded with the upload: a resume may run from elsewhere
    }
    const int batch = parser.value(QStringLiteral("batch")).toInt();
    const bool tty = stdoutIsTerminal();

    const auto cfg = storage::DatabaseConfig::sqliteFile(storage::defaultDatabasePath(dataDir(parser)));
    const QString conn = QStringLiteral("import-cli");
    if (const auto err = storage::Database::migrate(cfg, conn)) {
        std::fprintf(stderr, "emailrag: database: %s\n", qPrintable(*err));
        return ExitFailure;
    }
    qint64 userId = 0;
    QString uploadId;
    QList<ingest::InterruptedUpload> interrupted;
    {
        QSqlDatabase db = storage::Database::connection(cfg, conn);
        const auto user = ingest::ensureUser(db, parser.value(QStringLiteral("user")));
        if (!user) {
            std::fprintf(stderr, "emailrag: cannot create user %s\n", qPrintable(parser.value(QStringLiteral("user"))));
            return ExitFailure;
        }
        userId = *user;
        interrupted = ingest::interruptedUploads(db, userId);
        // A path that an interrupted import was reading is finished by resuming that import, not
        // read a second time as a new upload.
        QSet<QString> resumed;
        for (const ingest::InterruptedUpload &u : std::as_const(interrupted)) {
            for (const QString &src : u.sources)
                resumed.insert(QFileInfo(src).canonicalFilePath());
        }
        QStringList fresh;
        for (const QString &p : std::as_const(paths)) {
            if (!resumed.contains(QFileInfo(p).canonicalFilePath()))
                fresh << p;
        }
        paths = fresh;
        QStringList names;
        qint64 size = 0;
        for (const QString &p : paths) {
            const QFileInfo fi(p);
            names << fi.fileName();
            size += fi.isFile() ? fi.size() : 0;
        }
        if (!paths.isEmpty()) {
            const auto id = ingest::createUpload(db, userId, names.join(QStringLiteral(", ")), paths, size);
            if (!id) {
                std::fprintf(stderr, "emailrag: cannot create the upload record\n");
                return ExitFailure;
            }
            uploadId = *id;
        }
    }

    bool ok = true;
    for (const ingest::InterruptedUpload &u : std::as_const(interrupted)) {
        std::fprintf(stdout, "Resuming interrupted import %s (%s)\n", qPrintable(u.uploadId),
                     qPrintable(u.sources.join(QStringLiteral(", "))));
        std::fflush(stdout);
        const ImportSummary resumed = runImporter(cfg, userId, u.uploadId, {}, batch, tty);
        printSummary(resumed, tty);
        ok = ok && resumed.status == ingest::ImportStatus::Completed;
    }
    if (uploadId.isEmpty())
        return ok ? ExitOk : ExitFailure;
    const ImportSummary summary = runImporter(cfg, userId, uploadId, paths, batch, tty);
    printSummary(summary, tty);
    return ok && summary.status == ingest::ImportStatus::Completed ? ExitOk : ExitFailure;
}

} // namespace emailrag::app
