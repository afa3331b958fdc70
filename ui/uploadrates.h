#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QIdentityProxyModel>

// Adds what a person wants to see of an upload to client::UploadsModel: the speed in emails per
// second, the time left, and the status and current operation as translated text. Speed is
// measured from the progress the model reports (first sample of the current phase to now).
// GUI thread; owned by the uploads view.
namespace emailrag::ui {

class UploadRates : public QIdentityProxyModel
{
    Q_OBJECT
public:
    enum Role {
        SpeedRole = Qt::UserRole + 100, // double emails/s, 0 until measurable
        EtaSecondsRole, // qint64, -1 unknown
        StatusTextRole, // translated status
        OperationTextRole, // translated current operation
        DetailTextRole, // "4,500 of 10,000 emails · 820/s · 7 s left"
    };

    explicit UploadRates(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *model) override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    static QString statusText(const QString &status);
    static QString operationText(const QString &operation);
    static QString durationText(qint64 seconds);

private:
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight);
    void sample(int row);

    struct Rate
    {
        QElapsedTimer clock;
        qint64 firstProcessed = 0;
        qint64 lastProcessed = 0;
        qint64 lastMs = 0;
        QString operation;
    };
    QHash<QString, Rate> m_rates; // by upload id
};

} // namespace emailrag::ui
