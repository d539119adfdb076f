#!/usr/bin/env bash
# bench/peers.sh - build or find the peer tools bench/run.sh compares
# lifeboat with, into a cache folder, and print one line per tool:
#
#   NAME<TAB>PATH<TAB>VERSION<TAB>HOW
#
# NAME is one of restic (RESTIC_VERSION from the Go module proxy), restic-debian
# (Debian's /usr/bin/restic), kopia (KOPIA_VERSION built from the proxy's
# module) and borg (Debian's borgbackup). A tool that cannot be had is
# printed with PATH "-" and the reason in HOW; the script still exits 0.
# Builds are cached: a binary already in the cache is reused.
#
#   bench/peers.sh [--no-install]     (--no-install: no apt-get, no go builds)
#
# Environment: LIFEBOAT_BENCH_BIN (default $HOME/.cache/lifeboat-bench/bin),
# RESTIC_VERSION (default v0.19.1), KOPIA_VERSION (default v0.23.1).
# restic@latest is not the newest: the proxy's version list of
# github.com/restic/restic stops at v0.10.0 (2026-12-02), while an exact
# newer version downloads fine, so the version is named.
set -uo pipefail
export LC_ALL=C

BIN=${LIFEBOAT_BENCH_BIN:-$HOME/.cache/lifeboat-bench/bin}
RESTIC_VERSION=${RESTIC_VERSION:-v0.19.1}
KOPIA_VERSION=${KOPIA_VERSION:-v0.23.1}
INSTALL=1
[[ ${1:-} == --no-install ]] && INSTALL=0
mkdir -p "$BIN" || exit 1
LOG=$BIN/build.log
log() { printf '[peers] %s\n' "$*" >&2; }
line() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4"; }

# ---- restic, from the Go module proxy
restic_proxy() {
	local out=$BIN/restic-$RESTIC_VERSION tmp
	if [[ ! -x $out && $INSTALL == 1 ]]; then
		log "building restic@$RESTIC_VERSION with go install (a few minutes)"
		tmp=$(mktemp -d)
		if ! GOFLAGS=-mod=mod GOBIN=$tmp go install "github.com/restic/restic/cmd/restic@$RESTIC_VERSION" >>"$LOG" 2>&1; then
			rm -rf "$tmp"
			line restic - - "go install restic@$RESTIC_VERSION failed (see $LOG)"
			return
		fi
		mv "$tmp/restic" "$out" && rm -rf "$tmp"
	fi
	if [[ -x $out ]]; then
		line restic "$out" "$("$out" version 2>/dev/null | awk '{print $2}')" "go install github.com/restic/restic/cmd/restic@$RESTIC_VERSION"
	else
		line restic - - "not built (--no-install)"
	fi
}

# ---- restic, Debian's package
restic_debian() {
	if [[ ! -x /usr/bin/restic && $INSTALL == 1 ]]; then
		apt-get install -y -qq restic >>"$LOG" 2>&1 || true
	fi
	if [[ -x /usr/bin/restic ]]; then
		line restic-debian /usr/bin/restic "$(/usr/bin/restic version 2>/dev/null | awk '{print $2}')" "Debian package restic"
	else
		line restic-debian - - "Debian package restic not installed"
	fi
}

# ---- kopia: the proxy refuses its version list, so download the exact
# module version and build it in the module cache.
peer_kopia() {
	local out=$BIN/kopia-$KOPIA_VERSION
	if [[ ! -x $out && $INSTALL == 1 ]]; then
		log "building kopia $KOPIA_VERSION (go mod download + go build, a few minutes)"
		local dir tmp
		tmp=$(mktemp -d)
		dir=$(cd "$tmp" && go mod download -json "github.com/kopia/kopia@$KOPIA_VERSION" 2>>"$LOG" |
			awk -F'"' '/"Dir":/ {print $4}')
		rm -rf "$tmp"
		if [[ -z $dir || ! -d $dir ]]; then
			line kopia - - "go mod download github.com/kopia/kopia@$KOPIA_VERSION failed (see $LOG)"
			return
		fi
		if ! (cd "$dir" && GOFLAGS=-mod=mod go build -trimpath \
			-ldflags "-X github.com/kopia/kopia/repo.BuildVersion=${KOPIA_VERSION#v}" \
			-o "$out" .) >>"$LOG" 2>&1; then
			line kopia - - "go build of kopia $KOPIA_VERSION failed (see $LOG)"
			return
		fi
	fi
	if [[ -x $out ]]; then
		line kopia "$out" "$(KOPIA_CHECK_FOR_UPDATES=false "$out" --version 2>/dev/null | head -n 1 | awk '{print $1}')" \
			"go mod download github.com/kopia/kopia@$KOPIA_VERSION; go build -mod=mod"
	else
		line kopia - - "not built (--no-install)"
	fi
}

# ---- borg, Debian's package
peer_borg() {
	if ! type -P borg >/dev/null && [[ $INSTALL == 1 ]]; then
		log "apt-get install -y borgbackup"
		apt-get install -y -qq borgbackup >>"$LOG" 2>&1 || { apt-get update -qq >>"$LOG" 2>&1 && apt-get install -y -qq borgbackup >>"$LOG" 2>&1; }
	fi
	if type -P borg >/dev/null; then
		line borg "$(type -P borg)" "$(borg --version 2>/dev/null | awk '{print $2}')" "Debian package borgbackup"
	else
		line borg - - "Debian package borgbackup not installed"
	fi
}

restic_proxy
restic_debian
peer_kopia
peer_borg
