#!/usr/bin/env bash
# Runs every lpdesk check: the one command the README and CI use.
# Installs what it needs first (scripts/deps.sh), then: gofmt, go vet, the
# OAuth interoperability script, a short proxy load run, every fuzz target
# briefly, the real-window smoke test under Xvfb, go test -race on the core
# packages, go test on the UI and main packages, and the real-keyring and
# end-to-end tests under a private D-Bus session with gnome-keyring.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
export LANG="${LANG:-en_US.UTF-8}"
scripts/deps.sh

step() { printf '\n== %s\n' "$*" >&2; }

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:" >&2; echo "$unformatted" >&2; exit 1
fi

step "go vet"
go vet ./...
# The test drivers of the real-window tests build only with their tag.
go vet -tags lpdesk_testdrivers ./ui/...

step "OAuth 1.0a interoperability with python3-oauthlib"
scripts/oauthlib-check.sh

step "signing proxy under a short bounded loopback load (fails only on request errors)"
scripts/proxy-load.sh -duration 2s -rounds 2

step "fuzz targets, briefly (FUZZTIME=${FUZZTIME:-8s} each)"
scripts/fuzz.sh

if [ -x scripts/gui-smoke.sh ]; then
  step "real window under Xvfb"
  scripts/gui-smoke.sh
fi

# Core packages: everything but the Fyne UI and the main package, which
# link cgo GLFW and would pay its C build again under -race.
module=$(go list -m)
core=$(go list ./... | grep -v -e "^$module\$" -e "^$module/ui\(/\|\$\)")
rest=$(go list ./... | grep -e "^$module\$" -e "^$module/ui\(/\|\$\)")

step "go test -race (core)"
go test -race -count=1 $core

step "go test (ui, main)"
# main's TestShippedBinaryHasNoTestDrivers builds lpdesk with and without the
# test drivers and checks the shipped one's symbol table has none of them.
go test -count=1 $rest

step "go test (ui with the test drivers: autopilot and tour)"
go test -count=1 -tags lpdesk_testdrivers ./ui/

step "real keyring (gnome-keyring in a private D-Bus session)"
# The keyring-tagged tests talk to a real Secret Service (store/) and run the
# whole CLI against a real sandbox process (e2e/).
scripts/with-keyring.sh go test -count=1 -tags keyring ./store/... ./e2e/...

# --- installers and other desktops (issue 16) ---------------------------
# Windows: every package cross-compiled, the core tests, lpdesk.exe and its
# installer under Wine; Linux: the .deb unpacked and validated (lintian).
# scripts/release.sh builds the full release; its parts are these.
scripts/deps.sh --release --wine
step "Windows: cross-build, core tests and the installer under Wine"
LPDESK_SKIP_DEPS=1 scripts/wine-test.sh
step "the .deb: unpacked, lpdesk version, desktop-file-validate, appstreamcli, lintian"
LPDESK_SKIP_DEPS=1 scripts/release-check.sh
# --- end of installers -------------------------------------------------
