#!/bin/sh
# Search SPEED benchmark: time to first result and to completion (p50/p95) over the 320-query
# known-item set, in-process and over the WebSocket API, on the bench corpus (12,123-message
# sample with Enron, SpamAssassin ham, R-devel; and all 58,340) and on 1,000,000 emails; notmuch,
# mu and recoll in the same run, each at the same limits as emailrag's rows (10 and 50 results:
# notmuch --limit, mu --maxnum, recollq -n). Figures go to docs/performance.md ("Search: speed").
#
#   [ANCHORS_58K=1] [ANCHORS_1M=1] bench/search/run_speed.sh [BUILD] [WORK] [ONE_M]
#     BUILD  Release build dir (default build/speed-release)
#     WORK   bench corpus dir shared with run.sh (default /tmp/emailrag-bench)
#     ONE_M  1M data dir (default /tmp/emailrag-1m); built when missing: bench/corpus/make_mbox.py
#            (~8 min) then `emailrag import` (~35 min on 2 loaded cores)
#     ANCHORS_58K=1  also the anchors on all 58,340 messages next to emailrag's 58k rows at limit
#            10 and 50, in-process and over the WebSocket; the anchors' indexes are built first
#            when missing (bench/search/index_anchors.sh, niced, not compacted, as at 12k) under
#            WORK/58k/anchors
#     ONLY_1M=1      with ANCHORS_1M=1: the 1M rows only (emailrag at limits 50 and 10, in-process
#            and WebSocket, and the anchors), skipping the 12k and 58k runs; ANCHORS_1M_TOOLS="notmuch"
#            (default "notmuch mu recoll") picks the anchors. For a session whose 1M indexes finish
#            at different times: the finished ones with emailrag first, the rest when ready.
#     ANCHORS_1M=1   also emailrag at limit 10 on 1M (in-process and WebSocket) and the anchors at
#            1M, querying the indexes bench/search/index_anchors.sh built under ONE_M/anchors (it
#            never indexes here: hours); an anchor whose index is not complete is skipped with a
#            line saying so. Building them (hours, niced, survives the shell; ~20 GB of disk):
#              python3 bench/corpus/split_mbox.py ONE_M/1m.mbox ONE_M/maildir
#              COMPACT_EVERY_MB=2000 RECOLL_MBOX=ONE_M/1m.mbox setsid nohup \
#                  bench/search/index_anchors.sh ONE_M/maildir ONE_M </dev/null >ONE_M/anchors/index.log 2>&1 &
# Needs notmuch, mu (maildir-utils), recoll; the anchors' indexes are reused when present.
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
[ -d "$WORK/maildir-small" ] || python3 "$SRC/bench/search/sample_corpus.py" "$WORK/maildir" "$WORK/maildir-small" "$Q" "$SRC/bench/search/queries-paraphrase.tsv"
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
# The 1M anchor indexes take hours in the background (index_anchors.sh): say so if they still run.
busy=$(for p in $(pgrep -f "$ONE_M/anchors/"); do c=$(pgrep -P "$p"); echo "${c:-$p}"; done | sort -u | tr '\n' ' ')
[ -z "$busy" ] || echo "== WARNING: anchor indexing still running (pids $busy): the machine is not quiet;" \
    "pause it with kill -STOP $busy, resume with kill -CONT $busy"
SMALL=1
[ "${ONLY_1M:-0}" = 1 ] && [ "${ANCHORS_1M:-0}" = 1 ] && SMALL=0
echo "== in-process (Searcher::run, second of two runs, limit 50 with snippets)"
if [ $SMALL = 1 ]; then
"$B" --db "$WORK/speed-12k.sqlite" --queries "$Q" --system emailrag-12k --out "$WORK/results/speed-12k.tsv"
"$B" --db "$WORK/speed-58k.sqlite" --queries "$Q" --system emailrag-58k --out "$WORK/results/speed-58k.tsv"
fi
"$B" --db "$ONE_M/data/emailrag.db" --user local --queries "$Q" --system emailrag-1M --out "$WORK/results/speed-1m.tsv"
if [ $SMALL = 1 ]; then
echo "== in-process, limit 10 (as many hits as the anchors print; with snippets)"
"$B" --db "$WORK/speed-12k.sqlite" --queries "$Q" --limit 10 --system emailrag-12k-10 --out "$WORK/results/speed-12k-10.tsv"

echo "== over the WebSocket (emailrag --server + QWebSocket client on loopback)"
mkdir -p "$WORK/ws-12k"
[ -f "$WORK/ws-12k/emailrag.db" ] || cp "$WORK/speed-12k.sqlite" "$WORK/ws-12k/emailrag.db"
ws_run ws-12k "$WORK/ws-12k" bench
ws_run ws-12k-10 "$WORK/ws-12k" bench 10
fi
ws_run ws-1M "$ONE_M/data" local

