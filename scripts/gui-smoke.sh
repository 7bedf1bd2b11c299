#!/bin/sh
# Real-window smoke test of the desktop app.
#
# Under a private Xvfb display and a private D-Bus session with an unlocked
# gnome-keyring, it builds lpdesk with -tags lpdesk_testdrivers and starts
# `lpdesk demo` with LPDESK_TEST_AUTOPILOT=agent (the window completes
# onboarding against the embedded sandbox by itself, opens the skills and one
# skill, then goes to the agent workspace, goes Online, accepts the demo's
# waiting visitor and sends a line, which scripts/lib/visitor.sh checks
# arrived and answers through the Server Chat API; the autopilot prints a
# LPDESK_AUTOPILOT line once the answer is on screen), waits for
# the window, takes a screenshot, checks that it is not blank, closes the
# window with Ctrl+Q and checks that the app exited 0 and left no process
# behind. Exits non-zero on any failure.
#
# Environment:
#   LPDESK_BIN        use this binary instead of building one; it must be
#                     built with -tags lpdesk_testdrivers, since the shipped
#                     binary has no autopilot
#   SMOKE_OUT         directory for the screenshot and logs (default: a
#                     temporary directory, removed unless the test fails)
set -eu

cd "$(dirname "$0")/.."
root=$(pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/lpdesk-smoke.XXXXXX")
out=${SMOKE_OUT:-$work}
mkdir -p "$out"
xvfb_pid=
app_pid=
disp=
status=1

fail() {
	echo "gui-smoke: FAIL: $*" >&2
	for f in "$out/app.out" "$out/app.err" "$out/visitor.log"; do
		if [ -s "$f" ]; then
			echo "--- $f" >&2
			tail -n 40 "$f" >&2
		fi
	done
	exit 1
}

. scripts/lib/xsession.sh

cleanup() {
	rc=$?
	if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
		kill "$app_pid" 2>/dev/null || true
	fi
	stop_xsession LPDESK_SMOKE_DISPLAY
	if [ "$rc" -eq 0 ] && [ -z "${SMOKE_OUT:-}" ]; then
		rm -rf "$work"
	elif [ "$rc" -ne 0 ]; then
		echo "gui-smoke: logs and screenshot kept in $out" >&2
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

for tool in Xvfb xdotool import convert dbus-run-session gnome-keyring-daemon curl; do
	command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (apt-get install xvfb xdotool imagemagick dbus-user-session gnome-keyring curl)"
done

# The binary.
bin=${LPDESK_BIN:-}
if [ -z "$bin" ]; then
	bin=$work/lpdesk
	# The autopilot exists only in builds with the test drivers.
	echo "gui-smoke: building . with -tags lpdesk_testdrivers" >&2
	go build -tags lpdesk_testdrivers -o "$bin" "." || fail "build failed"
fi

start_xvfb "$out/xvfb.log"

export LANG=en_US.UTF-8
export LPDESK_TEST_AUTOPILOT=agent
export LPDESK_SMOKE_DISPLAY="$disp"
private_home "$work"
export SMOKE_LIB="$(pwd)/scripts/lib"
export SMOKE_BIN="$bin" SMOKE_OUTDIR="$out"

# Everything that needs the session bus runs inside dbus-run-session, which
# stops the bus when the inner script ends.
dbus-run-session -- sh -eu -c '
	"$SMOKE_LIB/start-keyring.sh"
	out=$SMOKE_OUTDIR
	"$SMOKE_BIN" demo --addr 127.0.0.1:0 >"$out/app.out" 2>"$out/app.err" &
	app=$!
	echo "$app" >"$out/app.pid"

	# Wait for the window, then for the autopilot to show a skill.
	i=0
	wid=
	while [ -z "$wid" ]; do
		wid=$(xdotool search --onlyvisible --name "lpdesk" 2>/dev/null | head -n 1 || true)
		i=$((i + 1))
		if [ "$i" -gt 600 ] || ! kill -0 "$app" 2>/dev/null; then
			echo "no lpdesk window appeared" >"$out/result"
			exit 1
		fi
		[ -n "$wid" ] || sleep 0.2
	done
	# The visitor answers the agent once its line has arrived.
	if ! "$SMOKE_LIB/visitor.sh" "$out" >"$out/visitor.log" 2>&1; then
		echo "$(tail -n 3 "$out/visitor.log")" >"$out/result"
		exit 1
	fi
	i=0
	until grep -q "^LPDESK_AUTOPILOT " "$out/app.out" 2>/dev/null; do
		i=$((i + 1))
		if [ "$i" -gt 900 ] || ! kill -0 "$app" 2>/dev/null; then
			echo "the autopilot did not finish" >"$out/result"
			exit 1
		fi
		sleep 0.2
	done
	if ! grep -q "^LPDESK_AUTOPILOT ok: .* received " "$out/app.out"; then
		echo "autopilot: $(grep "^LPDESK_AUTOPILOT " "$out/app.out")" >"$out/result"
		exit 1
	fi
	# Let the last frame reach the screen.
	sleep 1
	import -window root "$out/smoke.png"

	# Quit the way a person would: Ctrl+Q in the focused window.
	xdotool windowfocus --sync "$wid" 2>/dev/null || true
	xdotool key --clearmodifiers ctrl+q
	i=0
	while kill -0 "$app" 2>/dev/null; do
		i=$((i + 1))
		if [ "$i" -gt 100 ]; then
			echo "the app did not exit after Ctrl+Q" >"$out/result"
			exit 1
		fi
		sleep 0.2
	done
	if wait "$app"; then
		echo ok >"$out/result"
	else
		echo "the app exited with status $?" >"$out/result"
		exit 1
	fi
' || true

result=$(cat "$out/result" 2>/dev/null || echo "the session script failed")
[ "$result" = ok ] || fail "$result"

# The screenshot must show something: a blank screen has no variation.
[ -s "$out/smoke.png" ] || fail "no screenshot"
sd=$(convert "$out/smoke.png" -format '%[fx:standard_deviation]' info:)
awk -v sd="$sd" 'BEGIN { exit !(sd > 0.02) }' || fail "screenshot looks blank (standard deviation $sd)"

# Nothing started in the session may outlive it.
sleep 0.5
left=$(pids_with_env "LPDESK_SMOKE_DISPLAY=$disp")
[ -z "$left" ] || fail "processes left behind: $(for p in $left; do tr '\0' ' ' <"/proc/$p/cmdline"; echo; done)"

grep "^LPDESK_AUTOPILOT " "$out/app.out" >&2
cat "$out/visitor.log" >&2
echo "gui-smoke: ok (screenshot standard deviation $sd)" >&2
status=0
exit "$status"
