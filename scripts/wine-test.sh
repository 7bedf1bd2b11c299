#!/usr/bin/env bash
# wine-test.sh: the Windows side of the test command.
#  1. Cross-compiles every package for windows/amd64 (go vet, tests
#     included; the cgo UI and main with mingw-w64) and builds lpdesk.exe as
#     scripts/release.sh does (icon, manifest, version resource, stamp).
#  2. Runs the core packages' tests under Wine with `go test -exec`: store
#     and e2e against the real Credential Manager (go-keyring's wincred
#     backend, -tags keyring), onboarding, apiclient, sandbox and the rest;
#     and the UI's display check.
#  3. Builds the NSIS installer and runs it unattended: install, a profile
#     authorized with a console code, uninstall keeping the profile,
#     reinstall finding it, uninstall with /REMOVEPROFILES removing it.
#  4. Opens the window: `lpdesk.exe demo` started by Wine's Explorer, as the
#     Start menu does, on a private Xvfb display.
# Everything Wine writes stays in a throwaway prefix.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
[ "${LPDESK_SKIP_DEPS:-}" = 1 ] || scripts/deps.sh --wine

fail() { echo "wine-test: $*" >&2; exit 1; }
step() { printf '\n== %s\n' "$*" >&2; }
. scripts/lib/wineprefix.sh
. scripts/lib/package.sh

work=$(mktemp -d)
disp= xvfb_pid=
. scripts/lib/xsession.sh
trap 'wine_prefix_end; [ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null; rm -rf "$work"' EXIT
version=$(release_version)
commit=$(release_commit)
module=$(go list -m)
core=$(go list ./... | grep -v -e "^$module\$" -e "^$module/ui\(/\|\$\)")

step "go vet for windows/amd64 (core without cgo; UI and main with mingw-w64)"
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go vet $core
(
	export GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc
	go vet . ./ui/...
	go vet -tags lpdesk_testdrivers ./ui/...
)
build_windows "$work/lpdesk.exe" "$version" "$commit"

step "Wine prefix"
wine_prefix_init "$work/prefix"
overlay=$(wine_go_overlay "$work")
wexec=$PWD/scripts/lib/wine-exec.sh

step "lpdesk.exe under Wine"
want="lpdesk $version (commit $commit)"
got=$("$wexec" "$work/lpdesk.exe" version) || fail "lpdesk.exe version: exit $?"
[ "$got" = "$want" ] || fail "lpdesk.exe version printed \"$got\", want \"$want\""
echo "$got" >&2

step "core tests under Wine (store and e2e with the real Credential Manager)"
# e2e runs the cross-built lpdesk.exe (sandbox, auth login, api, logout):
# there is no go command inside Wine to build one.
# sandbox/conformance is left out: it drives a sandbox process with Debian's
# python3-oauthlib, which a Windows test binary cannot run; the sandbox's
# own tests run here, and conformance runs natively in the core run.
wine_core=$(printf '%s\n' $core | grep -v -e "^$module/sandbox/conformance\$")
LPDESK_E2E_BIN=$(winepath -w "$work/lpdesk.exe") GOOS=windows GOARCH=amd64 CGO_ENABLED=0 \
	go test -count=1 -overlay "$overlay" -exec "$wexec" -tags keyring $wine_core
GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc \
	go test -count=1 -overlay "$overlay" -exec "$wexec" -run '^TestHasDisplay' ./ui/

