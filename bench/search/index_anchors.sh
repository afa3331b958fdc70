#!/bin/sh
# Indexes a Maildir with notmuch, mu and recoll for the search speed benchmark's anchors
# (bench/search/anchors.py queries them), one tool after the other, each under
# `nice -n $NICE ionice -c3` (NICE default 19) and GNU time, so it can run for hours next to other work.
#
#   bench/search/index_anchors.sh MAILDIR WORK [notmuch mu recoll]
#
#   WORK/anchors/<tool>/           the tool's config and index, the layout anchors.py uses (the
#                                  configs written here are the ones anchors.py writes)
#   WORK/anchors/<tool>.log        start/end, GNU time (wall, user, sys CPU, peak RSS), load
#                                  average, and every PROGRESS_SECONDS (default 60) a progress
#                                  line: messages indexed, rate since start, ETA
#   WORK/anchors/<tool>/complete   written when the tool exited 0 (anchors.py --require-index
#                                  skips a tool without it)
#
# COMPACT=1 (the default) compacts each finished index (notmuch compact; xapian-compact from
# xapian-tools for mu and recoll) and logs its time and the sizes before and after: a fresh Xapian
# index is about twice its compacted size, which matters at 1M (the three would not fit in 28 GB
# otherwise). COMPACT=0 leaves the indexes as the tools wrote them. COMPACT_EVERY_MB=N also pauses
# notmuch (SIGINT; `notmuch new` resumes where it stopped) each time its index grew N MB since the
# last compaction, compacts it and resumes, so the 1M index never holds much uncompacted growth.
#
# RECOLL_MBOX=FILE: recoll indexes that mbox instead of the Maildir (recoll splits mboxes itself;
# used at 1M, where it is also what emailrag imported); the Message-ID of each message goes to
# WORK/anchors/recoll/mbox.ids first (bench/corpus/split_mbox.py --ids), for anchors.py
# --recoll-mbox. DROP_MAILDIR_FOR_RECOLL=1 (with RECOLL_MBOX): when recoll would not fit, and
# notmuch and mu are complete, the Maildir is removed first if bench/corpus/split_mbox.py wrote it
# (their queries read only their indexes; the split takes 2 minutes to redo).
# NEED_GB_<tool>=N: do not start <tool> unless N GB + MIN_FREE_GB are free (an estimate of its
# index size; the log says why it did not start).
#
# Resumable: a tool with `complete` is skipped (compacted first if it was not); an interrupted one
# is re-run (notmuch new picks up where it stopped, mu index checks every message again, recoll
# redoes an mbox). Disk: when free space under WORK falls below MIN_FREE_GB (default 5) the
# running tool is stopped and the log says so; nothing further is started. For the 1M run,
# detach it so it outlives the shell (the exact 1M command: docs/performance.md):
#
#   setsid nohup bench/search/index_anchors.sh /tmp/emailrag-1m/maildir /tmp/emailrag-1m \
#       </dev/null >/tmp/emailrag-1m/anchors/index.log 2>&1 &
#
# NICE=N (default 19): the tools' niceness. The 1M indexes cost about 2.8 CPU-hours on this 2-core
# machine (session 6: notmuch 3,004 CPU-s, mu 3,729, recoll 3,350; 1 h 54 min of wall for all three);
# they fit in one session only when they have the cores to themselves, each tool in its own setsid
# run so that the three go in parallel, notmuch (single-threaded) reniced to 0 to hold one core.
#
# Failure: exits 1 when a tool fails or is stopped for disk space (its log says which).
set -u
NICE=${NICE:-19}
# With the kernel's autogroup scheduling on (Debian's default), `nice` only ranks processes within
# one session: a niced indexer started with setsid got a full share of the CPU against every other
# session (about a third of the machine each for three of them, seen 2026-12-06), which slowed the
# work it was meant to yield to and the benchmarks timed beside it. Lower the whole session's
# autogroup instead when this script leads its own session (setsid, as documented above).
if [ -w /proc/self/autogroup ] && [ "$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null)" = 1 ]; then
    if [ "$(ps -o sid= -p $$ | tr -d ' ')" = "$$" ]; then
        echo "$NICE" >/proc/self/autogroup
    else
        echo "index_anchors: autogroup scheduling is on and this shell's session is shared: nice 19 will not yield to other sessions (run under setsid, or: sysctl kernel.sched_autogroup_enabled=0)" >&2
    fi
