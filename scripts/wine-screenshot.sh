#!/usr/bin/env bash
# wine-screenshot.sh: opens lpdesk.exe (the Windows build) under Wine on a
# private Xvfb display, in a Wine virtual desktop so that the window has
# Windows' frame, and saves a screenshot of `lpdesk demo`'s first screen to
# docs/screenshots/windows-wine.png (SHOT overrides). Not part of the test
# command: Wine's OpenGL on Xvfb is Mesa's software renderer, and what it
# draws is not what a Windows desktop draws.
#
# Environment: LPDESK_EXE uses this lpdesk.exe instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
[ "${LPDESK_SKIP_DEPS:-}" = 1 ] || scripts/deps.sh --wine

shot=${SHOT:-docs/screenshots/windows-wine.png}
work=$(mktemp -d)
disp= xvfb_pid=
fail() { echo "wine-screenshot: $*" >&2; exit 1; }
. scripts/lib/xsession.sh
. scripts/lib/wineprefix.sh
. scripts/lib/package.sh
cleanup() {
	wine_prefix_end
	[ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

exe=${LPDESK_EXE:-}
if [ -z "$exe" ]; then
	exe=$work/lpdesk.exe
	build_windows "$exe" "$(release_version)" "$(release_commit)"
fi
start_xvfb "$work/xvfb.log"
wine_prefix_init "$work/prefix"

# The demo keeps its profile in a throwaway config directory and its secret
# in the prefix's Credential Manager; both go with the prefix.
wine_demo_window "$exe" "$work/app.log"
sleep "${SETTLE:-10}" # the first frames through Mesa's software GL
import -window root "$shot"
echo "wine-screenshot: $shot" >&2
