#include <QTest>
class Test_messageparser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { }
};
QTEST_GUILESS_MAIN(Test_messageparser)
#include "tst_messageparser.moc"
