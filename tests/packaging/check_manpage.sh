#!/usr/bin/env bash
# Checks packaging/man/emailrag.1 against the program's own help:
#  - every --option that `emailrag --help` or `emailrag COMMAND --help` prints is documented;
#  - the COMMANDS section lists exactly the commands `emailrag --help` lists;
#  - the version in the .TH line is the program's version.
# Usage: check_manpage.sh EMAILRAG_BINARY MANPAGE
set -euo pipefail
bin="${1:?usage: check_manpage.sh EMAILRAG_BINARY MANPAGE}"
man="${2:?usage: check_manpage.sh EMAILRAG_BINARY MANPAGE}"
fail=0

# The man page as plain words: roff's \- is a dash.
man_text="$(sed -e 's/\\-/-/g' "$man")"

global_help="$("$bin" --help)"

# Commands: the lines of the "Commands" section of --help, first word of each.
help_commands="$(printf '%s\n' "$global_help" | awk '
    /^Commands/ { inside = 1; next }
    inside && /^$/ { inside = 0 }
    inside && /^  [a-z]/ { print $1 }' | sort -u)"

# Commands documented in the man page: the first word after .B on the line following each .TP
# between the COMMANDS-BEGIN and COMMANDS-END markers.
man_commands="$(printf '%s\n' "$man_text" | awk '
    /COMMANDS-BEGIN/ { inside = 1; next }
    /COMMANDS-END/ { inside = 0 }
    inside && prev == ".TP" && /^\.B/ { print $2 }
    { prev = $0 }' | sort -u)"

if [ "$help_commands" = "(none" ]; then help_commands=""; fi
missing_cmds="$(comm -23 <(printf '%s\n' "$help_commands" | sed '/^$/d') <(printf '%s\n' "$man_commands" | sed '/^$/d'))"
extra_cmds="$(comm -13 <(printf '%s\n' "$help_commands" | sed '/^$/d') <(printf '%s\n' "$man_commands" | sed '/^$/d'))"
if [ -n "$missing_cmds" ]; then
    echo "FAIL: commands in 'emailrag --help' but not in the man page's COMMANDS section: $(echo $missing_cmds)"
    fail=1
fi
if [ -n "$extra_cmds" ]; then
    echo "FAIL: commands in the man page that 'emailrag --help' does not list: $(echo $extra_cmds)"
    fail=1
fi

# Options: every --word of the global help and of each command's help.
check_options() { # $1 = where, stdin = help text
    local where="$1" opt
    for opt in $(grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
        if ! grep -qE -- "(^|[^a-z0-9-])${opt}([^a-z0-9-]|$)" <<<"$man_text"; then
            echo "FAIL: option $opt of $where is not in the man page"
            fail=1
        fi
    done
}
check_options "'emailrag --help'" <<<"$global_help"
ncommands=0
for c in $help_commands; do
    if ! cmd_help="$("$bin" "$c" --help 2>&1)"; then
        echo "FAIL: 'emailrag $c --help' failed: $cmd_help"
        fail=1
        continue
    fi
    check_options "'emailrag $c --help'" <<<"$cmd_help"
    ncommands=$((ncommands + 1))
done

# Version.
version="$("$bin" --version | awk '{print $2}')"
if ! grep -q "^\.TH EMAILRAG 1 .*\"EmailRAG ${version}\"" "$man"; then
    echo "FAIL: the man page's .TH line does not say EmailRAG $version"
    fail=1
fi

# The page must render without warnings where man-db is installed.
if command -v man >/dev/null 2>&1; then
    warnings="$(MANWIDTH=80 man --warnings -l "$man" 2>&1 >/dev/null || true)"
    if [ -n "$warnings" ]; then
        echo "FAIL: man reports problems in $man:"
        echo "$warnings"
        fail=1
    fi
fi

if [ "$fail" -ne 0 ]; then
    echo "Update packaging/man/emailrag.1 to match the program's --help."
    exit 1
fi
echo "man page ok: $(printf '%s\n' "$help_commands" | sed '/^$/d' | wc -l) commands, options of --help and $ncommands command helps documented, version $version"
