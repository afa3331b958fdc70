#include "knownitem.h"

#include <QRegularExpression>

#include <algorithm>
#include <cstdio>

namespace emailrag::bench {

std::optional<QList<Query>> readQueries(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    QTextStream in(&f);
    in.readLine(); // header
    QList<Query> queries;
    while (!in.atEnd()) {
        const QStringList c = in.readLine().split(QLatin1Char('\t'));
        if (c.size() >= 5)
            queries << Query{c[0], c[1], c[2], c[3], c[4]};
    }
    return queries;
}

QString stripCopy(QString messageId)
{
    static const QRegularExpression copy(QStringLiteral("\\.c\\d+(?=@|$)"));
    return messageId.remove(copy);
}

double percentile(QList<double> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const double idx = p * (v.size() - 1);
    const int lo = int(idx);
    const int hi = qMin(lo + 1, int(v.size() - 1));
    return v[lo] + (v[hi] - v[lo]) * (idx - lo);
}

KnownItemTally::KnownItemTally(const QString &system, const QString &outPath)
    : m_system(system), m_out(outPath)
{
    m_writeOut = !outPath.isEmpty() && m_out.open(QIODevice::WriteOnly | QIODevice::Truncate);
    if (m_writeOut)
        m_os.setDevice(&m_out);
}

void KnownItemTally::add(const Query &q, int rank, double firstMs, double totalMs)
{
    for (const QString &k : {q.kind, QStringLiteral("all")}) {
        Acc &a = m_acc[k];
        a.n++;
        a.rr += rank ? 1.0 / rank : 0;
        a.hits += rank ? 1 : 0;
        a.first << firstMs;
        a.total << totalMs;
    }
    if (m_writeOut)
        m_os << q.id << '\t' << q.corpus << '\t' << q.kind << '\t' << m_system << '\t' << rank << '\t' << firstMs << '\t'
             << totalMs << '\n';
}

void KnownItemTally::printTable(bool withRanks) const
{
    std::printf("| system | queries | MRR@10 | recall@10 | first p50 ms | first p95 ms | complete p50 ms | complete p95 ms |\n");
    for (auto it = m_acc.cbegin(); it != m_acc.cend(); ++it) {
        const Acc &a = it.value();
        std::printf("| %s (%s) | %d | %.3f | %.3f | %.2f | %.2f | %.2f | %.2f |\n", qPrintable(m_system), qPrintable(it.key()),
                    a.n, withRanks ? a.rr / a.n : 0.0, withRanks ? double(a.hits) / a.n : 0.0, percentile(a.first, 0.5),
                    percentile(a.first, 0.95), percentile(a.total, 0.5), percentile(a.total, 0.95));
    }
}

} // namespace emailrag::bench
