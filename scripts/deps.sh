#!/usr/bin/env bash
# Installs what building and testing lpdesk needs on Debian/Ubuntu, skipping
# what is already there, so it is safe to run again. Needs root (or sudo).
set -euo pipefail

pkgs=(
  # Fyne's cgo build (GLFW, OpenGL, X11)
  gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
  libxinerama-dev libxi-dev libxxf86vm-dev
  # real-window, keyring and interoperability tests
  xvfb xauth xdotool imagemagick gnome-keyring dbus-user-session
  libsecret-tools python3 python3-oauthlib ca-certificates git
)
if [ "${1:-}" = "--bench" ]; then pkgs+=(jq libxml2-utils nodejs npm); fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "deps: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then
    export PATH="/usr/local/go/bin:$PATH"
  else
    echo "deps: Go 1.26 or newer is required (https://go.dev/doc/install); it is not on PATH" >&2
    exit 1
  fi
fi
cd "$(dirname "$0")/.."
go mod download
