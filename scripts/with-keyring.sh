#!/usr/bin/env bash
# with-keyring.sh CMD [ARGS…]: runs CMD in a private D-Bus session with an
# unlocked gnome-keyring (Secret Service), so tests use a real OS keyring
# without touching the user's own. The keyring files live in a throwaway
# XDG_DATA_HOME that is removed afterwards.
set -euo pipefail
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export XDG_DATA_HOME="$data"
lib=$(cd "$(dirname "$0")/lib" && pwd)
dbus-run-session -- sh -c '
  "$0/start-keyring.sh" || exit 1
  exec "$@"' "$lib" "$@" 2> >(grep --line-buffered -v "Failed to set fd limit" >&2)
