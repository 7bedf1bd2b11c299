#!/usr/bin/env bash
# Builds lpdesk and runs `lpdesk demo`: the embedded sandbox plus the app
# against it. Installs what the build needs first; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
export LANG="${LANG:-en_US.UTF-8}"
scripts/deps.sh
echo "demo: building lpdesk (the first build compiles GLFW's C code: a few minutes)" >&2
go build -o lpdesk .
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  # No session bus: give the window (and its keyring) a private one, so
  # nothing autolaunched outlives the demo.
  exec scripts/with-keyring.sh ./lpdesk demo "$@"
fi
exec ./lpdesk demo "$@"
