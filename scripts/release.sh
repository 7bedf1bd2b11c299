#!/usr/bin/env bash
# release.sh: builds lpdesk's release into dist/ (DIST overrides), stamped
# with the version (FyneApp.toml's Version, or VERSION=x.y.z) and the git
# commit, which `lpdesk version` prints:
#   lpdesk-VERSION-linux-amd64.tar.xz         fyne package's archive
#   lpdesk_VERSION_amd64.deb                  for Debian and Ubuntu
#   lpdesk-VERSION-windows-amd64.exe          the program (mingw-w64)
#   lpdesk-VERSION-windows-amd64-setup.exe    its installer (NSIS)
#   SHA256SUMS
# then checks the .deb (scripts/release-check.sh). Installs what it needs
# first (scripts/deps.sh --release).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
[ "${LPDESK_SKIP_DEPS:-}" = 1 ] || scripts/deps.sh --release

fail() { echo "release: $*" >&2; exit 1; }
step() { printf '\n== %s\n' "$*" >&2; }
. scripts/lib/package.sh

version=$(release_version)
commit=$(release_commit)
dist=${DIST:-dist}
mkdir -p "$dist"
rm -f "$dist"/lpdesk-*-linux-amd64.tar.xz "$dist"/lpdesk_*_amd64.deb "$dist"/lpdesk-*-windows-amd64*.exe "$dist/SHA256SUMS"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "release: lpdesk $version, commit $commit, into $dist/" >&2

step "linux/amd64"
build_linux "$work/lpdesk" "$version" "$commit"
make_archive "$work/lpdesk" "$version" "$dist"
make_deb "$work/lpdesk" "$version" "$dist"

step "windows/amd64"
build_windows "$dist/lpdesk-$version-windows-amd64.exe" "$version" "$commit"
make_setup "$dist/lpdesk-$version-windows-amd64.exe" "$version" "$dist"

(cd "$dist" && sha256sum lpdesk-"$version"-linux-amd64.tar.xz lpdesk_"$version"_amd64.deb \
	lpdesk-"$version"-windows-amd64.exe lpdesk-"$version"-windows-amd64-setup.exe >SHA256SUMS)

step "checks"
LPDESK_SKIP_DEPS=1 scripts/release-check.sh --dist "$dist"
ls -l "$dist" >&2
