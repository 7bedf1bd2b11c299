#!/bin/sh
# Produces docs/screenshots/*.png: one PNG of each screen of the desktop app
# (wizard steps, with and without a browser to open; the account base; a
# table of skills and a skill's form, each also at 1024×640; the form editor
# refusing a value; search, tree, the text editor with a validation error,
# settings, the revoke confirmation; the agent workspace with chat requests
# waiting and with a chat in progress, each of those also at 1024×640; then
# another OAuth 1.0a provider: the picker, a custom and an RSA provider's
# form, the four values; the Signature section after Copy as curl, and a 401
# with lpdesk's base string beside the answer).
#
# It builds lpdesk with -tags lpdesk_testdrivers and runs `lpdesk demo` with
# LPDESK_TEST_TOUR=1 under a private Xvfb display and D-Bus session (with an
# unlocked gnome-keyring): the app walks itself through the screens,
# announcing each on stdout, and this script captures the window with
# ImageMagick's import before letting it go on.
#
# Environment:
#   LPDESK_BIN        use this binary instead of building one; it must be
#                     built with -tags lpdesk_testdrivers, since the shipped
#                     binary has no tour
#   SHOTS_DIR         output directory (default docs/screenshots)
#   FYNE_THEME        light (default) or dark
set -eu

cd "$(dirname "$0")/.."
dest=${SHOTS_DIR:-docs/screenshots}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/lpdesk-shots.XXXXXX")
xvfb_pid=
disp=

fail() {
	echo "screenshots: FAIL: $*" >&2
	[ -s "$work/app.err" ] && tail -n 30 "$work/app.err" >&2
	exit 1
}

. scripts/lib/xsession.sh

cleanup() {
	stop_xsession LPDESK_SHOTS_DISPLAY
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

for tool in Xvfb xdotool import dbus-run-session gnome-keyring-daemon; do
	command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed"
done

bin=${LPDESK_BIN:-}
if [ -z "$bin" ]; then
	bin=$work/lpdesk
	# The tour exists only in builds with the test drivers.
	go build -tags lpdesk_testdrivers -o "$bin" "." || fail "build failed"
fi

start_xvfb "$work/xvfb.log"

export LANG=en_US.UTF-8 LPDESK_TEST_TOUR=1 LPDESK_SHOTS_DISPLAY="$disp"
export FYNE_THEME="${FYNE_THEME:-light}"
unset LPDESK_TEST_AUTOPILOT
private_home "$work"
export SHOTS_LIB="$(pwd)/scripts/lib"
export SHOTS_BIN="$bin" SHOTS_WORK="$work" SHOTS_DEST="$dest"

dbus-run-session -- sh -eu -c '
	"$SHOTS_LIB/start-keyring.sh"
	w=$SHOTS_WORK
	mkfifo "$w/in"
	"$SHOTS_BIN" demo --addr 127.0.0.1:0 <"$w/in" >"$w/app.out" 2>"$w/app.err" &
	app=$!
	exec 3>"$w/in"

	seen=0
	count=0
	wid=
	i=0
	while :; do
		i=$((i + 1))
		if [ "$i" -gt 1500 ] || ! kill -0 "$app" 2>/dev/null; then
			echo "the tour stopped after $count screens" >"$w/result"
			exit 1
		fi
		total=$(grep -c "^LPDESK_TOUR " "$w/app.out" 2>/dev/null || true)
		if [ "${total:-0}" -le "$seen" ]; then
			sleep 0.2
			continue
		fi
		seen=$((seen + 1))
		name=$(grep "^LPDESK_TOUR " "$w/app.out" | sed -n "${seen}p" | cut -d" " -f2-)
		case $name in
		end) break ;;
		failed*) echo "tour $name" >"$w/result"; exit 1 ;;
		esac
		[ -n "$wid" ] || wid=$(xdotool search --onlyvisible --name lpdesk | head -n 1)
		count=$((count + 1))
		file=$(printf "%s/%02d-%s.png" "$SHOTS_DEST" "$count" "$name")
		import -window "$wid" "$file"
		echo "screenshots: $file" >&2
		echo next >&3
	done
	xdotool windowfocus --sync "$wid" 2>/dev/null || true
	xdotool key --clearmodifiers ctrl+q
	exec 3>&-
	i=0
	while kill -0 "$app" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || { echo "the app did not quit" >"$w/result"; exit 1; }
		sleep 0.2
	done
	echo ok >"$w/result"
' || true

result=$(cat "$work/result" 2>/dev/null || echo "the session script failed")
[ "$result" = ok ] || fail "$result"
echo "screenshots: done, in $dest" >&2
