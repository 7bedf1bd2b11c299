# Sourced by scripts/gui-smoke.sh and scripts/screenshots.sh: what both need
# to run the real window in a private X display and home. POSIX sh; the
# caller defines fail() and the variables disp and xvfb_pid.

# pids_with_env VAR=VALUE: the processes whose environment holds exactly
# that entry (how a script finds what it started, without matching names).
pids_with_env() {
	for d in /proc/[0-9]*; do
		p=${d#/proc/}
		[ "$p" = "$$" ] && continue
		if { tr '\0' '\n' <"$d/environ"; } 2>/dev/null | grep -qxF "$1"; then
			echo "$p"
		fi
	done
}

# stop_xsession VAR: kills what the script started under its display (the
# processes whose environment holds VAR=$disp), then Xvfb; for the cleanup
# trap, so it never fails.
stop_xsession() {
	if [ -n "$disp" ]; then
		for p in $(pids_with_env "$1=$disp"); do
			kill "$p" 2>/dev/null || true
		done
	fi
	if [ -n "$xvfb_pid" ]; then
		kill "$xvfb_pid" 2>/dev/null || true
		wait "$xvfb_pid" 2>/dev/null || true
	fi
}

# start_xvfb LOG: starts Xvfb (1280x800) on the first free display number
# and waits for its socket; sets disp and xvfb_pid.
start_xvfb() {
	n=90
	while [ "$n" -lt 400 ]; do
		if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then
			disp=$n
			break
		fi
		n=$((n + 1))
	done
	[ -n "$disp" ] || fail "no free X display number"
	Xvfb ":$disp" -screen 0 1280x800x24 -nolisten tcp >"$1" 2>&1 &
	xvfb_pid=$!
	i=0
	until [ -e "/tmp/.X11-unix/X$disp" ]; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || fail "Xvfb did not start on :$disp"
		kill -0 "$xvfb_pid" 2>/dev/null || fail "Xvfb exited: $(cat "$1")"
		sleep 0.1
	done
	export DISPLAY=":$disp"
}

# private_home DIR: a throwaway HOME, XDG dirs and runtime dir under DIR, so
# nothing the app writes touches the real user's files; no outside session.
private_home() {
	unset WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
	export HOME="$1/home" XDG_RUNTIME_DIR="$1/run"
	export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" XDG_CACHE_HOME="$HOME/.cache"
	mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
	chmod 700 "$XDG_RUNTIME_DIR"
}
