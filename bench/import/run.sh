#!/bin/sh
# Import benchmark: emails/s, CPU time and peak RSS of our importer on the Enron Maildir and the
# R-devel mbox, and in the same run `notmuch new`, `mu index` and `mairix` on the same Maildir.
# Usage: bench/import/run.sh [BUILD_DIR]   (default build/release; builds bench_import and
#        bench_import_floor there: the floor is GMime and FTS5 alone on the same Maildir)
# Environment:
#   BENCH_ANCHORS=all|mairix|none  which anchors to run (default all; notmuch alone takes ~20 min
#                                  on a loaded machine, so `mairix` keeps only the fast one)
#   BENCH_CACHE=warm|cold          warm (default): the Maildir is read into the page cache before each
#                                  tool; cold: the page cache is dropped before each tool (root)
#   BENCH_PROFILE=1                also print the import writer's CPU per phase
#   BENCH_REPEAT=N                 then N alternating pairs of our Enron import and mairix, with
#                                  their medians (default 5; 0 skips them)
#   BENCH_1M=1                     also import the generated 1,000,000-message mbox
#                                  (bench/corpus/make_mbox.py, made once into /tmp/emailrag-1m/;
#                                  about 3.5 GB, plus several GB for the store, deleted afterwards)
# Installs notmuch, maildir-utils and mairix with apt when missing (not in setup.sh: bench only).
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$SRC/build/release}
CORPORA=${EMAILRAG_CORPORA:-$SRC/../shared/corpora}
WORK=${BENCH_WORK:-/tmp/emailrag-bench-import}
ANCHORS=${BENCH_ANCHORS:-all}
MBOX_1M=${BENCH_1M_MBOX:-/tmp/emailrag-1m/1m.mbox}

if ! command -v notmuch >/dev/null || ! command -v mu >/dev/null || ! command -v mairix >/dev/null; then
    apt-get install -y -q notmuch maildir-utils mairix >/dev/null
fi
[ -f "$BUILD/build.ninja" ] || cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DEMAILRAG_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD" --target bench_import bench_import_floor -j2 >/dev/null
BENCH="$BUILD/bench/import/bench_import"
FLOOR="$BUILD/bench/import/bench_import_floor"

mkdir -p "$WORK"
[ -d "$WORK/enron-inbox-subset" ] || tar --zstd -xf "$CORPORA/enron-inbox-subset.tar.zst" -C "$WORK"
[ -f "$WORK/r-devel.mbox" ] || zstd -q -dc "$CORPORA/r-devel-1997-2026.mbox.zst" > "$WORK/r-devel.mbox"
MAILDIR="$WORK/enron-inbox-subset"
N=$(find "$MAILDIR" -type f -path '*/cur/*' | wc -l)
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ), page cache: ${BENCH_CACHE:-warm}"

# Every tool reads the Maildir from a warm page cache: it is read once before each measured run
# (before this, our importer ran first, sometimes right after the unpack had been evicted, and
# paid the disk reads that the anchors, run later, did not).
# BENCH_CACHE=cold does the opposite: the page cache is dropped before each tool (root only), so
# every tool reads the mail from the disk, as an import of an archive that was not just copied
# does. (mairix, single-threaded, waits for one file at a time then; we ask for the coming files
# ahead, server/ingest/prefetch.h.)
CACHE=${BENCH_CACHE:-warm}
if [ "$CACHE" = cold ]; then
    warm() { sync; echo 3 > /proc/sys/vm/drop_caches; }
else
    warm() { find "$MAILDIR" -type f -exec cat {} + >/dev/null; }
fi

