#!/bin/sh
# Search SPEED benchmark: time to first result and to completion (p50/p95) over the 320-query
# known-item set, in-process and over the WebSocket API, on the bench corpus (12,123-message
# sample with Enron, SpamAssassin ham, R-devel; and all 58,340) and on 1,000,000 emails; notmuch,
# mu and recoll on the 12,123-message sample in the same run (they cannot index 1M in time:
# notmuch manages ~40-400 emails/s here). Figures go to docs/performance.md ("Search: speed").
#
#   bench/search/run_speed.sh [BUILD] [WORK] [ONE_M]
#     BUILD  Release build dir (default build/speed-release)
#     WORK   bench corpus dir shared with run.sh (default /tmp/emailrag-bench)
#     ONE_M  1M data dir (default /tmp/emailrag-1m); built when missing: bench/corpus/make_mbox.py
#            (~8 min) then `emailrag import` (~35 min on 2 loaded cores)
# Needs notmuch, mu (maildir-utils), recoll; the anchors' indexes are reused from WORK when present.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$SRC/build/speed-release}
WORK=${2:-/tmp/emailrag-bench}
ONE_M=${3:-/tmp/emailrag-1m}
CORPORA=${EMAILRAG_CORPORA:-$SRC/../shared/corpora}
Q="$SRC/bench/search/queries.tsv"
PORT=${EMAILRAG_BENCH_PORT:-18731}
mkdir -p "$WORK/results"

for pkg in notmuch maildir-utils recoll; do
    dpkg -s "$pkg" >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq notmuch maildir-utils recoll; break; }
done
cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" --target emailrag bench_search bench_search_ws -j2
E="$BUILD/app/emailrag"
B="$BUILD/bench/search/bench_search"
W="$BUILD/bench/search/bench_search_ws"

# Data: the bench corpus (as run.sh) and the 1M store.
python3 "$SRC/bench/search/make_corpus.py" "$CORPORA" "$WORK"
[ -d "$WORK/maildir-small" ] || python3 "$SRC/bench/search/sample_corpus.py" "$WORK/maildir" "$WORK/maildir-small" "$Q"
# Own stores (not run.sh's), imported by this build, so their schema is this build's.
[ -f "$WORK/speed-12k.sqlite" ] || "$B" --db "$WORK/speed-12k.sqlite" --import "$WORK/maildir-small" --queries /dev/null
[ -f "$WORK/speed-58k.sqlite" ] || "$B" --db "$WORK/speed-58k.sqlite" --import "$WORK/maildir" --queries /dev/null
if [ ! -f "$ONE_M/data/emailrag.db" ]; then
    [ -f "$ONE_M/1m.mbox" ] || python3 "$SRC/bench/corpus/make_mbox.py" --out "$ONE_M/1m.mbox"
    /usr/bin/time -f "import 1M: %e s wall, %U s user, %S s sys, %M KB peak RSS" \
        "$E" import "$ONE_M/1m.mbox" --data "$ONE_M/data" 2>&1 | grep -v '^progress'
fi

# ws_run NAME DATA_DIR USER [LIMIT]: starts `emailrag --server` on DATA_DIR, runs the queries
# through a QWebSocket client (LIMIT hits each, default 50), stops the server.
ws_run() {
    printf '[server]\nlisten = 127.0.0.1:%s\nrate-limit-per-minute = 100000\nflood-disconnect-after = 1000\n' "$PORT" >"$2/emailrag.conf"
    TOKEN=$("$E" token "$3" --data "$2")
    "$E" --server --data "$2" >"$WORK/results/server-$1.log" 2>&1 &
    SPID=$!
    i=0
    until curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null; do
        i=$((i + 1)); [ $i -lt 300 ] || { kill $SPID; echo "server did not start"; exit 1; }; sleep 0.2
    done
    "$W" --url "ws://127.0.0.1:$PORT/api/v1/ws" --token "$TOKEN" --db "$2/emailrag.db" --queries "$Q" \
        --system "$1" --out "$WORK/results/$1.tsv" --limit "${4:-50}" || true
    kill -TERM $SPID; wait $SPID || true
}

echo "== load: $(uptime)"
echo "== in-process (Searcher::run, second of two runs, limit 50 with snippets)"
"$B" --db "$WORK/speed-12k.sqlite" --queries "$Q" --system emailrag-12k --out "$WORK/results/speed-12k.tsv"
"$B" --db "$WORK/speed-58k.sqlite" --queries "$Q" --system emailrag-58k --out "$WORK/results/speed-58k.tsv"
"$B" --db "$ONE_M/data/emailrag.db" --user local --queries "$Q" --system emailrag-1M --out "$WORK/results/speed-1m.tsv"
echo "== in-process, limit 10 (as many hits as the anchors print; with snippets)"
"$B" --db "$WORK/speed-12k.sqlite" --queries "$Q" --limit 10 --system emailrag-12k-10 --out "$WORK/results/speed-12k-10.tsv"

echo "== over the WebSocket (emailrag --server + QWebSocket client on loopback)"
mkdir -p "$WORK/ws-12k"
[ -f "$WORK/ws-12k/emailrag.db" ] || cp "$WORK/speed-12k.sqlite" "$WORK/ws-12k/emailrag.db"
ws_run ws-12k "$WORK/ws-12k" bench
ws_run ws-12k-10 "$WORK/ws-12k" bench 10
ws_run ws-1M "$ONE_M/data" local

echo "== anchors on the 12,123-message sample (one process per query)"
rm -f "$WORK/results/anchors-speed.tsv"
python3 "$SRC/bench/search/anchors.py" "$WORK/maildir-small" "$WORK" "$Q" "$WORK/results/anchors-speed.tsv"
python3 "$SRC/bench/search/report.py" "$WORK/results/speed-12k.tsv" "$WORK/results/ws-12k.tsv" \
    "$WORK/results/speed-12k-10.tsv" "$WORK/results/ws-12k-10.tsv" "$WORK/results/anchors-speed.tsv"
python3 "$SRC/bench/search/report.py" "$WORK/results/speed-58k.tsv" "$WORK/results/speed-1m.tsv" "$WORK/results/ws-1M.tsv"
echo "== load: $(uptime)"
