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
    painter->drawText(
        QRect(r.right() - statusWidth, r.top(), statusWidth, line), Qt::AlignRight | Qt::AlignVCenter, status);

    // The bar is drawn here rather than by the style so that it stays visible on a selected
    // (highlighted) row in any palette.
    const int progress = qBound(0, index.data(Model::ProgressRole).toInt(), 100);
    const QRect bar(x, r.top() + line + 4, w, 8);
    QColor track = text;
    track.setAlphaF(0.18);
    painter->setPen(Qt::NoPen);
    painter->setBrush(track);
    painter->drawRoundedRect(bar, 4, 4);
    const bool failed = !index.data(Model::ErrorRole).toString().isEmpty();
    QColor fill = selected ? text : option.palette.color(QPalette::Highlight);
    if (failed && !selected)
        fill = QColor(0xd0, 0x40, 0x40);
    painter->setBrush(fill);
    if (progress > 0)
        painter->drawRoundedRect(
            QRect(bar.left(), bar.top(), qMax(8, bar.width() * progress / 100), bar.height()), 4, 4);

    painter->setPen(dim);
    QString detail = QStringLiteral("%1%").arg(progress);
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
    return { 320, kPad + line * (error ? 4 : 3) + 6 };
}

} // namespace emailrag::ui
