#pragma once

#include <QStyledItemDelegate>

// Draws one upload: file name and status, a progress bar, the current operation with counts,
// speed and time left, and the error when it failed. Reads client::UploadsModel roles through
// UploadRates. GUI thread; owned by its view.
namespace emailrag::ui {

class UploadDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace emailrag::ui