fi
SRC=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -ge 2 ] || { echo "usage: $0 MAILDIR WORK [notmuch mu recoll]" >&2; exit 2; }
MAILDIR=$(cd "$1" && pwd)
mkdir -p "$2"
WORK=$(cd "$2" && pwd)
shift 2
TOOLS=${*:-notmuch mu recoll}
A="$WORK/anchors"
PROGRESS_SECONDS=${PROGRESS_SECONDS:-60}
MIN_FREE_KB=$(( ${MIN_FREE_GB:-5} * 1024 * 1024 ))
mkdir -p "$A"

COMPACT=${COMPACT:-1}
for pkg in notmuch maildir-utils recoll xapian-tools; do
    dpkg -s "$pkg" >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq notmuch maildir-utils recoll xapian-tools; break; }
done

TOTAL=$(find "$MAILDIR" -type f \( -path '*/cur/*' -o -path '*/new/*' \) | wc -l)
echo "$(date -u +%FT%TZ) $MAILDIR: $TOTAL message files; tools: $TOOLS"

free_kb() { df -Pk "$A" | awk 'NR == 2 { print $4 }'; }

# count TOOL HOME: messages in the index so far (0 when not readable yet)
count() {
    case $1 in
    notmuch) NOTMUCH_CONFIG="$2/config" HOME="$2" notmuch count '*' 2>/dev/null || echo 0 ;;
    mu) xapian-delve "$2/mu/xapian" 2>/dev/null | awk '/number of documents/ { print $NF }' ;;
    recoll) awk -F' = ' -v f="$([ -n "${RECOLL_MBOX:-}" ] && echo docsdone || echo filesdone)" '$1 == f { print $2 }' \
        "$2/recoll/idxstatus.txt" 2>/dev/null || echo 0 ;;
    esac
}

dbpath() {
    case $1 in
    notmuch) echo "$2/db/xapian" ;;
    mu) echo "$2/mu/xapian" ;;
    recoll) echo "$2/recoll/xapiandb" ;;
    esac
}

# monitor TOOL HOME LOG START PID N0: progress lines (rate counted from N0, the messages already
# indexed when this run started). Interrupts the tool with SIGINT (all three stop cleanly) when
# the disk fills, or, with COMPACT_EVERY_MB, notmuch when its index grew that much since the last
# compaction (the main loop then compacts and resumes it: notmuch new picks up where it stopped;
# mu index redoes every message after an interruption and recoll a whole mbox, so they are not
# paused).
monitor() {
    while kill -0 "$5" 2>/dev/null; do
        sleep "$PROGRESS_SECONDS"
        kill -0 "$5" 2>/dev/null || break
        n=$(count "$1" "$2"); n=${n:-0}
        el=$(( $(date +%s) - $4 ))
        size=$(du -sk "$(dbpath "$1" "$2")" 2>/dev/null | cut -f1)
        awk -v n="$n" -v n0="$6" -v t="$TOTAL" -v el="$el" -v now="$(date -u +%T)" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" \
            -v free="$(free_kb)" -v size="${size:-0}" -v tool="$1" 'BEGIN {
                r = el > 0 ? (n - n0) / el : 0
                eta = r > 0 ? (t - n) / r : -1
                printf "%s progress: %d of %d (%.1f%%), %.0f s, %.1f msg/s, ETA %s, load %s, index %.2f GB, free %.1f GB\n",
                    now, n, t, t ? 100 * n / t : 0, el, r, eta < 0 ? "?" : sprintf("%.0f min", eta / 60), load,
                    size / 1048576, free / 1048576 }' >>"$3"
        stop=""
        if [ "$(free_kb)" -lt "$MIN_FREE_KB" ]; then
            echo "$(date -u +%T) STOPPED: free space under ${MIN_FREE_GB:-5} GB" >>"$3"
            touch "$2/stopped-disk"; stop=1
        elif [ "${COMPACT_EVERY_MB:-0}" -gt 0 ] && [ "$1" = notmuch ] && \
             [ "${size:-0}" -gt $(( $(cat "$2/compacted-kb" 2>/dev/null || echo 0) + COMPACT_EVERY_MB * 1024 )) ]; then
            echo "$(date -u +%T) pausing $1 to compact (index grew ${COMPACT_EVERY_MB} MB since the last compaction)" >>"$3"
            touch "$2/compact-pause"; stop=1
        fi
        if [ -n "$stop" ]; then
            for c in $(ps -o pid= --ppid "$5"); do kill -INT "$c"; done
            break
        fi
    done
}

