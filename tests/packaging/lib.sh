# shellcheck shell=bash
# Helpers shared by the packaging and operations checks (sourced, not run).
# start_server/stop_server keep the server's pid in $server_pid; the caller's EXIT trap kills it.

step() { echo "== $*"; }

# write_testmail FILE: two hand-written messages as an mbox, one with a word found nowhere else
# ("zanzibarquartz"), so a search must stream exactly that one. Written at test time: no mail
# files are kept in the repository.
write_testmail() {
    cat >"$1" <<'MBOX'
From alice@example.org Mon Jan  1 10:00:00 2024
From: Alice Example <alice@example.org>
To: Package Test <pkgtest@example.org>
Subject: Quarterly zanzibarquartz report
Date: Mon, 1 Jan 2024 10:00:00 +0000
Message-ID: <pkgtest-1@example.org>
Content-Type: text/plain; charset=utf-8

The zanzibarquartz figures for the quarter are in; the totals look good.

From bob@example.org Tue Jan  2 11:00:00 2024
From: Bob Example <bob@example.org>
To: Package Test <pkgtest@example.org>
Subject: Lunch on Friday
Date: Tue, 2 Jan 2024 11:00:00 +0000
Message-ID: <pkgtest-2@example.org>
Content-Type: text/plain; charset=utf-8

Shall we meet at noon?

MBOX
}
die() { echo "FAIL: $*"; exit 1; }

# A TCP port nothing listens on (another process may still take it before we do; rare).
free_port() {
    local p
    for _ in $(seq 1 50); do
        p=$((20000 + RANDOM % 20000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    done
    die "no free port found"
}

# start_server PORT LOG COMMAND...: runs COMMAND in the background and waits until
# http://127.0.0.1:PORT/api/v1/health answers (20 s at most).
server_pid=""
start_server() {
    local port="$1" log="$2" rc
    shift 2
    "$@" >"$log" 2>&1 &
    server_pid=$!
    local url="http://127.0.0.1:$port/api/v1/health"
    for _ in $(seq 1 100); do
        if ! kill -0 "$server_pid" 2>/dev/null; then
            wait "$server_pid" && rc=0 || rc=$?
            server_pid=""
            echo "--- server log:"; cat "$log"
            if grep -q "not part of this build" "$log"; then
                die "this emailrag has no server mode yet (--server is a placeholder)"
            fi
            die "the server exited with code $rc before answering $url"
        fi
        if health="$(curl -fsS --max-time 2 "$url" 2>/dev/null)"; then
            echo "health: $health"
            return
        fi
        sleep 0.2
    done
    echo "--- server log:"; cat "$log"
    die "the server did not answer $url within 20 s"
}

# stop_server LOG: SIGTERM must stop the server cleanly (exit code 0) within 15 s.
stop_server() {
    local log="$1" rc
    kill -TERM "$server_pid"
    for _ in $(seq 1 75); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$server_pid" 2>/dev/null; then echo "--- server log:"; cat "$log"; die "server still running 15 s after SIGTERM"; fi
    wait "$server_pid" && rc=0 || rc=$?
    server_pid=""
    [ "$rc" -eq 0 ] || { echo "--- server log:"; cat "$log"; die "server exited with code $rc after SIGTERM (expected 0)"; }
}

kill_server() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
}

# talk_ws SOURCE_DIR PORT TOKEN QUERY MIN_RESULTS [MAX_RESULTS]: connected, ping/pong and a search over the
# WebSocket API with Node's ws (tests/node/node_modules, installed by scripts/setup.sh).
talk_ws() {
    local src="$1" port="$2" token="$3" query="$4" min="$5" max="${6:-}"
    local modules="$src/tests/node/node_modules"
    [ -d "$modules/ws" ] || die "Node's ws is not installed in tests/node (scripts/setup.sh installs it)"
    NODE_PATH="$modules" node "$src/tests/packaging/ws_talk.js" "ws://127.0.0.1:$port/api/v1/ws" "$token" "$query" "$min" ${max:+"$max"}
}
