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
  libsecret-tools python3 python3-oauthlib python3-cryptography python3-jwt ca-certificates git
)
for opt in "$@"; do
  case $opt in
  --bench)
    pkgs+=(jq libxml2-utils time)
    # A Node.js from elsewhere (NodeSource bundles npm) conflicts with
    # Debian's npm package: only install what is not on PATH at all.
    command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
    command -v npm >/dev/null 2>&1 || pkgs+=(npm)
    ;;
  --release)
    # scripts/release.sh: the Windows cross-build (mingw-w64), its installer
    # (NSIS), the .deb and its checks.
    pkgs+=(gcc-mingw-w64-x86-64 nsis dpkg-dev xz-utils lintian appstream
      desktop-file-utils)
    ;;
  --wine)
    # scripts/wine-test.sh: the core packages' Windows tests and the
    # installer under Wine.
    pkgs+=(gcc-mingw-w64-x86-64 wine64 wine nsis curl)
    ;;
  *) echo "deps: unknown option $opt (know --bench, --release, --wine)" >&2; exit 2 ;;
  esac
done

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

# Go: the one on PATH or in /usr/local/go when it is 1.26 or newer; else the
# Go toolchain module fetched through the Go module proxy by Debian's own
# (older) go command, as GOTOOLCHAIN would, unpacked into /usr/local/go.
GO_WANT=1.26.8
goroot_target=${LPDESK_GOROOT_TARGET:-/usr/local/go}
go_ok() {
  local v
  v=$("$1" env GOVERSION 2>/dev/null) || return 1
  v=${v#go}
  local major=${v%%.*} rest=${v#*.}
  local minor=${rest%%.*}
  [ "$major" -gt 1 ] || { [ "$major" -eq 1 ] && [ "${minor%%[!0-9]*}" -ge 26 ]; }
}
if ! { command -v go >/dev/null 2>&1 && go_ok go; } && ! go_ok "$goroot_target/bin/go"; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  boot=$(command -v go || true)
  if [ -z "$boot" ]; then
    echo "deps: installing Debian's golang-go to bootstrap Go $GO_WANT" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends golang-go >/dev/null
    boot=$(command -v go)
  fi
  arch=$(dpkg --print-architecture)
  tmp=$(mktemp -d)
  echo "deps: fetching the Go $GO_WANT toolchain module" >&2
  dir=$(GOFLAGS=-mod=mod GOMODCACHE="$tmp/mod" GOPATH="$tmp/gopath" GOTOOLCHAIN=local \
        "$boot" mod download -json "golang.org/toolchain@v0.0.1-go$GO_WANT.linux-$arch" |
        sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] && [ -d "$dir" ] || { echo "deps: could not fetch the Go toolchain" >&2; exit 1; }
  [ ! -e "$goroot_target" ] || $SUDO mv "$goroot_target" "$goroot_target.old.$$"
  $SUDO cp -r "$dir" "$goroot_target"
  $SUDO chmod -R u+w "$goroot_target"
  # Module zips carry no file modes: make the tools executable again.
  $SUDO chmod +x "$goroot_target"/bin/* "$goroot_target"/pkg/tool/*/*
  chmod -R u+w "$tmp" && rm -rf "$tmp"
  unset GOROOT # the bootstrap's, if any
fi
export PATH="$goroot_target/bin:$PATH"
cd "$(dirname "$0")/.."
go mod download