# anchors LABEL MAILDIR HOMES [anchors.py options]: the anchors at limit 10 and 50 (as emailrag's
# rows), one process per query, into results/anchors-LABEL.tsv (systems notmuch-LABEL-10, ...).
anchors() {
    label=$1; maildir=$2; homes=$3; shift 3
    rm -f "$WORK/results/anchors-$label.tsv"
    for n in 10 50; do
        python3 "$SRC/bench/search/anchors.py" --limit "$n" --suffix="-$label-$n" "$@" "$maildir" "$homes" "$Q" \
            "$WORK/results/anchors-$label.tsv" ${ANCHOR_SYSTEMS:-}
    done
    touch "$WORK/results/anchors-$label.tsv"
}

if [ $SMALL = 1 ]; then
echo "== anchors on the 12,123-message sample (one process per query, limit 10 and 50)"
anchors 12k "$WORK/maildir-small" "$WORK"
python3 "$SRC/bench/search/report.py" "$WORK/results/speed-12k.tsv" "$WORK/results/ws-12k.tsv" \
    "$WORK/results/speed-12k-10.tsv" "$WORK/results/ws-12k-10.tsv" "$WORK/results/anchors-12k.tsv"
fi
if [ $SMALL = 1 ] && [ "${ANCHORS_58K:-0}" = 1 ]; then
    echo "== 58,340 messages: emailrag at limit 10, anchors at limit 10 and 50"
    "$B" --db "$WORK/speed-58k.sqlite" --queries "$Q" --limit 10 --system emailrag-58k-10 --out "$WORK/results/speed-58k-10.tsv"
    mkdir -p "$WORK/ws-58k"
    [ -f "$WORK/ws-58k/emailrag.db" ] || cp "$WORK/speed-58k.sqlite" "$WORK/ws-58k/emailrag.db"
    ws_run ws-58k "$WORK/ws-58k" bench
    ws_run ws-58k-10 "$WORK/ws-58k" bench 10
    COMPACT=0 "$SRC/bench/search/index_anchors.sh" "$WORK/maildir" "$WORK/58k" || echo "anchor indexing at 58k failed: see $WORK/58k/anchors/*.log"
    for t in notmuch mu recoll; do
        if [ -f "$WORK/58k/anchors/$t/complete" ]; then echo "58k index: $(cat "$WORK/58k/anchors/$t/complete")"; fi
    done
    anchors 58k "$WORK/maildir" "$WORK/58k" --require-index
    python3 "$SRC/bench/search/report.py" "$WORK/results/speed-58k.tsv" "$WORK/results/ws-58k.tsv" \
        "$WORK/results/speed-58k-10.tsv" "$WORK/results/ws-58k-10.tsv" "$WORK/results/anchors-58k.tsv"
fi
[ $SMALL = 1 ] && python3 "$SRC/bench/search/report.py" "$WORK/results/speed-58k.tsv" "$WORK/results/speed-1m.tsv" "$WORK/results/ws-1M.tsv"
if [ "${ANCHORS_1M:-0}" = 1 ]; then
    echo "== 1,000,000: emailrag at limit 10 (in-process, WebSocket), anchors at limit 10 and 50"
    "$B" --db "$ONE_M/data/emailrag.db" --user local --queries "$Q" --limit 10 --system emailrag-1M-10 --out "$WORK/results/speed-1m-10.tsv"
    ws_run ws-1M-10 "$ONE_M/data" local 10
    TOOLS=${ANCHORS_1M_TOOLS:-notmuch mu recoll}
    for t in $TOOLS; do
        if [ -f "$ONE_M/anchors/$t/complete" ]; then echo "1M index: $(cat "$ONE_M/anchors/$t/complete")"
        else echo "1M index: $t NOT COMPLETE, skipped (built by index_anchors.sh, see this script's header; last progress: $(grep progress "$ONE_M/anchors/$t.log" 2>/dev/null | tail -1))"; fi
    done
    # recoll at 1M indexes the mbox itself (index_anchors.sh with RECOLL_MBOX): its results are
    # mapped to Message-IDs through the ids file written then
    if [ -f "$ONE_M/anchors/recoll/mbox.ids" ]; then
        ANCHOR_SYSTEMS=$TOOLS anchors 1M "$ONE_M/maildir" "$ONE_M" --require-index --recoll-mbox "$ONE_M/1m.mbox"
    else
        ANCHOR_SYSTEMS=$TOOLS anchors 1M "$ONE_M/maildir" "$ONE_M" --require-index
    fi
    python3 "$SRC/bench/search/report.py" "$WORK/results/speed-1m.tsv" "$WORK/results/ws-1M.tsv" \
        "$WORK/results/speed-1m-10.tsv" "$WORK/results/ws-1M-10.tsv" "$WORK/results/anchors-1M.tsv"
fi
echo "== load: $(uptime)"
