#!/usr/bin/env bash
# bench.sh [benchtable flags…]: runs every lpdesk benchmark and its
# baselines in one run and prints the README's Performance table (figure,
# ours, baseline, ratio, target, met). Installs what it needs first (jq,
# xmllint, node and npm, python3-oauthlib via scripts/deps.sh --bench; GNU
# time; the Node peer's package from bench/node/package-lock.json). Raw
# outputs, the table (table.md) and results.json land in bench/out/.
# Takes 3 to 8 minutes on 2 cores (the upper end when the Fyne build of
# lpdesk for the window figures is not cached yet).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
export LANG="${LANG:-en_US.UTF-8}"

if command -v jq >/dev/null && command -v xmllint >/dev/null && command -v node >/dev/null && command -v npm >/dev/null; then
  # The peers' tools are here already. Asking for Debian's npm anyway would
  # fail where node came from NodeSource: its nodejs bundles npm and
  # conflicts with Debian's npm package.
  scripts/deps.sh
else
  scripts/deps.sh --bench
fi
if [ ! -x /usr/bin/time ]; then
  # GNU time reports the peak RSS the large-resource figures compare.
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "bench: installing time" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends time >/dev/null
fi
echo "bench: installing the Node peer (bench/node)" >&2
(cd bench/node && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

mkdir -p bench/out/bin
go build -o bench/out/bin/benchtable ./bench/cmd/benchtable
exec bench/out/bin/benchtable -root . -out bench/out "$@"
