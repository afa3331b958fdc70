// bench_import [--batch N] [--threads N] DB PATH...
// Imports PATH... into the SQLite file DB (fresh or existing) with the real Importer and prints
// one line: messages, imported, duplicates, failed, seconds, emails/s and peak RSS in MB.
#include "database.h"
#include "importer.h"
#include "uploads.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>

#include <cstdio>
#include <sys/resource.h>

using namespace emailrag;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    int batch = 0;
    int threads = 0;
    while (args.size() > 1 && args.first().startsWith(QLatin1String("--"))) {
        const QString opt = args.takeFirst();
        const int v = args.takeFirst().toInt();
        if (opt == QLatin1String("--batch"))
            batch = v;
        else if (opt == QLatin1String("--threads"))
            threads = v;
    }
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: bench_import [--batch N] [--threads N] DB PATH...\n");
        return 2;
    }
    const auto cfg = storage::DatabaseConfig::sqliteFile(args.takeFirst());
    if (const auto err = storage::Database::migrate(cfg, QStringLiteral("bench"))) {
        std::fprintf(stderr, "migrate: %s\n", qPrintable(*err));
        return 1;
    }
    QString uploadId;
    qint64 userId = 0;
    {
        QSqlDatabase db = storage::Database::connection(cfg, QStringLiteral("bench"));
        userId = ingest::ensureUser(db, QStringLiteral("bench")).value_or(0);
        uploadId = ingest::createUpload(db, userId, QStringLiteral("bench"), args).value_or(QString());
    }
    ingest::Importer importer(cfg, userId, uploadId, args);
    if (batch > 0)
        importer.setBatchSize(batch);
    if (threads > 0)
        importer.setParseThreads(threads);
    QEventLoop loop;
    ingest::ImportSummary summary;
    QObject::connect(&importer, &ingest::Importer::finished, &loop, [&](const ingest::ImportSummary &s) {
        summary = s;
        loop.quit();
    });
    QElapsedTimer t;
    t.start();
    importer.start();
    loop.exec();
    importer.wait();
    const double secs = t.nsecsElapsed() / 1e9;
    rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    const double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    std::printf("cpu_s=%.2f writer_cpu_s=%.2f writer_us_per_email=%.0f other_us_per_email=%.0f\n", cpu,
                summary.writerCpuSeconds, summary.processed ? 1e6 * summary.writerCpuSeconds / summary.processed : 0.0,
                summary.processed ? 1e6 * (cpu - summary.writerCpuSeconds) / summary.processed : 0.0);
    std::printf("messages=%lld imported=%lld duplicates=%lld failed=%lld seconds=%.2f emails_per_s=%.0f peak_rss_mb=%.0f status=%s\n",
                static_cast<long long>(summary.processed), static_cast<long long>(summary.imported),
                static_cast<long long>(summary.duplicates), static_cast<long long>(summary.failed), secs,
                summary.processed / secs, ru.ru_maxrss / 1024.0, qPrintable(ingest::toString(summary.status)));
    return summary.status == ingest::ImportStatus::Completed ? 0 : 1;
}
