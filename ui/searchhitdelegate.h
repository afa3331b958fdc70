#pragma once

#include <QStyledItemDelegate>

// Draws one search hit as a card of three lines: subject and date, sender with a score bar,
// and the snippet with the matched terms in bold. Reads the roles of client::SearchResultsModel.
// GUI thread; owned by its view.
namespace emailrag::ui {

class SearchHitDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace emailrag::ui
