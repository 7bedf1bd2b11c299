#!/usr/bin/env bash
# with-keyring.sh CMD [ARGS…]: runs CMD in a private D-Bus session with an
# unlocked gnome-keyring (Secret Service), so tests use a real OS keyring
# without touching the user's own. The keyring files live in a throwaway
# XDG_DATA_HOME that is removed afterwards.
set -euo pipefail
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export XDG_DATA_HOME="$data"
dbus-run-session -- sh -c '
  echo -n lpdesk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null || {
    echo "with-keyring: gnome-keyring-daemon failed to start" >&2; exit 1; }
  exec "$@"' with-keyring "$@" 2> >(grep -v "Failed to set fd limit" >&2)