# compact TOOL HOME LOG [force]: compacts a finished index once (marker HOME/compacted), or now
# with `force` (a pause of COMPACT_EVERY_MB). Skipped when the copy would not fit.
compact() {
    tool=$1; home=$2; log=$3
    if [ "${4:-}" != force ]; then
        [ "$COMPACT" = 1 ] && [ -f "$home/complete" ] && [ ! -f "$home/compacted" ] || return 0
    fi
    db=$(dbpath "$tool" "$home")
    before=$(du -sk "$db" | cut -f1)
    if [ "$(free_kb)" -lt $(( MIN_FREE_KB + before * 6 / 10 )) ]; then
        echo "$(date -u +%FT%TZ) $tool: compaction SKIPPED, $(( $(free_kb) / 1048576 )) GB free, the copy needs about $(( before * 6 / 10 / 1048576 )) GB + ${MIN_FREE_GB:-5} GB" | tee -a "$log"
        return 1
    fi
    echo "$(date -u +%FT%TZ) $tool: compacting $db ($(( before / 1024 )) MB, free $(( $(free_kb) / 1048576 )) GB)" | tee -a "$log"
    rm -rf "$db.compact"
    if [ "$tool" = notmuch ]; then
        set -- env NOTMUCH_CONFIG="$home/config" HOME="$home" notmuch compact --quiet
    else
        set -- xapian-compact "$db" "$db.compact"
    fi
    if nice -n "$NICE" ionice -c3 /usr/bin/time -a -o "$log" -f "$tool compact: %e s wall, %U s user, %S s sys, %M KB peak RSS" "$@" >>"$log" 2>&1; then
        if [ "$tool" != notmuch ]; then rm -rf "$db.old" && mv "$db" "$db.old" && mv "$db.compact" "$db" && rm -rf "$db.old"; fi
        after=$(du -sk "$db" | cut -f1)
        echo "$after" >"$home/compacted-kb"
        [ -f "$home/complete" ] && echo "$tool compacted $(( before / 1024 )) MB -> $(( after / 1024 )) MB $(date -u +%FT%TZ)" >"$home/compacted"
        echo "$(date -u +%FT%TZ) $tool: compacted $(( before / 1024 )) MB -> $(( after / 1024 )) MB, free $(( $(free_kb) / 1048576 )) GB" | tee -a "$log"
    else
        rm -rf "$db.compact"
        echo "$(date -u +%FT%TZ) $tool: compaction FAILED (index left as written)" | tee -a "$log"
        return 1
    fi
}

# cpu_sum TOOL LOG: the GNU time lines of every run of TOOL in LOG (a resumed index has several).
cpu_sum() {
    awk -v t="$1:" '$1 == t && $4 == "wall," {
        n++; w += $2; u += $5; s += $8; if ($11 > m) m = $11 }
        END { printf "%d run(s): %.0f s wall, %.0f s user, %.0f s sys CPU, peak RSS %d MB", n, w, u, s, m / 1024 }' "$2"
}

