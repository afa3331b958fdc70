#!/bin/sh
# Runs "$@" against a real gnome-keyring in a private D-Bus session with a throw-away HOME, so
# that keychain tests never touch the developer's keyring and work the same in CI and locally
# (scripts/test.sh already provides such a session; nesting another one is harmless).
set -eu
HOME="$(mktemp -d)"
XDG_RUNTIME_DIR="$(mktemp -d)"
chmod 700 "$XDG_RUNTIME_DIR"
export HOME XDG_RUNTIME_DIR
unset XDG_DATA_HOME XDG_CONFIG_HOME
status=0
dbus-run-session -- sh -c 'printf %s emailrag-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$@"' sh "$@" || status=$?
rm -rf "$HOME" "$XDG_RUNTIME_DIR"
exit $status
