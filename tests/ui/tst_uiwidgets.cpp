// The UI's building blocks, offscreen: text conversions (snippets, citations, highlighted
// passages), the reading pane, the settings and login dialogs, the notification banner, icons,
// palettes and languages.
#include "appearance.h"
#include "emaildocument.h"
#include "icons.h"
#include "logindialog.h"
#include "maildirpacker.h"
#include "notificationbanner.h"
#include "readingpane.h"
#include "richtext.h"
#include "settingsdialog.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

using namespace emailrag::ui;

class TestUiWidgets : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void snippet_data();
    void snippet();
    void citations_data();
    void citations();
    void passageHighlight_data();
    void passageHighlight();
    void readingPaneShowsEverything();
    void readingPaneThreadLinkRequestsEmail();
    void settingsRoundTrip();
    void settingsDialogEditsValues();
    void loginDialogAsksAndReportsErrors();
    void bannerIsNonModalAndLevels();
    void iconsRenderTinted();
    void darkPaletteIsDark();
    void languagesLoad_data();
    void languagesLoad();
    void maildirPacksToMbox();
    void reflowJoinsProseOnly();
};

void TestUiWidgets::snippet_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("html");
    QTest::addColumn<QString>("plain");
    QTest::newRow("plain") << QStringLiteral("no terms") << QStringLiteral("no terms") << QStringLiteral("no terms");
    QTest::newRow("one") << QStringLiteral("the «budget» is") << QStringLiteral("the <b>budget</b> is")
                         << QStringLiteral("the budget is");
    QTest::newRow("escaped") << QStringLiteral("<x> «a&b»") << QStringLiteral("&lt;x&gt; <b>a&amp;b</b>")
                             << QStringLiteral("<x> a&b");
    QTest::newRow("two") << QStringLiteral("«a» and «b»") << QStringLiteral("<b>a</b> and <b>b</b>")
                         << QStringLiteral("a and b");
}

void TestUiWidgets::snippet()
{
    QFETCH(QString, in);
    QFETCH(QString, html);
    QFETCH(QString, plain);
    QCOMPARE(richtext::snippetToHtml(in), html);
    QCOMPARE(richtext::snippetToPlain(in), plain);
}

void TestUiWidgets::citations_data()
{
    QTest::addColumn<QString>("answer");
    QTest::addColumn<int>("sources");
    QTest::addColumn<QString>("html");
    QTest::newRow("linked") << QStringLiteral("Yes [1] and [2].") << 2
                            << QStringLiteral("Yes <a href=\"cite:4/1\">[1]</a> and <a href=\"cite:4/2\">[2]</a>.");
    QTest::newRow("unknown source stays text") << QStringLiteral("See [3]") << 2 << QStringLiteral("See [3]");
    QTest::newRow("while streaming") << QStringLiteral("See [1]") << 0 << QStringLiteral("See [1]");
    QTest::newRow("escaped and lines") << QStringLiteral("a<b>\n[1]") << 1
                                       << QStringLiteral("a&lt;b&gt;<br><a href=\"cite:4/1\">[1]</a>");
}

void TestUiWidgets::citations()
{
    QFETCH(QString, answer);
    QFETCH(int, sources);
    QFETCH(QString, html);
    QCOMPARE(richtext::answerToHtml(answer, sources, 4), html);
    int row = -1, number = -1;
    if (html.contains(QStringLiteral("cite:4/1"))) {
        QVERIFY(richtext::parseCitation(QUrl(QStringLiteral("cite:4/1")), &row, &number));
        QCOMPARE(row, 4);
        QCOMPARE(number, 1);
    }
    QVERIFY(!richtext::parseCitation(QUrl(QStringLiteral("email:email_1")), &row, &number));
}

void TestUiWidgets::passageHighlight_data()
{
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("passage");
    QTest::addColumn<bool>("found");
    QTest::addColumn<QString>("marked");
    QTest::newRow("exact") << QStringLiteral("Hello.\nThe meeting is on Monday.\nBye")
                           << QStringLiteral("The meeting is on Monday.") << true
                           << QStringLiteral("The meeting is on Monday.");
    QTest::newRow("rewrapped") << QStringLiteral("The meeting\nis on   Monday. Bye")
                               << QStringLiteral("The meeting is on Monday.") << true
                               << QStringLiteral("The meeting<br>is on   Monday.");
    QTest::newRow("absent") << QStringLiteral("Nothing here") << QStringLiteral("The meeting") << false << QString();
    QTest::newRow("two lines, apart") << QStringLiteral("First point here.\nMiddle.\nSecond point there.")
                                      << QStringLiteral("First point here.\nSecond point there.") << true
                                      << QStringLiteral("Second point there.");
    QTest::newRow("sentence by sentence") << QStringLiteral("Alpha beta gamma delta.\nOther.\nEpsilon zeta eta theta.")
                                          << QStringLiteral("Alpha beta gamma delta. Epsilon zeta eta theta.") << true
                                          << QStringLiteral("Alpha beta gamma delta.");
}

