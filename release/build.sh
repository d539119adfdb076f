#!/bin/sh
# Release build: static lifeboat binaries for the computers a recovery
# kit may meet ("on any computer with lifeboat"), with no Go needed there.
#
#   release/build.sh [-o DIR] [VERSION]
#
# VERSION defaults to 'git describe --tags --always --dirty'. Each binary
# is DIR/lifeboat-VERSION-OS-ARCH (.exe on Windows), built with
# CGO_ENABLED=0 (no libc needed), -trimpath and the version stamped with
# -ldflags; DIR/SHA256SUMS lists them. LIFEBOAT_RELEASE_TARGETS overrides
# the targets (space-separated OS/ARCH pairs).
set -eu

out=dist
if [ "${1:-}" = "-o" ]; then
	out=$2
	shift 2
fi
cd "$(dirname "$0")/.."
version=${1:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
targets=${LIFEBOAT_RELEASE_TARGETS:-"linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64"}

mkdir -p "$out"
for t in $targets; do
	os=${t%/*}
	arch=${t#*/}
	bin=$out/lifeboat-$version-$os-$arch
	[ "$os" = windows ] && bin=$bin.exe
	echo "build $bin" >&2
	CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -buildvcs=false \
		-ldflags "-s -w -X main.version=$version" -o "$bin" .
done
(cd "$out" && sha256sum lifeboat-"$version"-* > SHA256SUMS)
echo "wrote $(echo $targets | wc -w) binaries and SHA256SUMS to $out" >&2
