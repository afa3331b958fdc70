#include "uploadrates.h"

#include "uploadsmodel.h"

#include <QLocale>

namespace emailrag::ui {

using Model = client::UploadsModel;

UploadRates::UploadRates(QObject *parent)
    : QIdentityProxyModel(parent)
{
}

void UploadRates::setSourceModel(QAbstractItemModel *model)
{
    if (sourceModel())
        disconnect(sourceModel(), nullptr, this, nullptr);
    QIdentityProxyModel::setSourceModel(model);
    m_rates.clear();
    if (!model)
        return;
    connect(model, &QAbstractItemModel::dataChanged, this, &UploadRates::onDataChanged);
    connect(model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int first, int last) {
        for (int row = first; row <= last; ++row)
            sample(row);
    });
}

void UploadRates::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight)
{
    for (int row = topLeft.row(); row <= bottomRight.row(); ++row)
        sample(row);
}

void UploadRates::sample(int row)
{
    const QModelIndex src = sourceModel()->index(row, 0);
    const QString id = src.data(Model::UploadIdRole).toString();
    if (id.isEmpty())
        return;
    const QString status = src.data(Model::StatusRole).toString();
    const qint64 processed = src.data(Model::EmailsProcessedRole).toLongLong();
    const QString op = src.data(Model::OperationRole).toString();
    Rate &rate = m_rates[id];
    // Each phase (receiving, parsing, indexing, embedding) has its own pace: restart the clock
    // when the phase changes, or when the count goes backwards (a restarted import).
    if (!rate.clock.isValid() || op != rate.operation || processed < rate.lastProcessed) {
        rate.clock.start();
        rate.firstProcessed = processed;
        rate.operation = op;
    }
    rate.lastProcessed = processed;
    rate.lastMs = rate.clock.elapsed();
    Q_UNUSED(status)
}

QVariant UploadRates::data(const QModelIndex &index, int role) const
{
    if (role < SpeedRole || !index.isValid())
        return QIdentityProxyModel::data(index, role);
    const QModelIndex src = mapToSource(index);
    const QString id = src.data(Model::UploadIdRole).toString();
    const QString status = src.data(Model::StatusRole).toString();
    const qint64 processed = src.data(Model::EmailsProcessedRole).toLongLong();
    const qint64 total = src.data(Model::TotalEmailsRole).toLongLong();
    const bool finished = src.data(Model::FinishedRole).toBool();
    double speed = 0;
    const auto it = m_rates.constFind(id);
    if (it != m_rates.cend() && it->lastMs >= 500 && it->lastProcessed > it->firstProcessed)
        speed = double(it->lastProcessed - it->firstProcessed) * 1000.0 / double(it->lastMs);
    qint64 eta = -1;
    if (!finished && speed > 0 && total > processed)
        eta = qint64((total - processed) / speed + 0.5);

    switch (role) {
    case SpeedRole:
        return speed;
    case EtaSecondsRole:
        return eta;
    case StatusTextRole:
        return statusText(status);
    case OperationTextRole:
        return operationText(src.data(Model::OperationRole).toString());
    case DetailTextRole: {
        const QLocale locale;
        QStringList parts;
        if (status == QLatin1String("receiving")) {
            const qint64 sent = src.data(Model::BytesSentRole).toLongLong();
            const qint64 bytes = src.data(Model::TotalBytesRole).toLongLong();
            if (bytes > 0)
                parts << tr("%1 of %2 sent").arg(locale.formattedDataSize(sent), locale.formattedDataSize(bytes));
        } else if (total > 0) {
            parts << tr("%1 of %2 emails").arg(locale.toString(processed), locale.toString(total));
        } else if (processed > 0) {
            parts << tr("%1 emails").arg(locale.toString(processed));
        }
        const qint64 news = src.data(Model::NewEmailsRole).toLongLong();
        if (finished && news >= 0)
            parts << tr("%n new", nullptr, int(news));
        if (!finished && speed > 0)
            parts << tr("%1 emails/s").arg(locale.toString(speed, 'f', 0));
        if (eta >= 0)
            parts << tr("%1 left").arg(durationText(eta));
        return parts.join(QStringLiteral(" · "));
    }
    default:
        return {};
    }
}

QString UploadRates::statusText(const QString &status)
{
    if (status == QLatin1String("queued"))
        return tr("Waiting");
    if (status == QLatin1String("receiving"))
        return tr("Uploading");
    if (status == QLatin1String("processing"))
        return tr("Importing");
    if (status == QLatin1String("completed"))
        return tr("Done");
    if (status == QLatin1String("failed"))
        return tr("Failed");
    if (status == QLatin1String("cancelled"))
        return tr("Cancelled");
    return status;
}

QString UploadRates::operationText(const QString &operation)
{
    if (operation == QLatin1String("receiving"))
        return tr("Receiving the file");
    if (operation == QLatin1String("parsing"))
        return tr("Reading messages");
    if (operation == QLatin1String("indexing_emails"))
        return tr("Indexing emails");
    if (operation == QLatin1String("embedding"))
        return tr("Learning what the emails are about");
    if (operation == QLatin1String("finalizing"))
        return tr("Finishing");
    return operation;
}

QString UploadRates::durationText(qint64 seconds)
{
    if (seconds < 60)
        return tr("%n s", nullptr, int(seconds));
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

} // namespace emailrag::ui
