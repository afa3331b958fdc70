#!/usr/bin/env bash
# Validates the files packaging/ installs, from the source tree (no root needed):
# desktop entry (desktop-file-validate), AppStream metainfo (appstreamcli), systemd unit
# (systemd-analyze verify and an exposure threshold), and the server configuration file
# (documents every server option of `emailrag --help`).
# Usage: check_metadata.sh SOURCE_DIR EMAILRAG_BINARY PROJECT_VERSION
set -euo pipefail
src="${1:?usage}"
bin="${2:?usage}"
version="${3:?usage}"
pkg="$src/packaging"
fail=0
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for tool in desktop-file-validate appstreamcli systemd-analyze; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool missing (scripts/setup.sh installs it)"; exit 1; }
done

desktop="$pkg/linux/org.emailrag.EmailRAG.desktop"
metainfo="$pkg/linux/org.emailrag.EmailRAG.metainfo.xml"

if ! out="$(desktop-file-validate "$desktop" 2>&1)" || [ -n "$out" ]; then
    echo "FAIL: desktop-file-validate $desktop:"; echo "$out"; fail=1
fi
if ! out="$(appstreamcli validate --no-net "$metainfo" 2>&1)"; then
    echo "FAIL: appstreamcli validate $metainfo:"; echo "$out"; fail=1
fi
# The newest release in the metainfo is the version being built.
newest="$(grep -oE '<release version="[^"]+"' "$metainfo" | head -1 | cut -d'"' -f2)"
if [ "$newest" != "$version" ]; then
    echo "FAIL: newest <release> in the metainfo is '$newest', the project version is $version"; fail=1
fi
# The desktop entry's icon is the file that is installed.
icon="$(sed -n 's/^Icon=//p' "$desktop")"
if [ ! -f "$src/resources/icons/$icon.svg" ]; then
    echo "FAIL: Icon=$icon but resources/icons/$icon.svg does not exist"; fail=1
elif ! grep -q '<svg' "$src/resources/icons/$icon.svg"; then
    echo "FAIL: resources/icons/$icon.svg is not an SVG"; fail=1
fi

# systemd unit: verified with the built binary standing in for /usr/bin/emailrag (verify checks
# that ExecStart is executable) and without the man page lookup (not installed here).
unit="$tmp/emailrag-server.service"
sed "s#/usr/bin/emailrag#$bin#" "$pkg/systemd/emailrag-server.service" > "$unit"
if ! out="$(systemd-analyze verify --man=no "$unit" 2>&1)" || [ -n "$out" ]; then
    echo "FAIL: systemd-analyze verify emailrag-server.service:"; echo "$out"; fail=1
fi
# Hardening stays in place: systemd's exposure score (0 safest, 10 unprotected) at most 2.5.
if ! out="$(systemd-analyze security --offline=true --threshold=25 "$unit" 2>&1)"; then
    echo "FAIL: systemd-analyze security: exposure above 2.5:"; echo "$out" | tail -3; fail=1
fi
for directive in NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes ProtectHome=yes \
                 ReadWritePaths=/var/lib/emailrag User=emailrag; do
    grep -qx "$directive" "$pkg/systemd/emailrag-server.service" || { echo "FAIL: unit lacks $directive"; fail=1; }
done

# The configuration file documents every server option: those of `emailrag --help` (except
# --server, --config and --data, which the unit passes) and every key of ServerConfig::keys()
# in server/core/serverconfig.cpp, with the default that keys() states; and it has no other keys.
conf="$pkg/config/emailrag.conf"
conf_keys="$(sed -nE 's/^;?([a-z][a-z0-9-]*) *=.*/\1/p' "$conf" | sort -u)"
conf_value() { sed -nE "s/^;?$1 *= *(.*)$/\\1/p" "$conf" | head -1; }
# QSettings (the server's INI reader) takes only ';' for comments: '#name = x' is a setting '#name'.
if grep -n '^#' "$conf"; then echo "FAIL: $conf has lines starting with # (use ; for comments)"; fail=1; fi
# Shipped with every setting commented out: the defaults apply until an administrator changes one.
if grep -nE '^[a-z]' "$conf"; then echo "FAIL: $conf sets values; ship every setting commented out"; fail=1; fi
server_opts="$("$bin" --help | awk '/^Server options/ { inside = 1; next } inside && /^$/ { exit } inside { print $1 }' \
               | sed 's/^--//')"
[ -n "$server_opts" ] || { echo "FAIL: no 'Server options' section in emailrag --help"; fail=1; }
for opt in $server_opts; do
    case "$opt" in server|config|data) continue ;; esac
    grep -qx "$opt" <<<"$conf_keys" || { echo "FAIL: server option --$opt has no '$opt = ...' entry in $conf"; fail=1; }
done
serverconfig="$src/server/core/serverconfig.cpp"
nkeys=0
if [ -f "$serverconfig" ]; then
    # Lines of keys() look like: {QStringLiteral("name"), QStringLiteral("what it does (default X)")},
    known="$(awk '/ServerConfig::keys\(\)/ { inside = 1 } inside && /^}/ { exit } inside' "$serverconfig" \
             | grep -oE '\{QStringLiteral\("[a-z0-9-]+"\), QStringLiteral\(".*"\)\}')"
    [ -n "$known" ] || { echo "FAIL: could not read ServerConfig::keys() from $serverconfig"; fail=1; }
    while IFS= read -r line; do
        [ -n "$line" ] || continue
        key="$(sed -E 's/^\{QStringLiteral\("([a-z0-9-]+)".*/\1/' <<<"$line")"
        nkeys=$((nkeys + 1))
        if ! grep -qx "$key" <<<"$conf_keys"; then
            echo "FAIL: config key '$key' (ServerConfig::keys()) is not documented in $conf"; fail=1; continue
        fi
        default="$(grep -oE '\(default [^ )]+' <<<"$line" | sed 's/^(default //' || true)"
        if [ -n "$default" ] && [ "$(conf_value "$key")" != "$default" ]; then
            echo "FAIL: $conf shows $key = $(conf_value "$key"), ServerConfig::keys() says the default is $default"; fail=1
        fi
    done <<<"$known"
    for key in $conf_keys; do
        grep -q "QStringLiteral(\"$key\")" <<<"$known" \
            || { echo "FAIL: $conf documents '$key', which ServerConfig::keys() does not know"; fail=1; }
    done
else
    echo "note: $serverconfig not found; the config file is checked against --help only"
fi

[ "$fail" -eq 0 ] || exit 1
echo "packaging metadata ok: desktop entry, metainfo $newest, unit verified, config file documents $nkeys server keys"