step "the installer under Wine"
make_setup "$work/lpdesk.exe" "$version" "$work"
setup=$work/lpdesk-$version-windows-amd64-setup.exe
unix() { winepath -u "$1" 2>/dev/null; }
progdir=$(unix 'C:\Program Files\lpdesk')
startmenu=$(unix 'C:\ProgramData\Microsoft\Windows\Start Menu\Programs\lpdesk.lnk')
appdata=$(unix "$("$wexec" cmd /c echo %APPDATA% | tr -d '\r')")/lpdesk
installed='C:\Program Files\lpdesk\lpdesk.exe'
uninst_key='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\lpdesk'
install() {
	"$wexec" "$setup" /S || fail "setup /S: exit $?"
	[ -f "$progdir/lpdesk.exe" ] && [ -f "$progdir/uninstall.exe" ] || fail "setup installed no lpdesk.exe and uninstall.exe"
	[ -f "$startmenu" ] || fail "setup made no Start-menu entry"
	"$wexec" reg query "$uninst_key" /v DisplayVersion | grep -q "$version" || fail "no Apps & features entry"
}
# uninstall ARGS…: the silent uninstaller copies itself to %TEMP% and
# returns at once; wait for it to remove the program folder.
uninstall() {
	"$wexec" "$progdir/uninstall.exe" /S "$@" || fail "uninstall /S: exit $?"
	local i=0
	while [ -e "$progdir" ]; do
		i=$((i + 1))
		[ $i -lt 120 ] || fail "the uninstaller left $progdir: $(ls "$progdir")"
		sleep 0.5
	done
	[ ! -e "$startmenu" ] || fail "the uninstaller left the Start-menu entry"
	! "$wexec" reg query "$uninst_key" >/dev/null 2>&1 || fail "the uninstaller left the Apps & features entry"
}
# credentials: how many "lpdesk:…" entries Credential Manager holds. Wine
# keeps them in the registry, which is the one place this looks at Wine's
# insides rather than at what Windows shows.
credentials() { "$wexec" reg query 'HKCU\Software\Wine\Credential Manager' 2>/dev/null | grep -c 'Generic: lpdesk:' || true; }

install
got=$("$wexec" "$installed" version) || fail "installed lpdesk.exe version: exit $?"
[ "$got" = "$want" ] || fail "installed lpdesk.exe says \"$got\""
# A profile as an admin makes one: a console code from a sandbox (run from
# the build folder, so it does not hold the installed file open).
"$wexec" "$work/lpdesk.exe" sandbox --addr 127.0.0.1:0 --quiet --seed 5 >"$work/sandbox.out" 2>&1 &
i=0
until server=$(sed -n 's/^  Base URL: *//p' "$work/sandbox.out") && [ -n "$server" ]; do
	i=$((i + 1))
	[ $i -lt 120 ] || fail "the sandbox did not start: $(cat "$work/sandbox.out")"
	sleep 0.5
done
code=$(curl -sf -u admin:demo -H 'Accept: text/plain' -X POST "$server/console/apps/lpdesk-demo-app/install") ||
	fail "the sandbox console gave no install code"
echo "$code" | "$wexec" "$installed" auth login --server "$server" --account 12345678 --profile work --code >/dev/null ||
	fail "auth login --code with the installed lpdesk.exe"
[ -f "$appdata/profiles.json" ] || fail "no profiles.json in %AppData%\\lpdesk"
[ "$(credentials)" -ge 1 ] || fail "no lpdesk credential in Credential Manager"

uninstall
[ -f "$appdata/profiles.json" ] || fail "the uninstaller removed the profiles without being asked"
install
"$wexec" "$installed" auth status | grep -q 'access: *ok' || fail "after reinstalling, the profile or its secret is gone"
echo "wine-test: uninstall kept the profile and its secret; the reinstalled lpdesk uses them" >&2

uninstall /REMOVEPROFILES
[ ! -e "$appdata" ] || fail "uninstall /REMOVEPROFILES left $appdata"
[ "$(credentials)" -eq 0 ] || fail "uninstall /REMOVEPROFILES left $(credentials) lpdesk credentials"
echo "wine-test: uninstall /REMOVEPROFILES removed the profile and its Credential Manager entry" >&2

step "the window under Wine, started by Explorer"
start_xvfb "$work/xvfb.log"
wine_demo_window "$work/lpdesk.exe" "$work/demo.log"
echo "wine-test: lpdesk.exe demo opened its window" >&2
