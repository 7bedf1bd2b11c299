#!/bin/sh
# wine-exec.sh PROGRAM.exe [ARGS…]: the `go test -exec` wrapper of
# scripts/wine-test.sh. Runs a Windows test binary under Wine in the prefix
# that script prepared (WINEPREFIX), with Wine's own chatter off; the
# program's output and exit status are Wine's, which passes both through.
set -e
: "${WINEPREFIX:?wine-exec.sh: WINEPREFIX is unset (run through scripts/wine-test.sh)}"
export WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
exec "${LPDESK_WINE:-wine}" "$@"