void TestUiWidgets::passageHighlight()
{
    QFETCH(QString, body);
    QFETCH(QString, passage);
    QFETCH(bool, found);
    QFETCH(QString, marked);
    bool wasFound = false;
    const QString html = richtext::bodyToHtml(body, passage, &wasFound);
    QCOMPARE(wasFound, found);
    QCOMPARE(html.contains(QStringLiteral("class=\"cited\"")), found);
    if (found)
        QVERIFY2(html.contains(QStringLiteral("#000000;\">") + marked + QStringLiteral("</span>")), qPrintable(html));
}

static EmailDocument sampleEmail()
{
    EmailDocument d;
    d.emailId = QStringLiteral("email_7");
    d.subject = QStringLiteral("Budget for Q3");
    d.from = QStringLiteral("Anna <anna@example.org>");
    d.to = QStringLiteral("team@example.org");
    d.date = QDateTime(QDate(2001, 5, 14), QTime(16, 39), Qt::UTC);
    d.body = QStringLiteral("Hi all,\nthe budget was approved yesterday.\nAnna");
    d.quoted = QStringLiteral("> old text");
    d.attachments = { { QStringLiteral("plan.pdf"), QStringLiteral("application/pdf"), 2048 } };
    d.thread = { { QStringLiteral("email_5"), QStringLiteral("Budget"), QStringLiteral("Bob"), {} },
        { QStringLiteral("email_7"), QStringLiteral("Budget for Q3"), QStringLiteral("Anna"), {} } };
    return d;
}

void TestUiWidgets::readingPaneShowsEverything()
{
    ReadingPane pane;
    pane.resize(600, 400);
    pane.show();
    pane.showEmail(sampleEmail(), QStringLiteral("the budget was approved yesterday."));
    QCOMPARE(pane.currentEmailId(), QStringLiteral("email_7"));
    QVERIFY(pane.passageHighlighted());
    const QString text = pane.browser()->toPlainText();
    for (const char *s : { "Budget for Q3", "Anna <anna@example.org>", "team@example.org", "approved yesterday",
             "plan.pdf", "2.0 kB", "> old text" })
        QVERIFY2(text.contains(QLatin1String(s)), s);
    // The cited passage carries its highlight colour in the rendered document.
    QVERIFY(pane.html().contains(QStringLiteral("background-color:#ffe27a")));

    pane.showEmail(sampleEmail(), QStringLiteral("a sentence that is not there"));
    QVERIFY(!pane.passageHighlighted());
}

void TestUiWidgets::readingPaneThreadLinkRequestsEmail()
{
    ReadingPane pane;
    pane.showEmail(sampleEmail());
    QSignalSpy spy(&pane, &ReadingPane::emailRequested);
    Q_EMIT pane.browser()->anchorClicked(QUrl(QStringLiteral("email:email_5")));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("email_5"));
}

