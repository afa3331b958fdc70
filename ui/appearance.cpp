#include "appearance.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>
#include <QTranslator>

namespace emailrag::ui {

namespace {

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30), base(0x1e, 0x1f, 0x22), text(0xe6, 0xe6, 0xe6);
    const QColor disabled(0x7f, 0x7f, 0x7f), highlight(0x2f, 0x6f, 0xc0);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x60, 0x60));
    p.setColor(QPalette::Link, QColor(0x6c, 0xb0, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb0, 0x90, 0xff));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Mid, QColor(0x45, 0x47, 0x4a));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Light, QColor(0x50, 0x52, 0x56));
    for (auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

QPalette lightPalette()
{
    QPalette p(QColor(0xef, 0xef, 0xef));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::Text, QColor(0x1a, 0x1a, 0x1a));
    p.setColor(QPalette::WindowText, QColor(0x1a, 0x1a, 0x1a));
    p.setColor(QPalette::Link, QColor(0x10, 0x50, 0xb0));
    p.setColor(QPalette::Highlight, QColor(0x30, 0x70, 0xc8));
    p.setColor(QPalette::HighlightedText, Qt::white);
    return p;
}

} // namespace

void applyTheme(UiSettings::Theme theme)
{
    if (theme == UiSettings::Theme::System) {
        QApplication::setPalette(QApplication::style()->standardPalette());
        return;
    }
    // Fusion draws every control from the palette, so a dark palette is honoured everywhere.
    if (QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion")))
        QApplication::setStyle(fusion);
    QApplication::setPalette(theme == UiSettings::Theme::Dark ? darkPalette() : lightPalette());
}

QString installTranslations(const QString &language, QObject *owner)
{
    for (QTranslator *old : owner->findChildren<QTranslator *>(QStringLiteral("emailragTranslator"))) {
        QCoreApplication::removeTranslator(old);
        delete old;
    }
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    QString used = QStringLiteral("en");
    auto *ours = new QTranslator(owner);
    ours->setObjectName(QStringLiteral("emailragTranslator"));
    if (ours->load(locale, QStringLiteral("emailrag"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(ours);
        used = ours->language().left(2);
    } else {
        delete ours;
    }
    // Qt's own strings (standard buttons, file dialogs) in the same language.
    auto *qt = new QTranslator(owner);
    qt->setObjectName(QStringLiteral("emailragTranslator"));
    if (used != QLatin1String("en")
        && qt->load(QLocale(used), QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt);
    } else {
        delete qt;
    }
    QLocale::setDefault(QLocale(used));
    return used;
}

} // namespace emailrag::ui
