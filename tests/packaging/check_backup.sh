#!/usr/bin/env bash
# Backup and restore of a data directory, as README "Running the server" describes them, with the
# built binary (no root needed): `emailrag backup` while the server runs and writes, then the
# backup used as a data directory — its users, its mail and its signing key (a token issued
# before the backup still works) — and the refusals (non-empty target, no database).
# Usage: check_backup.sh EMAILRAG_BINARY SOURCE_DIR
set -euo pipefail
bin="${1:?usage: check_backup.sh EMAILRAG_BINARY SOURCE_DIR}"
src="${2:?usage}"
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

tmp="$(mktemp -d /tmp/emailrag-backuptest.XXXXXX)"
trap 'kill_server; rm -rf "$tmp"' EXIT
live="$tmp/live"
backup="$tmp/backup"
mkdir -p "$live"

step "a data directory with a user, a token and mail"
printf '%s\n' 'backup-test-password' | "$bin" user add alice --password-stdin --data "$live" >/dev/null \
    || die "'emailrag user add' failed"
token="$("$bin" token alice --data "$live" | tail -n 1)"
[ -n "$token" ] || die "'emailrag token' printed nothing"
write_testmail "$tmp/testmail.mbox"
"$bin" import "$tmp/testmail.mbox" --user alice --data "$live" >/dev/null 2>&1 || die "'emailrag import' failed"

step "backup while the server runs"
port="$(free_port)"
start_server "$port" "$tmp/live.log" "$bin" --server --listen "127.0.0.1:$port" --data "$live"
out="$("$bin" backup "$backup" --data "$live" 2>&1)" || die "'emailrag backup' failed: $out"
echo "$out"
grep -q "integrity ok" <<<"$out" || die "backup did not report its integrity check"
(cd "$live" && find . -type f -printf '%P\n') > "$tmp/files-at-backup"
# A change after the backup must not be in it.
printf '%s\n' 'backup-test-password' | "$bin" user add bob --password-stdin --data "$live" >/dev/null \
    || die "'emailrag user add bob' failed"
stop_server "$tmp/live.log"

[ "$(stat -c %a "$backup")" = "700" ] || die "backup folder is $(stat -c %a "$backup"), expected 700"
# Every other file is in the backup with the same permissions (the signing key stays private).
while IFS= read -r rel; do
    f="$live/$rel"
    [ -e "$f" ] || continue
    case "$rel" in emailrag.db|emailrag.db-wal|emailrag.db-shm|emailrag.db-journal) continue ;; esac
    [ -f "$backup/$rel" ] || die "$rel is not in the backup"
    [ "$(stat -c %a "$f")" = "$(stat -c %a "$backup/$rel")" ] || die "$rel lost its permissions in the backup"
done < "$tmp/files-at-backup"
[ ! -e "$backup/emailrag.db-wal" ] || die "the backup contains a WAL file (the copy must be self-contained)"

step "the backup as a data directory"
users="$("$bin" user list --data "$backup")"
grep -q "^alice" <<<"$users" || die "restored data lacks alice: $users"
! grep -q "^bob" <<<"$users" || die "restored data has bob, added after the backup"
port="$(free_port)"
start_server "$port" "$tmp/restored.log" "$bin" --server --listen "127.0.0.1:$port" --data "$backup"
# The token issued before the backup is accepted (same signing key) and the mail is searchable.
talk_ws "$src" "$port" "$token" "zanzibarquartz" 1 1 || { cat "$tmp/restored.log"; die "restored server: conversation failed"; }
stop_server "$tmp/restored.log"

step "refusals"
if "$bin" backup "$backup" --data "$live" >/dev/null 2>&1; then die "backup into a non-empty folder succeeded"; fi
mkdir -p "$tmp/empty"
if "$bin" backup "$tmp/out2" --data "$tmp/empty" >/dev/null 2>&1; then die "backup of a folder without a database succeeded"; fi
if "$bin" backup "$live/inside" --data "$live" >/dev/null 2>&1; then die "backup into the data directory itself succeeded"; fi
echo "backup and restore ok"
