#!/usr/bin/env python3
"""Summarises per-query result TSVs (bench_search --out, anchors.py) into the tables of
docs/performance.md: MRR@10 and recall@10 per system and query kind, p50/p95 times."""
import sys
from collections import defaultdict


def pct(v, p):
    v = sorted(v)
    if not v:
        return 0.0
    i = p * (len(v) - 1)
    lo = int(i)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (i - lo)


groups = defaultdict(list)
for path in sys.argv[1:]:
    with open(path) as f:
        for line in f:
            qid, corpus, kind, system, rank, first, total = line.rstrip("\n").split("\t")
            r = (int(rank), float(first), float(total))
            groups[(system, kind)].append(r)
            groups[(system, "all")].append(r)
            groups[(system, "corpus:" + corpus)].append(r)

print("| system | queries | kind | MRR@10 | recall@10 | first p50 ms | first p95 ms | complete p50 ms | complete p95 ms |")
print("|---|---|---|---|---|---|---|---|---|")
for (system, kind) in sorted(groups):
    rs = groups[(system, kind)]
    mrr = sum(1 / r[0] for r in rs if r[0]) / len(rs)
    rec = sum(1 for r in rs if r[0]) / len(rs)
    print(f"| {system} | {len(rs)} | {kind} | {mrr:.3f} | {rec:.3f} | {pct([r[1] for r in rs], .5):.1f} | "
          f"{pct([r[1] for r in rs], .95):.1f} | {pct([r[2] for r in rs], .5):.1f} | {pct([r[2] for r in rs], .95):.1f} |")
