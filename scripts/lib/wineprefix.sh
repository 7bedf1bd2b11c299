# Sourced by scripts/wine-test.sh and scripts/wine-screenshot.sh, from the
# repository root: a throwaway
# 64-bit Wine prefix in which Go programs built for Windows start. POSIX sh;
# the caller defines fail().

# wine_prefix_init DIR: creates the prefix in DIR (exports WINEPREFIX), with
# no Mono or Gecko download prompts, and puts the bcryptprimitives.dll
# stand-in (lib/wine/bcryptprimitives.c) into its system32.
wine_prefix_init() {
	export WINEPREFIX="$1" WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
	mkdir -p "$WINEPREFIX"
	# Debian's wine64 alone has no 32-bit loader: wineboot's one attempt at
	# a 32-bit rundll32 fails harmlessly, so its messages are dropped.
	"${LPDESK_WINE:-wine}" wineboot -i >"$WINEPREFIX/wineboot.log" 2>&1 ||
		fail "wineboot failed: $(cat "$WINEPREFIX/wineboot.log")"
	wineserver -w
	x86_64-w64-mingw32-gcc -shared -O2 -s \
		-o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
		scripts/lib/wine/bcryptprimitives.c -ladvapi32 ||
		fail "cannot build the bcryptprimitives.dll stand-in"
	# Keep one wineserver for every program of the run instead of one each.
	wineserver -p
}

# wine_prefix_end: stops the prefix's wineserver (and so whatever still runs
# in it); the caller removes the directory.
wine_prefix_end() {
	[ -n "${WINEPREFIX:-}" ] && [ -d "$WINEPREFIX" ] || return 0
	wineserver -k 2>/dev/null || true
	wineserver -w 2>/dev/null || true
}

# wine_go_overlay DIR: writes a `go build -overlay` file into DIR and prints
# its path. Go 1.26's os.RemoveAll deletes through NtSetInformationFile's
# FileDispositionInformationEx and falls back to the older call only on the
# statuses real Windows versions give; Debian 12's Wine 8.0 answers
# STATUS_NOT_IMPLEMENTED, so every t.TempDir() cleanup would fail. The
# overlay adds that status to the fallback's list, for the test binaries run
# under Wine only; shipped binaries are built without it.
wine_go_overlay() {
	src="$(go env GOROOT)/src/internal/syscall/windows/at_windows.go"
	line='		STATUS_NOT_SUPPORTED:     // the file system doesn'"'"'t support FILE_DISPOSITION_INFORMATION_EX or one of the flags'
	grep -qxF "$line" "$src" ||
		fail "wine_go_overlay: $src changed; check whether os.RemoveAll still needs the Wine fallback"
	awk -v line="$line" '$0 == line { print "		STATUS_NOT_SUPPORTED, NTStatus(0xC0000002): // …and Wine 8.0, which answers STATUS_NOT_IMPLEMENTED"; next } { print }' \
		"$src" >"$1/at_windows.go"
	printf '{"Replace":{"%s":"%s"}}\n' "$src" "$1/at_windows.go" >"$1/overlay.json"
	echo "$1/overlay.json"
}

# wine_demo_window EXE LOG: starts `EXE demo` under Wine's Explorer, in a
# virtual desktop on $DISPLAY (so the window has Windows' frame, and
# Explorer is its parent as when started from the Start menu), and waits up
# to 2 minutes for its window; sets wine_demo_pid.
wine_demo_window() {
	"${LPDESK_WINE:-wine}" explorer /desktop=lpdesk,1280x800 "$1" demo --addr 127.0.0.1:0 >"$2" 2>&1 &
	wine_demo_pid=$!
	i=0
	until xdotool search --name '^lpdesk($| —)' >/dev/null 2>&1; do
		i=$((i + 1))
		kill -0 "$wine_demo_pid" 2>/dev/null || fail "lpdesk.exe exited without a window: $(tail -n 20 "$2")"
		[ "$i" -lt 240 ] || fail "no lpdesk window within 2 minutes: $(tail -n 20 "$2")"
		sleep 0.5
	done
}