void TestUiWidgets::settingsRoundTrip()
{
    QTemporaryDir dir;
    QSettings s(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
    UiSettings u;
    u.serverUrl = QStringLiteral("ws://h:8000/api/v1/ws");
    u.userName = QStringLiteral("ann");
    u.modelProviderUrl = QStringLiteral("http://127.0.0.1:11434/v1");
    u.model = QStringLiteral("llama3");
    u.heartbeatSeconds = 45;
    u.dataDir = QStringLiteral("/tmp/x");
    u.language = QStringLiteral("fr");
    u.theme = UiSettings::Theme::Dark;
    u.save(s);
    s.sync();
    QCOMPARE(UiSettings::load(s), u);
    // Nothing secret in the file.
    QFile f(dir.filePath(QStringLiteral("s.ini")));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(!f.readAll().toLower().contains("key"));
}

void TestUiWidgets::settingsDialogEditsValues()
{
    UiSettings in;
    in.language = QStringLiteral("de");
    SettingsDialog dlg(in);
    QCOMPARE(dlg.settings(), in);
    auto *url = dlg.findChildren<QLineEdit *>().value(0);
    QVERIFY(url);
    QVERIFY(!url->isEnabled()); // built-in server: the address is not editable
    QLineEdit *apiKey = nullptr;
    for (auto *e : dlg.findChildren<QLineEdit *>())
        if (e->echoMode() == QLineEdit::Password)
            apiKey = e;
    QVERIFY(apiKey);
    QVERIFY(!dlg.apiKeyChanged());
    apiKey->setFocus();
    QTest::keyClicks(apiKey, QStringLiteral("sk-secret"));
    QVERIFY(dlg.apiKeyChanged());
    QCOMPARE(dlg.apiKey(), QStringLiteral("sk-secret"));
    auto *spin = dlg.findChild<QSpinBox *>();
    spin->setValue(90);
    QCOMPARE(dlg.settings().heartbeatSeconds, 90);
    for (auto *c : dlg.findChildren<QComboBox *>()) {
        QVERIFY(!c->accessibleName().isEmpty());
        if (c->findData(QStringLiteral("fr")) >= 0)
            c->setCurrentIndex(c->findData(QStringLiteral("fr")));
    }
    QCOMPARE(dlg.settings().language, QStringLiteral("fr"));
}

void TestUiWidgets::loginDialogAsksAndReportsErrors()
{
    LoginDialog dlg(QStringLiteral("ws://h:8000/api/v1/ws"), QStringLiteral("ann"));
    QSignalSpy spy(&dlg, &LoginDialog::loginRequested);
    QLineEdit *password = nullptr;
    for (auto *e : dlg.findChildren<QLineEdit *>())
        if (e->echoMode() == QLineEdit::Password)
            password = e;
    QVERIFY(password);
    QTest::keyClicks(password, QStringLiteral("pw"));
    dlg.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(2).toString(), QStringLiteral("pw"));
    QVERIFY(!password->isEnabled());
    dlg.setError(QStringLiteral("Wrong password"));
    QVERIFY(password->isEnabled());
    auto *error = dlg.findChild<QLabel *>(QStringLiteral("loginError"));
    QVERIFY(error && !error->isHidden());
    QCOMPARE(error->text(), QStringLiteral("Wrong password"));
}

void TestUiWidgets::bannerIsNonModalAndLevels()
{
    QWidget window;
    auto *banner = new NotificationBanner(&window);
    window.show();
    banner->showMessage(NotificationBanner::Level::Warning, QStringLiteral("Disk almost full"));
    QVERIFY(banner->isVisible());
    QVERIFY(!QApplication::activeModalWidget());
    QCOMPARE(banner->text(), QStringLiteral("Disk almost full"));
    QCOMPARE(NotificationBanner::levelFromString(QStringLiteral("error")), NotificationBanner::Level::Error);
    QCOMPARE(NotificationBanner::levelFromString(QStringLiteral("whatever")), NotificationBanner::Level::Info);
    QSignalSpy dismissed(banner, &NotificationBanner::dismissed);
    QTest::keyClick(banner, Qt::Key_Escape);
    QCOMPARE(dismissed.count(), 1);
    QVERIFY(!banner->isVisible());
}

void TestUiWidgets::iconsRenderTinted()
{
    for (const char *name : { "upload", "search", "chat", "settings", "stop", "send", "attachment" }) {
        const QIcon icon = themedIcon(QLatin1String(name), Qt::red);
        QVERIFY2(!icon.isNull(), name);
        const QImage img = icon.pixmap(QSize(48, 48), 2.0).toImage();
        QCOMPARE(img.size(), QSize(96, 96)); // rendered at the device pixel ratio, not scaled up
        int red = 0;
        for (int y = 0; y < img.height(); ++y)
            for (int x = 0; x < img.width(); ++x) {
                const QColor c = img.pixelColor(x, y);
                if (c.alpha() > 200) {
                    QCOMPARE(c.red(), 255);
                    QCOMPARE(c.green(), 0);
                    ++red;
                }
            }
        QVERIFY2(red > 50, name);
    }
    QVERIFY(themedIcon(QStringLiteral("no-such-icon")).isNull());
}

