#!/usr/bin/env bash
# proxy-load.sh [proxyload flags…]: bounded loopback load test of
# `lpdesk proxy`. Starts a sandbox on a loopback port and, in alternating
# rounds, drives it with 20 concurrent clients for 10 s per side: direct
# signed calls (apiclient → sandbox) and unsigned calls through the signing
# proxy (plain HTTP → proxy → sandbox). Prints per-round rates on stderr and
# one line on stdout:
#   proxy throughput: direct N req/s, via proxy M req/s, ratio R (target ≥ 0.8): met|NOT met
# Also printed (stderr): CPU per request on each side and their ratio, a
# ratio that other jobs on the machine distort far less than req/s.
# Flags: -clients N, -duration D (per side), -rounds N, -latency D (added to
# every sandbox answer, standing in for a network round trip), -paths a,b,c,
# -unix (a third side: clients of the proxy on a Unix socket; one more line),
# -json FILE (the results for scripts), -cpuprofile FILE (a profile whose
# samples `go tool pprof -tags` splits by part: sandbox, proxy, clients).
# Exits 1 only when requests fail; a missed target is reported, not an error.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Built, not `go run`, so the compiler is not competing for the CPU the
# figures measure.
go build -o "$tmp/proxyload" ./proxy/internal/proxyload
"$tmp/proxyload" "$@"
