#!/usr/bin/env bash
# wine-test.sh: the Windows side of the test command. Cross-compiles every
# package for windows/amd64 (go vet, tests included; the cgo UI and main with
# mingw-w64), builds lpdesk.exe and runs it, then runs the core packages'
# tests under Wine with `go test -exec`: store against the real Windows
# Credential Manager (go-keyring's wincred backend, -tags keyring),
# onboarding, apiclient, sandbox and the rest of the core. Everything Wine
# writes stays in a throwaway prefix.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
[ "${LPDESK_SKIP_DEPS:-}" = 1 ] || scripts/deps.sh --wine

fail() { echo "wine-test: $*" >&2; exit 1; }
step() { printf '\n== %s\n' "$*" >&2; }
. scripts/lib/wineprefix.sh

work=$(mktemp -d)
trap 'wine_prefix_end; rm -rf "$work"' EXIT

module=$(go list -m)
core=$(go list ./... | grep -v -e "^$module\$" -e "^$module/ui\(/\|\$\)")

export GOOS=windows GOARCH=amd64
step "go vet for windows/amd64 (core without cgo; UI and main with mingw-w64)"
CGO_ENABLED=0 go vet $core
export CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc
go vet . ./ui/...
go vet -tags lpdesk_testdrivers ./ui/...
go build -o "$work/lpdesk.exe" .

step "Wine prefix"
wine_prefix_init "$work/prefix"
overlay=$(wine_go_overlay "$work")

step "lpdesk.exe under Wine"
out=$(scripts/lib/wine-exec.sh "$work/lpdesk.exe" version) || fail "lpdesk.exe version: exit $?"
case $out in
"lpdesk "*) echo "$out" >&2 ;;
*) fail "lpdesk.exe version printed: $out" ;;
esac

step "core tests under Wine (store and e2e with the real Credential Manager)"
# e2e runs the cross-built lpdesk.exe (sandbox, auth login, api, logout):
# there is no go command inside Wine to build one.
LPDESK_E2E_BIN=$(winepath -w "$work/lpdesk.exe") \
	CGO_ENABLED=0 go test -count=1 -overlay "$overlay" -exec "$PWD/scripts/lib/wine-exec.sh" -tags keyring $core
