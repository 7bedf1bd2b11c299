#!/usr/bin/env bash
# release-check.sh: checks the .deb as a user's machine would see it. With
# --dist DIR, the release in DIR (and its SHA256SUMS); without, a .deb built
# here the way scripts/release.sh builds it (the test command's case: the
# cgo build is the one the tests already compiled). Checks: unpacked into a
# throwaway root with dpkg-deb -x, `lpdesk version` runs from it and names
# the version and commit; desktop-file-validate and appstreamcli validate
# pass; lintian reports no errors (its warnings are listed).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
[ "${LPDESK_SKIP_DEPS:-}" = 1 ] || scripts/deps.sh --release

fail() { echo "release-check: $*" >&2; exit 1; }
. scripts/lib/package.sh

version=$(release_version)
commit=$(release_commit)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "${1:-}" = --dist ]; then
	dist=${2:?release-check: --dist DIR}
	(cd "$dist" && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match $dist"
	for f in lpdesk-"$version"-linux-amd64.tar.xz lpdesk-"$version"-windows-amd64.exe lpdesk-"$version"-windows-amd64-setup.exe; do
		[ -s "$dist/$f" ] || fail "$dist/$f is missing"
	done
	tar -tJf "$dist/lpdesk-$version-linux-amd64.tar.xz" | grep -q 'usr/local/bin/lpdesk$' ||
		fail "the archive has no usr/local/bin/lpdesk"
else
	dist=$work
	build_linux "$work/lpdesk" "$version" "$commit"
	make_deb "$work/lpdesk" "$version" "$dist"
fi
deb=$dist/lpdesk_${version}_amd64.deb
[ -s "$deb" ] || fail "$deb is missing"

root=$work/root
dpkg-deb -x "$deb" "$root"
want="lpdesk $version (commit $commit)"
got=$("$root/usr/bin/lpdesk" version) || fail "lpdesk version failed in the unpacked .deb"
[ "$got" = "$want" ] || fail "lpdesk version from the .deb says \"$got\", want \"$want\""
echo "release-check: $got (from the unpacked .deb)" >&2
echo "release-check: Depends: $(dpkg-deb -f "$deb" Depends)" >&2
for lib in libgl1 libx11-6 libc6; do
	dpkg-deb -f "$deb" Depends | grep -q "\b$lib\b" || fail "Depends lacks $lib"
done

desktop-file-validate "$root/usr/share/applications/io.lpdesk.app.desktop" ||
	fail "desktop-file-validate"
appstreamcli validate --no-net "$root/usr/share/metainfo/io.lpdesk.app.metainfo.xml" >"$work/appstream.log" 2>&1 ||
	fail "appstreamcli validate: $(cat "$work/appstream.log")"
echo "release-check: desktop-file-validate and appstreamcli validate: ok" >&2

# lintian refuses nothing as root but says so on stderr.
lintian --allow-root --tag-display-limit 0 "$deb" >"$work/lintian.log" 2>&1 || true
if grep -q '^E: ' "$work/lintian.log"; then
	cat "$work/lintian.log" >&2
	fail "lintian reports errors"
fi
if grep -q '^W: ' "$work/lintian.log"; then
	echo "release-check: lintian warnings (no errors):" >&2
	grep '^W: ' "$work/lintian.log" >&2
else
	echo "release-check: lintian: no errors, no warnings" >&2
fi
