#!/usr/bin/env bash
# CI package check: builds the .deb with CPack, installs it with dpkg, checks what it installed,
# runs the installed binary headless on a free port and talks to it (health over HTTP; token,
# ping and search over the WebSocket API with Node's ws), then removes and purges the package
# and checks that nothing of it is left. Needs root (dpkg -i): exits 77 (skipped) otherwise.
# Usage: check_package.sh BUILD_DIR SOURCE_DIR VERSION
set -euo pipefail
build="${1:?usage: check_package.sh BUILD_DIR SOURCE_DIR VERSION}"
src="${2:?usage}"
version="${3:?usage}"

if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: the package check installs a .deb with dpkg -i and needs root (CI runs as root)"
    exit 77
fi

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

tmp="$(mktemp -d /tmp/emailrag-pkgtest.XXXXXX)"
chmod 755 "$tmp"
had_user=0; getent passwd emailrag >/dev/null && had_user=1
had_state=0; [ -e /var/lib/emailrag ] && had_state=1
cleanup() {
    kill_server
    if dpkg-query -W -f='${Status}' emailrag 2>/dev/null | grep -q "installed\|config-files"; then
        dpkg -P emailrag >/dev/null 2>&1 || true
    fi
    # Leave the machine as found: the package keeps its user and data on purge by design.
    if [ "$had_state" -eq 0 ]; then rm -rf /var/lib/emailrag; fi
    if [ "$had_user" -eq 0 ] && getent passwd emailrag >/dev/null; then userdel emailrag 2>/dev/null || true; fi
    if getent group emailrag >/dev/null && [ "$had_user" -eq 0 ]; then groupdel emailrag 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# One package check at a time on a machine (two test runs would install and remove each other's).
exec 9>/tmp/emailrag-package-check.lock
flock -w 600 9 || die "another package check holds /tmp/emailrag-package-check.lock"

step "cpack: building the .deb"
cpack -G DEB -B "$tmp/cpack" --config "$build/CPackConfig.cmake" >"$tmp/cpack.log" 2>&1 \
    || { cat "$tmp/cpack.log"; die "cpack failed"; }
deb="$(ls "$tmp"/cpack/emailrag_"$version"_*.deb 2>/dev/null | head -1)"
[ -f "$deb" ] || { cat "$tmp/cpack.log"; die "no emailrag_${version}_*.deb produced"; }
echo "built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"

step "package metadata"
info="$(dpkg-deb -I "$deb")"
depends="$(dpkg-deb -f "$deb" Depends)"
echo "Depends: $depends"
echo "Recommends: $(dpkg-deb -f "$deb" Recommends)"
for dep in libqt6core6 libqt6sql6-sqlite libqt6svg6 qt6-qpa-plugins libssl3 libsecret-1-0; do
    grep -qE "(^|, )$dep( |,|$)" <<<"$depends" || die "Depends lacks $dep"
done
grep -q "libqt6sql6-psql" <<<"$(dpkg-deb -f "$deb" Recommends)" || die "Recommends lacks libqt6sql6-psql"
grep -q "conffiles" <<<"$info" || die "no conffiles in the package"
contents="$(dpkg-deb -c "$deb" | awk '{print $6}')"
for f in ./usr/bin/emailrag ./usr/share/applications/org.emailrag.EmailRAG.desktop \
         ./usr/share/metainfo/org.emailrag.EmailRAG.metainfo.xml \
         ./usr/share/icons/hicolor/scalable/apps/emailrag.svg ./usr/share/man/man1/emailrag.1.gz \
         ./lib/systemd/system/emailrag-server.service ./usr/lib/sysusers.d/emailrag.conf \
         ./etc/emailrag/emailrag.conf; do
    grep -qx "$f" <<<"$contents" || die "the package does not contain $f"
done
if grep -qE '\.(h|a|cmake)$|/include/' <<<"$contents"; then
    die "the package contains build files: $(grep -E '\.(h|a|cmake)$|/include/' <<<"$contents" | head -3)"
fi

step "dpkg -i"
if dpkg-query -W -f='${Status}' emailrag 2>/dev/null | grep -q "installed\|config-files"; then
    echo "removing an emailrag package left from before"; dpkg -P emailrag >/dev/null
fi
dpkg -i "$deb" || die "dpkg -i failed (missing dependencies? run scripts/setup.sh)"
[ -x /usr/bin/emailrag ] || die "/usr/bin/emailrag not installed"

step "installed files"
out="$(/usr/bin/emailrag --version)"
[ "$out" = "emailrag $version" ] || die "emailrag --version printed '$out', expected 'emailrag $version'"
echo "$out"
/usr/bin/emailrag --help | grep -q -- "--server" || die "emailrag --help does not document --server"
getent passwd emailrag >/dev/null || die "postinst did not create the user emailrag"
[ "$(stat -c %U:%a /var/lib/emailrag)" = "emailrag:750" ] || die "/var/lib/emailrag is $(stat -c %U:%a /var/lib/emailrag), expected emailrag:750"
[ "$(stat -c %U:%G:%a /etc/emailrag/emailrag.conf)" = "root:emailrag:640" ] \
    || die "/etc/emailrag/emailrag.conf is $(stat -c %U:%G:%a /etc/emailrag/emailrag.conf), expected root:emailrag:640"
desktop-file-validate /usr/share/applications/org.emailrag.EmailRAG.desktop || die "installed desktop entry invalid"
appstreamcli validate --no-net /usr/share/metainfo/org.emailrag.EmailRAG.metainfo.xml >/dev/null \
    || die "installed metainfo invalid"
man_opt="--man=no"; command -v man >/dev/null && man_opt="--man=yes"
out="$(systemd-analyze verify "$man_opt" /lib/systemd/system/emailrag-server.service 2>&1)" && [ -z "$out" ] \
    || die "systemd-analyze verify of the installed unit: $out"
gzip -t /usr/share/man/man1/emailrag.1.gz || die "installed man page is not valid gzip"

step "the installed server, headless on a free port"
data="$tmp/data"
mkdir -p "$data"
user_out="$(printf '%s\n' 'pkg-test-password-1' | /usr/bin/emailrag user add pkgtest --password-stdin --data "$data" 2>&1)" \
    || die "'emailrag user add' failed: $user_out"
token="$(/usr/bin/emailrag token pkgtest --data "$data" 2>"$tmp/token.err" | tail -n 1)" \
    || die "'emailrag token' failed: $(cat "$tmp/token.err")"
[ -n "$token" ] || die "'emailrag token' printed nothing"
# Two messages, one with a word found nowhere else: the search must stream exactly that one.
write_testmail "$tmp/testmail.mbox"
import_out="$(/usr/bin/emailrag import "$tmp/testmail.mbox" --user pkgtest --data "$data" 2>&1)" \
    || die "'emailrag import' failed: $import_out"
port="$(free_port)"
start_server "$port" "$tmp/server.log" /usr/bin/emailrag --server --listen "127.0.0.1:$port" --data "$data"
talk_ws "$src" "$port" "$token" "zanzibarquartz" 1 1 || { echo "--- server log:"; cat "$tmp/server.log"; die "the WebSocket conversation failed"; }
# A wrong token is refused.
if talk_ws "$src" "$port" "not-a-token" "zanzibarquartz" 0 >/dev/null 2>&1; then
    die "the server accepted a bogus token"
fi
stop_server "$tmp/server.log"

step "the installed server as the service runs it: user emailrag, packaged config, /var/lib/emailrag"
# The unit's log format: a syslog level prefix (<6> info, <4> warning ...) that journald reads.
pattern="$(sed -nE 's/^Environment="QT_MESSAGE_PATTERN=(.*)"$/\1/p' /lib/systemd/system/emailrag-server.service | sed 's/%%/%/g')"
[ -n "$pattern" ] || die "the unit sets no QT_MESSAGE_PATTERN"
as_emailrag() { env HOME=/var/lib/emailrag setpriv --reuid=emailrag --regid=emailrag --init-groups -- "$@"; }
# README: the administrator adds users as the service user, before or while the server runs.
printf '%s\n' 'service-password-1' | as_emailrag /usr/bin/emailrag user add alice --password-stdin --data /var/lib/emailrag \
    >/dev/null || die "'emailrag user add' as user emailrag in /var/lib/emailrag failed"
port="$(free_port)"
start_server "$port" "$tmp/service.log" env QT_MESSAGE_PATTERN="$pattern" HOME=/var/lib/emailrag \
    setpriv --reuid=emailrag --regid=emailrag --init-groups -- /usr/bin/emailrag --server \
    --config /etc/emailrag/emailrag.conf --data /var/lib/emailrag --listen "127.0.0.1:$port"
# README: backup as the service user while the server runs.
install -d -o emailrag -g emailrag -m 0700 "$tmp/backups"
out="$(as_emailrag /usr/bin/emailrag backup "$tmp/backups/today" --data /var/lib/emailrag 2>&1)" \
    || die "'emailrag backup' as user emailrag failed: $out"
grep -q "integrity ok" <<<"$out" || die "backup did not report its integrity check: $out"
stop_server "$tmp/service.log"
grep -qE '^<6>emailrag\.[a-z]+: ' "$tmp/service.log" \
    || { cat "$tmp/service.log"; die "no log line with a journald level prefix (<6>emailrag.…: …)"; }
[ -n "$(find /var/lib/emailrag -maxdepth 1 -user emailrag -name '*.db' -print -quit)" ] \
    || die "the server running as emailrag wrote no database in /var/lib/emailrag"

step "dpkg -r, then dpkg -P"
dpkg -r emailrag >/dev/null || die "dpkg -r failed"
[ ! -e /usr/bin/emailrag ] || die "/usr/bin/emailrag still there after dpkg -r"
[ ! -e /lib/systemd/system/emailrag-server.service ] || die "unit still there after dpkg -r"
[ -f /etc/emailrag/emailrag.conf ] || die "dpkg -r removed the conffile (only purge should)"
dpkg -P emailrag >/dev/null || die "dpkg -P failed"
[ ! -e /etc/emailrag ] || die "/etc/emailrag still there after purge"
if dpkg-query -W -f='${Status}' emailrag 2>/dev/null | grep -q "installed\|config-files"; then
    die "dpkg still lists emailrag after purge"
fi
echo "package check ok: built, installed, ran, talked to, removed and purged emailrag $version"
