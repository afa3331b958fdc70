#include "uploaddelegate.h"

#include "icons.h"
#include "uploadrates.h"
#include "uploadsmodel.h"

#include <QApplication>
#include <QPainter>

namespace emailrag::ui {

using Model = client::UploadsModel;

namespace {
constexpr int kPad = 8;
constexpr int kIcon = 24;
} // namespace

void UploadDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    opt.icon = QIcon();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);

    const bool selected = option.state & QStyle::State_Selected;
    const QColor text = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    QColor dim = text;
    dim.setAlphaF(0.7);
    const QFontMetrics fm(option.font);
    const int line = fm.height();
    const QRect r = option.rect.adjusted(kPad, kPad / 2, -kPad, -kPad / 2);

    painter->save();
    themedIcon(QStringLiteral("mailbox"), text).paint(painter, QRect(r.left(), r.top(), kIcon, kIcon));
    const int x = r.left() + kIcon + kPad;
    const int w = r.right() - x;

    const QString status = index.data(UploadRates::StatusTextRole).toString();
    const int statusWidth = fm.horizontalAdvance(status) + kPad;
    QFont bold = option.font;
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(text);
    painter->drawText(QRect(x, r.top(), w - statusWidth, line), Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(bold).elidedText(index.data(Model::FilenameRole).toString(), Qt::ElideMiddle, w - statusWidth));
    painter->setFont(option.font);
    painter->drawText(QRect(r.right() - statusWidth, r.top(), statusWidth, line), Qt::AlignRight | Qt::AlignVCenter, status);

    QStyleOptionProgressBar bar;
    bar.rect = QRect(x, r.top() + line + 2, w, qMax(8, line - 4));
    bar.minimum = 0;
    bar.maximum = 100;
    bar.progress = index.data(Model::ProgressRole).toInt();
    bar.textVisible = false;
    bar.state = QStyle::State_Enabled | QStyle::State_Horizontal;
    bar.palette = option.palette;
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);

    painter->setPen(dim);
    QString detail = QStringLiteral("%1%").arg(bar.progress);
    const QString op = index.data(UploadRates::OperationTextRole).toString();
    const bool finished = index.data(Model::FinishedRole).toBool();
    if (!op.isEmpty() && !finished)
        detail += QStringLiteral(" · ") + op;
    const QString more = index.data(UploadRates::DetailTextRole).toString();
    if (!more.isEmpty())
        detail += QStringLiteral(" · ") + more;
    painter->drawText(QRect(x, r.top() + 2 * line + 4, w, line), Qt::AlignLeft | Qt::AlignVCenter,
                      fm.elidedText(detail, Qt::ElideRight, w));

    const QString error = index.data(Model::ErrorRole).toString();
    if (!error.isEmpty()) {
        painter->setPen(selected ? text : QColor(0xd0, 0x40, 0x40));
        painter->drawText(QRect(x, r.top() + 3 * line + 4, w, line), Qt::AlignLeft | Qt::AlignVCenter,
                          fm.elidedText(error, Qt::ElideRight, w));
    }
    painter->restore();
}

QSize UploadDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const int line = QFontMetrics(option.font).height();
    const bool error = !index.data(Model::ErrorRole).toString().isEmpty();
    return {320, kPad + line * (error ? 4 : 3) + 6};
}

} // namespace emailrag::ui
