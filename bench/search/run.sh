#!/bin/sh
# Search benchmark: relevance and speed of emailrag against notmuch, mu and recoll, same corpus,
# same 320 queries, same run. Figures go to docs/performance.md ("Search").
#
#   [BUILD=DIR] bench/search/run.sh [WORK]   (default WORK=/tmp/emailrag-bench; ~2 GB, ~30 min)
#
# BUILD: a Release build directory to reuse (e.g. build/speed-release, which run_speed.sh builds);
# default build/bench-search.
#
# 1. builds bench_search (Release) in build/bench-search
# 2. builds the bench Maildir from ../shared/corpora (make_corpus.py) and a 12,123-message sample
#    holding every query target (the anchors index the 58,340-message tree too slowly for one run)
# 3. imports it with the real importer and runs the queries: lexical, with feedback, semantic
#    only and hybrid (after the embedding stage)
# 4. indexes the same Maildir with notmuch, mu and recoll and runs the same queries (anchors.py)
# 5. prints the tables (report.py)
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${1:-/tmp/emailrag-bench}
CORPORA=${EMAILRAG_CORPORA:-$SRC/../shared/corpora}
mkdir -p "$WORK/results"

for pkg in notmuch maildir-utils recoll; do
    dpkg -s "$pkg" >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq notmuch maildir-utils recoll; break; }
done

BUILD=${BUILD:-$SRC/build/bench-search}
cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" --target bench_search -j2
B="$BUILD/bench/search/bench_search"
Q="$SRC/bench/search/queries.tsv"
# The known-item set plus 66 paraphrased requests (queries-paraphrase.tsv: the gist of an email in
# other words, kind "paraphrase"; targets are in the 12,123-message sample), reported apart.
QA="$WORK/queries-with-paraphrase.tsv"
{ cat "$Q"; tail -n +2 "$SRC/bench/search/queries-paraphrase.tsv"; } > "$QA"

python3 "$SRC/bench/search/make_corpus.py" "$CORPORA" "$WORK"
[ -d "$WORK/maildir-small" ] || python3 "$SRC/bench/search/sample_corpus.py" "$WORK/maildir" "$WORK/maildir-small" "$Q" "$SRC/bench/search/queries-paraphrase.tsv"

[ -f "$WORK/bench-small.sqlite" ] || "$B" --db "$WORK/bench-small.sqlite" --import "$WORK/maildir-small" --queries /dev/null
[ -f "$WORK/bench.sqlite" ] || "$B" --db "$WORK/bench.sqlite" --import "$WORK/maildir" --queries /dev/null
"$B" --db "$WORK/bench-small.sqlite" --queries "$QA" --out "$WORK/results/small-lexical.tsv" --system emailrag-lexical
"$B" --db "$WORK/bench-small.sqlite" --queries "$QA" --out "$WORK/results/small-prf.tsv" --system emailrag-prf --feedback
# Semantic (built-in PPMI+SVD model; --embed trains it and embeds every email, printing the cost per
# email and the index load time; resumable, so a second run only checks) and hybrid, same queries.
"$B" --db "$WORK/bench-small.sqlite" --embed --queries "$QA" --out "$WORK/results/small-semantic.tsv" --system emailrag-semantic --ranking semantic
"$B" --db "$WORK/bench-small.sqlite" --queries "$QA" --out "$WORK/results/small-hybrid.tsv" --system emailrag-hybrid --ranking hybrid
"$B" --db "$WORK/bench.sqlite" --queries "$Q" --out "$WORK/results/full-lexical.tsv" --system emailrag-lexical-58k

rm -f "$WORK/results/anchors.tsv"
python3 "$SRC/bench/search/anchors.py" "$WORK/maildir-small" "$WORK" "$QA" "$WORK/results/anchors.tsv"

python3 "$SRC/bench/search/report.py" "$WORK/results/small-lexical.tsv" "$WORK/results/small-prf.tsv" \
    "$WORK/results/small-semantic.tsv" "$WORK/results/small-hybrid.tsv" "$WORK/results/anchors.tsv"
python3 "$SRC/bench/search/report.py" "$WORK/results/full-lexical.tsv"
