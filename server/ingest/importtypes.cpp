#include "importtypes.h"

#include <algorithm>

namespace emailrag::ingest {

QString toString(ImportStatus status)
{
    switch (status) {
    case ImportStatus::Queued: return QStringLiteral("queued");
    case ImportStatus::Processing: return QStringLiteral("processing");
    case ImportStatus::Completed: return QStringLiteral("completed");
    case ImportStatus::Failed: return QStringLiteral("failed");
    case ImportStatus::Cancelled: return QStringLiteral("cancelled");
    }
    return QStringLiteral("failed");
}

QString toString(ImportOperation operation)
{
    switch (operation) {
    case ImportOperation::Receiving: return QStringLiteral("receiving");
    case ImportOperation::Parsing: return QStringLiteral("parsing");
    case ImportOperation::IndexingEmails: return QStringLiteral("indexing_emails");
    case ImportOperation::Embedding: return QStringLiteral("embedding");
    case ImportOperation::Finalizing: return QStringLiteral("finalizing");
    }
    return QStringLiteral("parsing");
}

ImportStatus importStatusFromString(const QString &s)
{
    for (ImportStatus st : {ImportStatus::Queued, ImportStatus::Processing, ImportStatus::Completed,
                            ImportStatus::Failed, ImportStatus::Cancelled}) {
        if (toString(st) == s)
            return st;
    }
    return ImportStatus::Failed;
}

int ImportProgress::percent() const
{
    if (status == ImportStatus::Completed)
        return 100;
    if (totalEmails <= 0)
        return 0;
    return int(std::clamp<qint64>(emailsProcessed * 100 / totalEmails, 0, 100));
}

} // namespace emailrag::ingest