# Wall time, CPU time and peak RSS of a command, via GNU time. The machine is shared, so the
# rate per CPU second is printed next to the wall-clock rate.
measure() { /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$@" >"$WORK/out.txt" 2>&1 || { cat "$WORK/out.txt"; exit 1; }; }
report() { read -r secs user sys kb < "$WORK/time.txt"; awk -v n="$2" -v s="$secs" -v u="$user" -v y="$sys" -v kb="$kb" -v name="$1" \
    'BEGIN { cpu = u + y; printf "%-34s %8d msgs %8.2f s wall %8.0f emails/s %8.2f s CPU %8.0f emails/CPU-s %7.0f MB peak RSS\n", name, n, s, n / s, cpu, n / cpu, kb / 1024 }'; }
# bench_import's own lines: counts, and the writer thread's CPU per email next to the rest's.
# BENCH_PROFILE=1: the importer also logs the writer's CPU per phase (FTS row, commit, emails row,
# threads...) and how long it waited for the parse pool (EMAILRAG_IMPORT_PROFILE, docs/ingestion.md;
# it reads a thread-CPU clock (a system call) several times per email, so it is off by default).
[ "${BENCH_PROFILE:-0}" = 1 ] && export EMAILRAG_IMPORT_PROFILE=1
ours() { grep -E '^(messages|cpu_s)=|writer phases|waited for the parse pool' "$WORK/out.txt" | sed -e 's/^emailrag.ingest: //' -e 's/^/    /'; }

rm -f "$WORK"/enron.db*
warm
measure "$BENCH" "$WORK/enron.db" "$MAILDIR"; ours
report "emailrag import (Enron Maildir)" "$N"

rm -f "$WORK"/rdevel.db*
RN=77342
measure "$BENCH" "$WORK/rdevel.db" "$WORK/r-devel.mbox"; ours
report "emailrag import (R-devel mbox)" "$RN"

# The floor: GMime and FTS5 alone on the same Maildir, one thread each (bench_import_floor.cpp), and
# the best an importer made of nothing else could do on two cores. Our CPU above theirs is our own.
warm
"$FLOOR" "$MAILDIR" > "$WORK/floor.txt" || { cat "$WORK/floor.txt"; exit 1; }
awk -v n="$N" '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
    END { printf "%-34s %8d msgs  GMime %.2f CPU-s + FTS5 %.2f CPU-s: at most %.0f emails/s on two cores\n",
        "floor (GMime and FTS5 alone)", n, v["gmime_cpu_s"], v["fts5_cpu_s"], v["ceiling_emails_per_s"] }' "$WORK/floor.txt"

if [ "${BENCH_1M:-0}" = 1 ]; then
    [ -f "$MBOX_1M" ] || python3 "$SRC/bench/corpus/make_mbox.py" --out "$MBOX_1M" >/dev/null
    M=$(grep -c '^From make-mbox@emailrag.invalid ' "$MBOX_1M")
    rm -f "$WORK"/1m.db*
    measure "$BENCH" "$WORK/1m.db" "$MBOX_1M"; ours
    report "emailrag import (1M mbox, $(($(stat -c %s "$MBOX_1M") / 1048576)) MB)" "$M"
    echo "    store: $(du -cm "$WORK"/1m.db* | tail -n 1 | cut -f1) MB"
    rm -f "$WORK"/1m.db*
fi

[ "$ANCHORS" = none ] && exit 0
# Anchors on the same Maildir. Each gets a fresh HOME so no earlier index is reused.
H="$WORK/home"; rm -rf "$H"; mkdir -p "$H"
if [ "$ANCHORS" = all ]; then
    printf '[database]\npath=%s\n[new]\ntags=new\n[maildir]\nsynchronize_flags=false\n' "$MAILDIR" > "$H/.notmuch-config"
    rm -rf "$MAILDIR/.notmuch"
    warm
    HOME=$H measure notmuch new --quiet; report "notmuch new" "$N"
    rm -rf "$MAILDIR/.notmuch"

    rm -rf "$H/mu"
    HOME=$H measure mu init --muhome="$H/mu" --maildir="$MAILDIR"
    warm
    HOME=$H measure mu index --muhome="$H/mu" --quiet; report "mu index" "$N"
fi

# mairix: "DIR..." means DIR and every Maildir below it (one line per folder would be too long).
printf 'base=%s\ndatabase=%s/mairix.db\nmaildir=%s...\nmfolder=%s/mairix-results\n' "$(dirname "$MAILDIR")" "$H" "$(basename "$MAILDIR")" "$H" > "$H/.mairixrc"
rm -f "$H/mairix.db" "$H/mairix.db.lock"
warm
HOME=$H measure mairix -f "$H/.mairixrc"; report "mairix" "$N"
# mairix's own count of the messages in its database (all of them must be there: 43,603 on Enron;
# it prints "Skipping ... (could not parse message)" for 2 of them but still lists them).
echo "    mairix database: $(HOME=$H mairix -f "$H/.mairixrc" --dump 2>/dev/null | sed -n 2p)"

# Head to head with mairix: BENCH_REPEAT (default 5) alternating pairs on the Enron Maildir, each
# tool after a warm(). On this shared two-core VM one run of either tool moves by +-15 % from one
# minute to the next (the same binary: 4.9 to 6.3 s), so a single pair says little; the medians
# and the count of pairs won are what docs/performance.md quotes.
REPEAT=${BENCH_REPEAT:-5}
if [ "$REPEAT" -gt 0 ]; then
    echo "head to head, $REPEAT alternating pairs (Enron Maildir, page cache: $CACHE):"
    : > "$WORK/pairs.txt"
    for i in $(seq "$REPEAT"); do
        rm -f "$WORK"/enron.db*
        warm
        measure "$BENCH" "$WORK/enron.db" "$MAILDIR"
        ours_s=$(cut -d' ' -f1 "$WORK/time.txt")
        rm -f "$H/mairix.db" "$H/mairix.db.lock"
        warm
        HOME=$H measure mairix -f "$H/.mairixrc"
        mairix_s=$(cut -d' ' -f1 "$WORK/time.txt")
        echo "$ours_s $mairix_s" >> "$WORK/pairs.txt"
        echo "    pair $i: emailrag $ours_s s, mairix $mairix_s s (load $(cut -d' ' -f1 /proc/loadavg))"
    done
    median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
    om=$(cut -d' ' -f1 "$WORK/pairs.txt" | median)
    mm=$(cut -d' ' -f2 "$WORK/pairs.txt" | median)
    won=$(awk '$1 < $2 { n++ } END { print n + 0 }' "$WORK/pairs.txt")
    awk -v n="$N" -v o="$om" -v m="$mm" -v w="$won" -v r="$REPEAT" 'BEGIN {
        printf "    median: emailrag %.2f s (%.0f emails/s), mairix %.2f s (%.0f emails/s): emailrag %.2fx mairix, faster in %d of %d pairs\n",
            o, n / o, m, n / m, m / o, w, r }'
    rm -f "$WORK"/enron.db*
fi
