#pragma once

#include <QFile>
#include <QList>
#include <QMap>
#include <QString>
#include <QTextStream>

#include <optional>

// What the in-process (bench_search) and WebSocket (bench_search_ws) search benchmarks share: the
// known-item query set, the rule that a copy made by bench/corpus/make_mbox.py counts as its
// original, and the tally that turns per-query ranks and times into the table they print
// (MRR@10, recall@10, p50/p95 to the first result and to completion, per query kind and "all")
// and the per-query TSV that bench/search/report.py reads.
namespace emailrag::bench {

struct Query
{
    QString id, corpus, kind, text, messageId;
};

// bench/search/queries.tsv: a header line, then id, corpus, kind, text, target Message-ID.
// nullopt when the file cannot be read.
std::optional<QList<Query>> readQueries(const QString &path);

// "<left.cN@right>" (copy N of make_mbox.py) -> "<left@right>".
QString stripCopy(QString messageId);

double percentile(QList<double> values, double p);

class KnownItemTally
{
public:
    // `outPath` empty: no per-query file.
    KnownItemTally(const QString &system, const QString &outPath);

    // rank: 1..10 of the target in the first ten hits, 0 when not among them.
    void add(const Query &q, int rank, double firstMs, double totalMs);
    // One Markdown row per kind; without ranks (no database to look targets up) MRR/recall are 0.
    void printTable(bool withRanks) const;

private:
    struct Acc
    {
        double rr = 0;
        int hits = 0;
        int n = 0;
        QList<double> first, total;
    };
    QString m_system;
    QMap<QString, Acc> m_acc; // by kind and "all"
    QFile m_out;
    QTextStream m_os;
    bool m_writeOut = false;
};

} // namespace emailrag::bench
