#!/usr/bin/env bash
# Runs the real emailrag desktop app (built-in server and all) under Xvfb, drives it with the
# keyboard like a person would (xdotool), and saves a screenshot of each view to
# docs/screenshots/: the first-run state, an import, search with the reading pane, a cited chat
# answer opened in the reading pane, the settings dialog, and the search view in German with the
# dark palette. Uses a throw-away HOME and data directory; never touches yours.
#
#   scripts/screenshots.sh [path/to/emailrag]      (default: build/debug/app/emailrag, built if missing)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-${EMAILRAG_BINARY:-$root/build/debug/app/emailrag}}"
if [ ! -x "$bin" ]; then
  (cd "$root" && cmake --preset debug >/dev/null && cmake --build --preset debug --target emailrag)
fi
for tool in xvfb-run xdotool import zstd; do
  command -v "$tool" >/dev/null || { echo "screenshots: $tool missing (scripts/setup.sh installs it)" >&2; exit 1; }
done
corpora="${EMAILRAG_CORPORA:-$root/../shared/corpora}"
out="$root/docs/screenshots"
mkdir -p "$out"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/runtime" "$work/mail"
chmod 700 "$work/runtime"
# A small real mailbox (Netscape developers' test mail from 1996, from MimeKit's test data).
zstd -q -dc "$corpora/mimekit-content-length.mbox.zst" > "$work/mail/netscape-1996.mbox"

cat > "$work/drive.sh" <<'DRIVE'
#!/usr/bin/env bash
set -euo pipefail
bin="$1" work="$2" out="$3"
export HOME="$work/home" XDG_RUNTIME_DIR="$work/runtime" XDG_CONFIG_HOME="$work/home/.config"
export QT_QPA_PLATFORM=xcb LANG=en_US.UTF-8

app_pid=""
start_app() { # args: extra options
  "$bin" --data "$work/data" --port 0 "$@" >"$work/app.log" 2>&1 &
  app_pid=$!
  wid=""
  for _ in $(seq 1 100); do
    wid="$(xdotool search --onlyvisible --name '^EmailRAG' 2>/dev/null | head -1 || true)"
    [ -n "$wid" ] && break
    sleep 0.2
  done
  [ -n "$wid" ] || { echo "screenshots: the window did not appear" >&2; cat "$work/app.log" >&2; exit 1; }
  xdotool windowmove "$wid" 0 0 windowsize "$wid" 1200 760
  xdotool windowfocus --sync "$wid" 2>/dev/null || true
  sleep 1.5 # connected, first paint
}
keys() { xdotool key --clearmodifiers --delay 60 "$@"; sleep 0.4; }
# Without a window manager the focus does not come back by itself after a dialog closes.
refocus() { sleep 0.5; xdotool windowfocus --sync "$wid" 2>/dev/null || true; sleep 0.3; }
type_text() { xdotool type --clearmodifiers --delay 25 "$1"; sleep 0.3; }
# The screen as a person sees it (dialogs over the window included), cut to the window.
shot() { sleep "${2:-0.8}"; import -window root -crop 1200x760+0+0 +repage "$out/$1.png"; echo "screenshots: $out/$1.png"; }
stop_app() {
  refocus
  keys ctrl+q
  for _ in $(seq 1 50); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.2; done
  kill "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
}

# 1. First start: an empty data directory, the Uploads view tells what to do.
start_app
keys ctrl+1
shot 01-first-run

# 2. Add the mailbox with Ctrl+O (Qt's file dialog: type the path, Enter) and watch it import.
keys ctrl+o
sleep 1
type_text "$work/mail/netscape-1996.mbox"
keys Return
refocus
shot 02-uploads 4

# 3. Search from anywhere with Ctrl+K; Down selects the first hit into the reading pane.
keys ctrl+k
type_text "encrypted message"
keys Return
sleep 1.5
keys Down
shot 03-search 1.5

# 4. Ask a question; the answer streams in with [n] citations. Tab from the question box to the
#    transcript, Ctrl+Home and Tab to the first citation, Enter: the cited email opens with the passage marked.
keys ctrl+3
type_text "Who sent an encryption certificate for S/MIME testing?"
keys Return
sleep 3
keys shift+Tab
keys ctrl+Home Tab
keys Return
shot 04-chat 1.5

# 5. Settings.
keys ctrl+comma
shot 05-settings 2
keys Escape
stop_app
[ -n "${SCREENSHOTS_DEBUG:-}" ] && import -window root "$out/debug-root.png"

# 6. German, dark palette: the same search.
mkdir -p "$work/home/.config/emailrag"
printf '[ui]\ntheme=dark\n' >> "$work/home/.config/emailrag/emailrag.conf"
start_app --lang de
keys ctrl+k
type_text "certificate"
keys Return
sleep 1.5
keys Down
shot 06-search-dark-de 1.5
stop_app
DRIVE
chmod +x "$work/drive.sh"
xvfb-run -a -s "-screen 0 1280x800x24" "$work/drive.sh" "$bin" "$work" "$out"
echo "screenshots: done ($(ls "$out"/*.png | wc -l) pictures in docs/screenshots)"
