#include "icons.h"

#include <QApplication>
#include <QFile>
#include <QIconEngine>
#include <QPainter>
#include <QPalette>
#include <QSvgRenderer>

namespace emailrag::ui {

namespace {

class TintedSvgEngine final : public QIconEngine
{
public:
    TintedSvgEngine(const QString &path, const QColor &tint)
        : m_path(path)
        , m_tint(tint)
    {
    }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
        const QPixmap pm = render(rect.size(), dpr, mode);
        painter->drawPixmap(rect, pm);
    }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State) override { return render(size, 1.0, mode); }

    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State, qreal scale) override
    {
        // Qt passes the size in device pixels here (QIcon::pixmap(size, dpr) scales it first).
        return render(scale > 0 ? size / scale : size, scale > 0 ? scale : 1.0, mode);
    }

    QIconEngine *clone() const override { return new TintedSvgEngine(m_path, m_tint); }
    QString key() const override { return QStringLiteral("emailrag-tinted-svg"); }
    bool isNull() override { return !QFile::exists(m_path); }

private:
    QPixmap render(const QSize &size, qreal dpr, QIcon::Mode mode) const
    {
        QPixmap pm(size * dpr);
        pm.setDevicePixelRatio(dpr);
        pm.fill(Qt::transparent);
        QSvgRenderer svg(m_path);
        if (!svg.isValid())
            return pm;
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        svg.render(&p, QRectF(QPointF(0, 0), QSizeF(size)));
        // The SVGs are drawn in black; replace their colour with the palette's text colour.
        QColor c = m_tint.isValid() ? m_tint : QApplication::palette().color(QPalette::WindowText);
        if (mode == QIcon::Disabled)
            c = QApplication::palette().color(QPalette::Disabled, QPalette::WindowText);
        else if (mode == QIcon::Selected)
            c = QApplication::palette().color(QPalette::HighlightedText);
        p.setCompositionMode(QPainter::CompositionMode_SourceIn);
        p.fillRect(QRectF(QPointF(0, 0), QSizeF(size)), c);
        return pm;
    }

    QString m_path;
    QColor m_tint;
};

} // namespace

QIcon themedIcon(const QString &name, const QColor &tint)
{
    const QString path = QStringLiteral(":/icons/%1.svg").arg(name);
    if (!QFile::exists(path))
        return {};
    return QIcon(new TintedSvgEngine(path, tint));
}

} // namespace emailrag::ui
