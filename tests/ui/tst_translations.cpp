// The German and French translations are complete and current: lupdate, run over the UI sources
// into copies of translations/*.ts, finds no new string, removes none, and leaves none unfinished.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

class TestTranslations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void upToDate_data();
    void upToDate();
};

void TestTranslations::upToDate_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<bool>("pluralOnly");
    QTest::newRow("German") << QStringLiteral("de") << false;
    QTest::newRow("French") << QStringLiteral("fr") << false;
    QTest::newRow("English plurals") << QStringLiteral("en") << true;
}

void TestTranslations::upToDate()
{
    QFETCH(QString, language);
    QFETCH(bool, pluralOnly);
    const QString source = qEnvironmentVariable("EMAILRAG_SOURCE_DIR");
    const QString lupdate = qEnvironmentVariable("EMAILRAG_LUPDATE");
    QVERIFY2(!source.isEmpty() && !lupdate.isEmpty(), "EMAILRAG_SOURCE_DIR and EMAILRAG_LUPDATE must be set");
    const QString ts = source + QStringLiteral("/translations/emailrag_%1.ts").arg(language);
    QVERIFY2(QFile::exists(ts), qPrintable(ts));

    QTemporaryDir tmp;
    const QString copy = tmp.filePath(QStringLiteral("emailrag_%1.ts").arg(language));
    QVERIFY(QFile::copy(ts, copy));
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);

    // The same options as the update_translations target (ui/CMakeLists.txt).
    QStringList args { QStringLiteral("-no-obsolete"), QStringLiteral("-locations"), QStringLiteral("none"),
        QStringLiteral("-extensions"), QStringLiteral("cpp,h"), source + QStringLiteral("/ui"), QStringLiteral("-ts"),
        copy };
    if (pluralOnly)
        args.prepend(QStringLiteral("-pluralonly"));
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(lupdate, args);
    QVERIFY(p.waitForFinished(60000));
    const QString out = QString::fromLocal8Bit(p.readAll());
    QCOMPARE(p.exitCode(), 0);

    static const QRegularExpression found(
        QStringLiteral("Found (\\d+) source text\\(s\\) \\((\\d+) new and (\\d+) already existing\\)"));
    const auto m = found.match(out);
    QVERIFY2(m.hasMatch(), qPrintable(out));
    QVERIFY2(m.captured(1).toInt() > 50, qPrintable(QStringLiteral("suspiciously few strings found:\n") + out));
    // With -pluralonly lupdate counts every string as new before stripping the non-plural ones;
    // the file itself is checked below.
    QVERIFY2(pluralOnly || m.captured(2).toInt() == 0,
        qPrintable(QStringLiteral("new untranslated strings; run the update_translations target and translate them:\n")
            + out));
    QVERIFY2(!out.contains(QStringLiteral("obsolete")),
        qPrintable(QStringLiteral("strings that are gone are still in the .ts file:\n") + out));

    // Every message translated (no type="unfinished"/"vanished"/"obsolete" and no empty text).
    QFile f(copy);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&f);
    QString lastSource;
    QStringList unfinished;
    int messages = 0;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == QLatin1String("message")) {
            ++messages;
        } else if (xml.name() == QLatin1String("source")) {
            lastSource = xml.readElementText();
        } else if (xml.name() == QLatin1String("translation")) {
            const QString type = xml.attributes().value(QLatin1String("type")).toString();
            const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
            if (!type.isEmpty() || text.isEmpty())
                unfinished << lastSource;
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(messages > (pluralOnly ? 5 : 50));
    QVERIFY2(unfinished.isEmpty(),
        qPrintable(
            QStringLiteral("%1 unfinished: %2").arg(unfinished.size()).arg(unfinished.join(QStringLiteral(" | ")))));
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
