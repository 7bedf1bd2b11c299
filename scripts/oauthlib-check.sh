#!/usr/bin/env bash
# Interoperability check: builds lpdesk, starts `lpdesk sandbox` on a free
# port, and runs scripts/oauthlib_flow.py (Debian's python3-oauthlib, an
# OAuth 1.0a client that is not ours) against it. Exits with the script's
# status.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"

py=/usr/bin/python3 # Debian's: pyenv's python3 on PATH lacks oauthlib
if ! "$py" -c 'import oauthlib' 2>/dev/null; then
  echo "oauthlib-check: python3-oauthlib is missing (apt-get install -y python3-oauthlib)" >&2
  exit 1
fi

tmp=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

go build -o "$tmp/lpdesk" .
"$tmp/lpdesk" sandbox --addr 127.0.0.1:0 --seed 50 --quiet >"$tmp/out" 2>"$tmp/err" &
pid=$!

url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's/^ *Base URL: *\(http[^ ]*\).*/\1/p' "$tmp/out" | head -n1)
  [ -n "$url" ] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "oauthlib-check: lpdesk sandbox exited early:" >&2
    cat "$tmp/err" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "oauthlib-check: lpdesk sandbox printed no base URL" >&2
  cat "$tmp/out" "$tmp/err" >&2
  exit 1
fi

status=0
"$py" scripts/oauthlib_flow.py "$url" || status=$?
exit "$status"
