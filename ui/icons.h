#pragma once

#include <QColor>
#include <QIcon>
#include <QString>

// Icons for the UI, drawn from the monochrome SVGs in resources/icons (compiled into the library
// under ":/icons/"). Each icon is rendered at the size and device pixel ratio it is painted at
// (sharp on high-DPI screens) and tinted with the palette's text colour at paint time, so the same
// file reads well in light and dark palettes. GUI thread only; a missing file gives a null icon.
namespace emailrag::ui {

// `name` is the file name without ".svg", e.g. "search". `tint` overrides the palette colour.
QIcon themedIcon(const QString &name, const QColor &tint = QColor());

} // namespace emailrag::ui
