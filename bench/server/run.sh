#!/bin/sh
# Server benchmark: the whole table of docs/performance.md "Server" in one command.
# Usage: bench/server/run.sh [BUILD_DIR]   (default build/release; configures it as Release and
# builds emailrag + bench_server there). Prints the load average, then one bench_server run each
# for 1,000, 3,000 and 10,000 connections (fan-out always to 1,000 subscribers).
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$SRC/build/release}
[ -f "$BUILD/build.ninja" ] || cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" --target emailrag bench_server -j2 >/dev/null
BENCH="$BUILD/bench/server/bench_server"
# 10,000 connections need about 10,100 descriptors in each process; both raise their soft limit
# to the hard limit themselves, this only says what that limit is.
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), open-file hard limit $(ulimit -Hn)"
for n in 1000 3000 10000; do
    echo "== $n connections"
    pings=2000; [ "$n" -ge 10000 ] && pings=300   # each sequential ping costs O(connections) there
    "$BENCH" --connections "$n" --fanout 1000 --pings "$pings" --seconds 5 --client-threads 4
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
