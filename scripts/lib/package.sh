# Sourced by scripts/release.sh, scripts/release-check.sh and
# scripts/wine-test.sh: how each release artifact is built, so that the test
# command checks what a release ships. Bash; run from the repository root;
# the caller defines fail().

module=github.com/lpdesk/lpdesk

# release_version: VERSION from the environment, else FyneApp.toml's
# Version; three numbers, as Debian, Windows' file version and fyne agree on.
release_version() {
	local v=${VERSION:-$(sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\(.*\)"[[:space:]]*$/\1/p' FyneApp.toml | head -n 1)}
	[[ $v =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "version \"$v\" is not MAJOR.MINOR.PATCH (set VERSION or FyneApp.toml's Version)"
	echo "$v"
}

# release_commit: the commit being built, 12 characters, with -dirty when
# tracked files differ from it.
release_commit() {
	local c
	c=$(git rev-parse --short=12 HEAD) || fail "not a git checkout: the release names its commit"
	git diff --quiet HEAD -- || c+=-dirty
	echo "$c"
}

# release_ldflags VERSION COMMIT: stripped (lintian wants no symbols in a
# .deb) and stamped for `lpdesk version`; with RELEASE_CONSUMER_KEY and
# RELEASE_CONSUMER_SECRET, signing as that application instead of the
# sandbox's demo one.
release_ldflags() {
	local f="-s -w -X $module/cli.Version=$1 -X $module/cli/version.Commit=$2"
	if [ -n "${RELEASE_CONSUMER_KEY:-}" ] || [ -n "${RELEASE_CONSUMER_SECRET:-}" ]; then
		[ -n "${RELEASE_CONSUMER_KEY:-}" ] && [ -n "${RELEASE_CONSUMER_SECRET:-}" ] ||
			fail "set both RELEASE_CONSUMER_KEY and RELEASE_CONSUMER_SECRET, or neither"
		[[ "$RELEASE_CONSUMER_KEY$RELEASE_CONSUMER_SECRET" != *[[:space:]\'\"]* ]] ||
			fail "RELEASE_CONSUMER_KEY and RELEASE_CONSUMER_SECRET cannot hold spaces or quotes"
		f+=" -X $module/assets.ConsumerKey=$RELEASE_CONSUMER_KEY -X $module/assets.ConsumerSecret=$RELEASE_CONSUMER_SECRET"
	fi
	echo "$f"
}

# build_linux OUT VERSION COMMIT: the linux/amd64 binary of the archive and
# the .deb (cgo: GLFW, X11, GL).
build_linux() {
	local ldflags
	ldflags=$(release_ldflags "$2" "$3") || exit 1
	GOOS=linux GOARCH=amd64 CGO_ENABLED=1 go build -ldflags "$ldflags" -o "$1" . ||
		fail "go build for linux/amd64 failed"
}

# build_windows OUT VERSION COMMIT: lpdesk.exe cross-compiled with mingw-w64,
# with the icon, a manifest (DPI-aware, common controls 6) and the version
# resource embedded through a .syso from go-winres. A console program on
# purpose: see console_windows.go.
build_windows() {
	local out=$1 version=$2 commit=$3 syso=rsrc_windows_amd64.syso ldflags
	ldflags=$(release_ldflags "$version" "$commit") || exit 1
	[ ! -e "$syso" ] || fail "$syso exists already; remove it (a build that stopped half-way)"
	# The tool runs here: not built for the caller's GOOS, if one is set.
	env -u GOOS -u GOARCH -u CC go run github.com/tc-hib/go-winres@v0.3.3 simply --arch amd64 --out rsrc \
		--icon assets/icon.png --manifest gui \
		--product-name lpdesk --file-description "lpdesk" --copyright "The lpdesk authors" \
		--original-filename lpdesk.exe --product-version "$version" --file-version "$version.0" ||
		fail "go-winres failed"
	local rc=0
	GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc \
		go build -ldflags "$ldflags" -o "$out" . || rc=$?
	rm -f "$syso"
	[ $rc -eq 0 ] || fail "go build for windows/amd64 failed"
}

# make_archive BIN VERSION OUTDIR: lpdesk-VERSION-linux-amd64.tar.xz, fyne's
# layout (usr/local/bin, the icon, the desktop entry, a Makefile whose
# `make install` puts them in place), from the binary BIN.
make_archive() {
	local bin=$1 version=$2 outdir=$3 tmp
	tmp=$(mktemp -d)
	cp "$bin" "$tmp/lpdesk"
	# fyne package bumps Build in FyneApp.toml; the release leaves the tree
	# as it found it.
	cp FyneApp.toml "$tmp/FyneApp.toml"
	local rc=0
	env -u GOOS -u GOARCH -u CC go run fyne.io/tools/cmd/fyne@v1.7.4 package -os linux --exe "$tmp/lpdesk" --name lpdesk \
		--app-version "$version" --release || rc=$?
	cp "$tmp/FyneApp.toml" FyneApp.toml
	rm -rf "$tmp"
	[ $rc -eq 0 ] && [ -f lpdesk.tar.xz ] || fail "fyne package -os linux failed"
	mv lpdesk.tar.xz "$outdir/lpdesk-$version-linux-amd64.tar.xz"
}

# make_deb BIN VERSION OUTDIR: lpdesk_VERSION_amd64.deb with dpkg-deb: the
# binary, icon, desktop entry, AppStream metainfo, bash completion and the
# Debian docs; Depends computed by dpkg-shlibdeps from what BIN links.
make_deb() {
	local bin=$1 version=$2 outdir=$3 tmp pkg doc date deps size
	tmp=$(mktemp -d)
	pkg=$tmp/lpdesk
	doc=$pkg/usr/share/doc/lpdesk
	# Dates from the commit, so that a rebuild of the same commit is the same.
	export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
	date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)

	install -D -m 0755 "$bin" "$pkg/usr/bin/lpdesk"
	install -D -m 0644 packaging/linux/io.lpdesk.app.desktop "$pkg/usr/share/applications/io.lpdesk.app.desktop"
	install -D -m 0644 assets/icon.png "$pkg/usr/share/icons/hicolor/256x256/apps/io.lpdesk.app.png"
	mkdir -p "$pkg/usr/share/metainfo" "$pkg/usr/share/bash-completion/completions" "$doc"
	sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$date/" packaging/linux/io.lpdesk.app.metainfo.xml.in \
		>"$pkg/usr/share/metainfo/io.lpdesk.app.metainfo.xml"
	"$bin" completion bash >"$pkg/usr/share/bash-completion/completions/lpdesk" ||
		fail "lpdesk completion bash failed"
	{
		cat packaging/linux/copyright
		echo " ."
		go version -m "$bin" | awk '$1 == "dep" { print " " $2 " " $3 }'
	} >"$doc/copyright"
	printf 'lpdesk (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- %s  %s\n' \
		"$version" "$version" "$(deb_maintainer)" "$(date -u -R -d "@$SOURCE_DATE_EPOCH")" |
		gzip -9n >"$doc/changelog.gz"
	chmod 0644 "$doc/copyright" "$doc/changelog.gz" "$pkg/usr/share/metainfo/io.lpdesk.app.metainfo.xml" \
		"$pkg/usr/share/bash-completion/completions/lpdesk"
	find "$pkg" -type d -exec chmod 0755 {} +

	# dpkg-shlibdeps reads the package name from a debian/control.
	mkdir -p "$tmp/debian"
	printf 'Source: lpdesk\n\nPackage: lpdesk\nArchitecture: amd64\n' >"$tmp/debian/control"
	deps=$(cd "$tmp" && dpkg-shlibdeps -O -e lpdesk/usr/bin/lpdesk 2>"$tmp/shlibdeps.log" |
		sed -n 's/^shlibs:Depends=//p') || true
	[ -n "$deps" ] || fail "dpkg-shlibdeps found no dependencies: $(cat "$tmp/shlibdeps.log")"
	rm -rf "$tmp/debian"
	size=$(du -sk --apparent-size "$pkg/usr" | cut -f1)

	mkdir -p "$pkg/DEBIAN"
	cat >"$pkg/DEBIAN/control" <<-EOF
	Package: lpdesk
	Version: $version
	Architecture: amd64
	Maintainer: $(deb_maintainer)
	Installed-Size: $size
	Depends: $deps
	Recommends: gnome-keyring | keepassxc, xdg-utils
	Section: net
	Priority: optional
	Homepage: https://github.com/lpdesk/lpdesk
	Description: desktop client for a LivePerson-style REST platform
	 lpdesk browses and edits a LivePerson-style account's resources (the
	 legacy v=1 REST API: chat availability, chat requests, agent sessions,
	 skills, users), every request signed with OAuth 1.0a.
	 .
	 An account administrator authorizes it once; the access-token secret is
	 kept in the desktop's Secret Service keyring (GNOME Keyring or KeePassXC),
	 never in a file. The same program has a command line (lpdesk auth,
	 lpdesk api) and a local sandbox server that stands in for the platform
	 (lpdesk demo).
	EOF
	(cd "$pkg" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$pkg/DEBIAN/md5sums"
	chmod 0644 "$pkg/DEBIAN/control" "$pkg/DEBIAN/md5sums"
	dpkg-deb --root-owner-group -Zxz --build "$pkg" "$outdir/lpdesk_${version}_amd64.deb" >/dev/null ||
		fail "dpkg-deb failed"
	rm -rf "$tmp"
}

# deb_maintainer: the Maintainer field; DEB_MAINTAINER overrides it.
deb_maintainer() {
	echo "${DEB_MAINTAINER:-The lpdesk authors <lpdesk@lpdesk.io>}"
}

# make_setup EXE VERSION OUTDIR: lpdesk-VERSION-windows-amd64-setup.exe with
# NSIS (packaging/windows/lpdesk.nsi).
make_setup() {
	local exe=$1 version=$2 outdir=$3 tmp
	tmp=$(mktemp -d)
	convert assets/icon.png -define icon:auto-resize=256,64,48,32,16 "$tmp/lpdesk.ico" ||
		fail "ImageMagick could not make lpdesk.ico"
	makensis -V2 -DVERSION="$version" -DFILEVERSION="$version.0" -DEXE="$(realpath "$exe")" \
		-DICON="$tmp/lpdesk.ico" -DOUTFILE="$(realpath "$outdir")/lpdesk-$version-windows-amd64-setup.exe" \
		packaging/windows/lpdesk.nsi >"$tmp/makensis.log" 2>&1 ||
		fail "makensis failed: $(cat "$tmp/makensis.log")"
	rm -rf "$tmp"
}
