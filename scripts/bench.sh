#!/usr/bin/env bash
# bench.sh [benchtable flags…]: runs every lpdesk benchmark and its
# baselines in one run and prints the README's Performance table (figure,
# ours, baseline, ratio, target, met). Installs what it needs first (jq,
# xmllint, GNU time, node and npm, python3-oauthlib via scripts/deps.sh
# --bench; the Node peer's package from bench/node/package-lock.json). Raw
# outputs, the table (table.md) and results.json land in bench/out/.
# Takes 10 to 17 minutes on 2 cores (the upper end when the Fyne build of
# lpdesk for the window figures is not cached yet), 6 of them the sandbox
# soak; pick sections with -only (sign,overhead,large,window,load,proxy,soak),
# e.g. -only sign,overhead,large,window,load,proxy for everything but the
# soak.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
export LANG="${LANG:-en_US.UTF-8}"

# jq, xmllint, GNU time (peak RSS), node and npm where missing.
scripts/deps.sh --bench
echo "bench: installing the Node peer (bench/node)" >&2
(cd bench/node && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

mkdir -p bench/out/bin
go build -o bench/out/bin/benchtable ./bench/cmd/benchtable
exec bench/out/bin/benchtable -root . -out bench/out "$@"
