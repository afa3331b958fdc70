#include "searchhitdelegate.h"

#include "richtext.h"
#include "searchresultsmodel.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QLocale>
#include <QPainter>
#include <QTextDocument>

namespace emailrag::ui {

using Model = client::SearchResultsModel;

namespace {
constexpr int kPad = 6;
constexpr int kScoreWidth = 48;

QString senderText(const QModelIndex &index)
{
    const QString name = index.data(Model::FromNameRole).toString();
    const QString address = index.data(Model::FromAddressRole).toString();
    if (name.isEmpty())
        return address;
    return address.isEmpty() ? name : QStringLiteral("%1 <%2>").arg(name, address);
}
} // namespace

void SearchHitDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);

    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = option.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
    const QColor text = option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    QColor dim = text;
    dim.setAlphaF(0.7);

    const QRect r = option.rect.adjusted(kPad, kPad / 2, -kPad, -kPad / 2);
    const QFontMetrics fm(option.font);
    const int line = fm.height();
    painter->save();

    // Line 1: subject (bold) and date.
    const QDateTime date = index.data(Model::DateRole).toDateTime();
    const QString dateText
        = date.isValid() ? QLocale().toString(date.toLocalTime().date(), QLocale::ShortFormat) : QString();
    const int dateWidth = fm.horizontalAdvance(dateText) + kPad;
    QFont bold = option.font;
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(text);
    QString subject = index.data(Model::SubjectRole).toString();
    if (subject.isEmpty())
        subject = tr("(no subject)");
    const QRect subjectRect(r.left(), r.top(), r.width() - dateWidth, line);
    painter->drawText(subjectRect, Qt::AlignLeft | Qt::AlignVCenter,
        QFontMetrics(bold).elidedText(subject, Qt::ElideRight, subjectRect.width()));
    painter->setFont(option.font);
    painter->setPen(dim);
    painter->drawText(
        QRect(r.right() - dateWidth, r.top(), dateWidth, line), Qt::AlignRight | Qt::AlignVCenter, dateText);

    // Line 2: sender and the score bar.
    const QRect fromRect(r.left(), r.top() + line, r.width() - kScoreWidth - kPad, line);
    painter->drawText(
        fromRect, Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(senderText(index), Qt::ElideRight, fromRect.width()));
    const double score = qBound(0.0, index.data(Model::ScoreRole).toDouble(), 1.0);
    const QRect bar(r.right() - kScoreWidth, r.top() + line + line / 2 - 3, kScoreWidth, 6);
    QColor track = text;
    track.setAlphaF(0.18);
    painter->setPen(Qt::NoPen);
    painter->setBrush(track);
    painter->drawRoundedRect(bar, 3, 3);
    painter->setBrush(selected ? text : option.palette.color(group, QPalette::Highlight));
    painter->drawRoundedRect(QRect(bar.left(), bar.top(), qMax(3, int(bar.width() * score)), bar.height()), 3, 3);

    // Line 3: the snippet, terms in bold.
    const QString snippet = index.data(Model::SnippetRole).toString();
    if (!snippet.isEmpty()) {
        QTextDocument doc;
        doc.setDefaultFont(option.font);
        doc.setDocumentMargin(0);
        doc.setTextWidth(r.width());
        doc.setHtml(QStringLiteral("<span style=\"color:%1\">%2</span>")
                        .arg(dim.name(QColor::HexRgb), richtext::snippetToHtml(snippet)));
        painter->translate(r.left(), r.top() + 2 * line + 2);
        painter->setClipRect(QRect(0, 0, r.width(), 2 * line));
        doc.drawContents(painter, QRectF(0, 0, r.width(), 2 * line));
    }
    painter->restore();
}

QSize SearchHitDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const int line = QFontMetrics(option.font).height();
    const bool hasSnippet = !index.data(Model::SnippetRole).toString().isEmpty();
    return { 300, kPad + line * (hasSnippet ? 4 : 2) + 4 };
}

} // namespace emailrag::ui
