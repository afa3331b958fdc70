#!/bin/sh
# Indexes a Maildir with notmuch, mu and recoll for the search speed benchmark's anchors
# (bench/search/anchors.py queries them), one tool after the other, each under
# `nice -n 19 ionice -c3` and GNU time, so it can run for hours next to other work.
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
# Resumable: a tool with `complete` is skipped; an interrupted one is re-run incrementally
# (notmuch new, mu index and recollindex all pick up where the index stopped). Disk: when free
# space under WORK falls below MIN_FREE_GB (default 5) the running tool is stopped and the log
# says so; nothing further is started. For the 1M run, detach it so it outlives the shell:
#
#   setsid nohup bench/search/index_anchors.sh /tmp/emailrag-1m/maildir /tmp/emailrag-1m \
#       </dev/null >/tmp/emailrag-1m/anchors/index.log 2>&1 &
#
# Failure: exits 1 when a tool fails or is stopped for disk space (its log says which).
set -u
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

for pkg in notmuch maildir-utils recoll; do
    dpkg -s "$pkg" >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq notmuch maildir-utils recoll; break; }
done

TOTAL=$(find "$MAILDIR" -type f \( -path '*/cur/*' -o -path '*/new/*' \) | wc -l)
echo "$(date -u +%FT%TZ) $MAILDIR: $TOTAL message files; tools: $TOOLS"

free_kb() { df -Pk "$A" | awk 'NR == 2 { print $4 }'; }

# count TOOL HOME: messages in the index so far (0 when not readable yet)
count() {
    case $1 in
    notmuch) NOTMUCH_CONFIG="$2/config" HOME="$2" notmuch count '*' 2>/dev/null || echo 0 ;;
    mu) tr '\r' '\n' <"$2/index.out" 2>/dev/null | grep -o 'updated/new: [0-9]*' | tail -1 | grep -o '[0-9]*$' || echo 0 ;;
    recoll) awk -F' = ' '$1 == "filesdone" { print $2 }' "$2/recoll/idxstatus.txt" 2>/dev/null || echo 0 ;;
    esac
}

# monitor TOOL HOME LOG START PID: progress lines until PID exits; stops PID's child (the tool)
# when the disk fills.
monitor() {
    while kill -0 "$5" 2>/dev/null; do
        sleep "$PROGRESS_SECONDS"
        kill -0 "$5" 2>/dev/null || break
        n=$(count "$1" "$2"); n=${n:-0}
        el=$(( $(date +%s) - $4 ))
        awk -v n="$n" -v t="$TOTAL" -v el="$el" -v now="$(date -u +%T)" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" \
            -v free="$(free_kb)" 'BEGIN {
                r = el > 0 ? n / el : 0
                eta = r > 0 ? (t - n) / r : -1
                printf "%s progress: %d of %d (%.1f%%), %.0f s, %.1f msg/s, ETA %s, load %s, free %.1f GB\n",
                    now, n, t, t ? 100 * n / t : 0, el, r, eta < 0 ? "?" : sprintf("%.0f min", eta / 60), load, free / 1048576 }' >>"$3"
        if [ "$(free_kb)" -lt "$MIN_FREE_KB" ]; then
            echo "$(date -u +%T) STOPPED: free space under ${MIN_FREE_GB:-5} GB" >>"$3"
            touch "$2/stopped-disk"
            for c in $(ps -o pid= --ppid "$5"); do kill -TERM "$c"; done
            break
        fi
    done
}

status=0
for t in $TOOLS; do
    H="$A/$t"
    LOG="$A/$t.log"
    if [ -f "$H/complete" ]; then echo "$t: complete already ($(cat "$H/complete"))"; continue; fi
    if [ "$(free_kb)" -lt "$MIN_FREE_KB" ]; then
        echo "$(date -u +%T) $t: NOT STARTED, free space under ${MIN_FREE_GB:-5} GB" | tee -a "$LOG"; status=1; break
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
        printf 'topdirs = %s\nskippedNames = tmp\nloglevel = 1\n' "$MAILDIR" >"$H/recoll/recoll.conf"
        set -- env HOME="$H" recollindex -c "$H/recoll" ;;
    *) echo "unknown tool $t" >&2; exit 2 ;;
    esac
    START=$(date +%s)
    echo "$(date -u +%FT%TZ) $t: start ($TOTAL files, load $(cut -d' ' -f1-3 /proc/loadavg), free $(( $(free_kb) / 1048576 )) GB): $*" | tee -a "$LOG"
    nice -n 19 ionice -c3 /usr/bin/time -a -o "$LOG" -f "$t: %e s wall, %U s user, %S s sys, %M KB peak RSS, exit %x" \
        "$@" >"$H/index.out" 2>&1 &
    PID=$!
    monitor "$t" "$H" "$LOG" "$START" "$PID" &
    MON=$!
    wait "$PID"; rc=$?
    kill "$MON" 2>/dev/null; wait "$MON" 2>/dev/null
    n=$(count "$t" "$H")
    echo "$(date -u +%FT%TZ) $t: end, exit $rc, $(( $(date +%s) - START )) s, $n messages indexed, load $(cut -d' ' -f1-3 /proc/loadavg), index $(du -sh "$H" | cut -f1), free $(( $(free_kb) / 1048576 )) GB" | tee -a "$LOG"
    if [ "$rc" -eq 0 ] && [ ! -f "$H/stopped-disk" ]; then
        echo "$t $(( $(date +%s) - START )) s wall, $n messages, finished $(date -u +%FT%TZ)" >"$H/complete"
    else
        status=1; break
    fi
done
exit $status
