#include <QTest>
class TestImportKill : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { }
};
QTEST_GUILESS_MAIN(TestImportKill)
#include "tst_importkill.moc"
