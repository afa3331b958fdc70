#include <QTest>
class Test_badinput : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { }
};
QTEST_GUILESS_MAIN(Test_badinput)
#include "tst_badinput.moc"