void TestUiWidgets::darkPaletteIsDark()
{
    applyTheme(UiSettings::Theme::Dark);
    const QPalette dark = QApplication::palette();
    QVERIFY(dark.color(QPalette::Window).lightness() < 80);
    QVERIFY(dark.color(QPalette::WindowText).lightness() > 180);
    applyTheme(UiSettings::Theme::Light);
    const QPalette light = QApplication::palette();
    QVERIFY(light.color(QPalette::Window).lightness() > 180);
    QVERIFY(light.color(QPalette::WindowText).lightness() < 80);
}

void TestUiWidgets::languagesLoad_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<QString>("settingsTitle");
    QTest::newRow("de") << QStringLiteral("de") << QStringLiteral("Einstellungen");
    QTest::newRow("fr") << QStringLiteral("fr") << QStringLiteral("Paramètres");
    QTest::newRow("en") << QStringLiteral("en") << QStringLiteral("Settings");
}

void TestUiWidgets::languagesLoad()
{
    QFETCH(QString, language);
    QFETCH(QString, settingsTitle);
    QCOMPARE(installTranslations(language, qApp), language);
    SettingsDialog dlg(UiSettings {});
    QCOMPARE(dlg.windowTitle(), settingsTitle);
    installTranslations(QStringLiteral("en"), qApp);
}

void TestUiWidgets::maildirPacksToMbox()
{
    QTemporaryDir dir;
    const QString md = dir.filePath(QStringLiteral("Inbox"));
    for (const char *sub : { "cur", "new", "tmp" })
        QVERIFY(QDir().mkpath(md + QLatin1Char('/') + QLatin1String(sub)));
    auto write = [](const QString &path, const QByteArray &data) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(data);
    };
    write(md + QStringLiteral("/cur/1:2,S"), "Subject: one\n\nFrom the start\n>From quoted\n");
    write(md + QStringLiteral("/new/2"), "From someone@example.org Mon Jan  1 00:00:00 2001\nSubject: two\n\nbody");
    write(md + QStringLiteral("/tmp/3"), "Subject: being delivered\n\nx\n");
    write(md + QStringLiteral("/cur/.hidden"), "Subject: hidden\n\nx\n");
    QVERIFY(emailrag::client::isMailFolder(md));
    QVERIFY(!emailrag::client::isMailFolder(md + QStringLiteral("/tmp/3")));

    const QString out = dir.filePath(QStringLiteral("out.mbox"));
    const emailrag::client::PackResult r = emailrag::client::packMaildir(md, out);
    QVERIFY2(r.ok, qPrintable(r.error));
    QCOMPARE(r.messages, 2); // tmp/ and dot files skipped
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray mbox = f.readAll();
    QCOMPARE(mbox,
        QByteArray("From MAILER-DAEMON Thu Jan  1 00:00:00 1970\nSubject: one\n\n>From the start\n>>From quoted\n\n"
                   "From someone@example.org Mon Jan  1 00:00:00 2001\nSubject: two\n\nbody\n\n"));
    QVERIFY(!emailrag::client::packMaildir(dir.filePath(QStringLiteral("empty")), out).ok);
}

void TestUiWidgets::reflowJoinsProseOnly()
{
    const QString in = QStringLiteral("This is a long line of prose that was wrapped at some width\n"
                                      "and continues here.\n"
                                      "\n"
                                      "Items follow in a list here, one per line, as written:\n"
                                      "- first\n"
                                      "> quoted text that is also quite long, longer than forty\n"
                                      "> characters in all\n"
                                      "--\n"
                                      "Signature line that is long enough to be joined if prose\n"
                                      "Company, phone");
    const QString out = richtext::reflow(in);
    QVERIFY(out.contains(QStringLiteral("wrapped at some width and continues here.")));
    QVERIFY(out.contains(QStringLiteral("as written:\n- first")));
    QVERIFY(out.contains(QStringLiteral("forty\n> characters")));
    QVERIFY(out.contains(QStringLiteral("\n--\nSignature line that is long enough to be joined if prose\nCompany")));
    QCOMPARE(out.count(QLatin1Char('\n')), in.count(QLatin1Char('\n')) - 1); // only the first two lines joined
    QCOMPARE(richtext::reflow(QStringLiteral("A line of prose long enough to be joined with\r\nthe next one.")),
        QStringLiteral("A line of prose long enough to be joined with the next one."));
}

QTEST_MAIN(TestUiWidgets)
#include "tst_uiwidgets.moc"