status=0
for t in $TOOLS; do
    H="$A/$t"
    LOG="$A/$t.log"
    if [ -f "$H/complete" ]; then echo "$t: complete already ($(cat "$H/complete"))"; compact "$t" "$H" "$LOG"; continue; fi
    need=$(eval echo "\${NEED_GB_$t:-0}")
    if [ "$t" = recoll ] && [ -n "${RECOLL_MBOX:-}" ] && [ "${DROP_MAILDIR_FOR_RECOLL:-0}" = 1 ] \
        && [ "$(free_kb)" -lt $(( MIN_FREE_KB + need * 1048576 )) ] && [ -f "$A/notmuch/complete" ] \
        && [ -f "$A/mu/complete" ] && [ -f "$MAILDIR/cur/0000001.split:2,S" ]; then
        echo "$(date -u +%FT%TZ) recoll: removing $MAILDIR to make room (regenerate: python3 bench/corpus/split_mbox.py $RECOLL_MBOX $MAILDIR)" | tee -a "$LOG"
        nice -n "$NICE" ionice -c3 rm -rf "$MAILDIR/cur"
        mkdir -p "$MAILDIR/cur"
    fi
    if [ "$(free_kb)" -lt $(( MIN_FREE_KB + need * 1048576 )) ]; then
        echo "$(date -u +%FT%TZ) $t: NOT STARTED, $(( $(free_kb) / 1048576 )) GB free, needs ${need} GB for the index + ${MIN_FREE_GB:-5} GB" | tee -a "$LOG"
        status=1; break
    fi
    mkdir -p "$H"
    rm -f "$H/stopped-disk"
    case $t in
    notmuch)
        mkdir -p "$H/db"
        printf '[database]\npath=%s/db\nmail_root=%s\n[new]\ntags=inbox\nignore=\n[search]\nexclude_tags=\n[maildir]\nsynchronize_flags=false\n[user]\nname=Bench\nprimary_email=bench@example.com\n' \
            "$H" "$MAILDIR" >"$H/config"
        set -- env NOTMUCH_CONFIG="$H/config" HOME="$H" notmuch new --quiet ;;
    mu)
        [ -d "$H/mu" ] || HOME="$H" XDG_CACHE_HOME="$H" mu init --muhome="$H/mu" --maildir="$MAILDIR" >/dev/null
        set -- env HOME="$H" XDG_CACHE_HOME="$H" mu index --muhome="$H/mu" ;;
    recoll)
        mkdir -p "$H/recoll"
        if [ -n "${RECOLL_MBOX:-}" ]; then
            [ -f "$H/mbox.ids" ] || python3 "$SRC/bench/corpus/split_mbox.py" --ids "$H/mbox.ids" --recoll-boundaries --no-files "$RECOLL_MBOX" - >>"$LOG" 2>&1 \
                || { echo "$t: Message-IDs of $RECOLL_MBOX not written" | tee -a "$LOG"; status=1; break; }
            printf 'topdirs = %s\nloglevel = 1\n' "$RECOLL_MBOX" >"$H/recoll/recoll.conf"
        else
            printf 'topdirs = %s\nskippedNames = tmp\nloglevel = 1\n' "$MAILDIR" >"$H/recoll/recoll.conf"
        fi
        set -- env HOME="$H" recollindex -c "$H/recoll" ;;
    *) echo "unknown tool $t" >&2; exit 2 ;;
    esac
    START=$(date +%s)
    while :; do
        rm -f "$H/compact-pause"
        echo "$(date -u +%FT%TZ) $t: start ($TOTAL files, load $(cut -d' ' -f1-3 /proc/loadavg), free $(( $(free_kb) / 1048576 )) GB): $*" | tee -a "$LOG"
        RUN=$(date +%s)
        N0=$(count "$t" "$H"); N0=${N0:-0}
        nice -n "$NICE" ionice -c3 /usr/bin/time -a -o "$LOG" -f "$t: %e s wall, %U s user, %S s sys, %M KB peak RSS, exit %x" \
            "$@" >>"$H/index.out" 2>&1 &
        PID=$!
        monitor "$t" "$H" "$LOG" "$RUN" "$PID" "$N0" &
        MON=$!
        wait "$PID"; rc=$?
        kill "$MON" 2>/dev/null; wait "$MON" 2>/dev/null
        [ -f "$H/compact-pause" ] || break
        echo "$(date -u +%FT%TZ) $t: paused, $(count "$t" "$H") messages indexed, exit $rc" | tee -a "$LOG"
        compact "$t" "$H" "$LOG" force || { rm -f "$H/compact-pause"; break; }
    done
    n=$(count "$t" "$H")
    echo "$(date -u +%FT%TZ) $t: end, exit $rc, $(( $(date +%s) - START )) s since start, $n messages indexed, load $(cut -d' ' -f1-3 /proc/loadavg), index $(du -sh "$H" | cut -f1), free $(( $(free_kb) / 1048576 )) GB" | tee -a "$LOG"
    echo "$t indexing: $(cpu_sum "$t" "$LOG")" | tee -a "$LOG"
    if [ "$rc" -eq 0 ] && [ ! -f "$H/stopped-disk" ] && [ ! -f "$H/compact-pause" ]; then
        echo "$t $(cpu_sum "$t" "$LOG"); $n messages; finished $(date -u +%FT%TZ)" >"$H/complete"
        compact "$t" "$H" "$LOG"
    else
        status=1; break
    fi
done
exit $status
