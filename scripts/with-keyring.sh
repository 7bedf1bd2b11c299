#!/usr/bin/env bash
# with-keyring.sh CMD [ARGS…]: runs CMD in a private D-Bus session with an
# unlocked gnome-keyring (Secret Service), so tests use a real OS keyring
# without touching the user's own. The keyring files live in a throwaway
# XDG_DATA_HOME that is removed afterwards.
set -euo pipefail
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export XDG_DATA_HOME="$data"
# gnome-keyring-daemon --unlock returns before the daemon owns
# org.freedesktop.secrets; a client calling at once would make D-Bus
# activate a second, locked daemon. Wait for the name's owner first.
dbus-run-session -- sh -c '
  echo -n lpdesk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null || {
    echo "with-keyring: gnome-keyring-daemon failed to start" >&2; exit 1; }
  i=0
  until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true; do
    i=$((i+1))
    if [ $i -gt 100 ]; then echo "with-keyring: the Secret Service did not appear" >&2; exit 1; fi
    sleep 0.1
  done
  exec "$@"' with-keyring "$@" 2> >(grep --line-buffered -v "Failed to set fd limit" >&2)
