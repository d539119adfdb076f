#!/usr/bin/env bash
# bench/ab.sh - lifeboat against an earlier lifeboat: the first backup and
# the unchanged re-run of the photo library and of many small files, each
# revision in turn, medians of RUNS, wall and user+sys CPU and peak RSS.
#   bench/ab.sh [-n RUNS] [-s SIZE_MIB] [-f FILES] OLD_REV [NEW_REV]
# NEW_REV defaults to the work tree. Markdown on stdout, progress on stderr.
set -euo pipefail
export LC_ALL=C
RUNS=3 SIZE_MIB=1024 FILES=100000
while getopts n:s:f: o; do
	case $o in
	n) RUNS=$OPTARG ;;
	s) SIZE_MIB=$OPTARG ;;
	f) FILES=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[[ $# -ge 1 ]] || { echo "usage: bench/ab.sh [-n RUNS] [-s SIZE_MIB] [-f FILES] OLD_REV [NEW_REV]" >&2; exit 2; }
OLD=$1 NEW=${2:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d /tmp/lifeboat-ab.XXXXXX)
trap 'rm -rf "$W"' EXIT
log() { echo "ab: $*" >&2; }

build() { # rev out
	if [[ -z $1 ]]; then
		(cd "$ROOT" && go build -o "$2" .)
	else
		git -C "$ROOT" worktree add -q --detach "$W/src-$1" "$1"
		(cd "$W/src-$1" && go build -o "$2" .)
		git -C "$ROOT" worktree remove --force "$W/src-$1"
	fi
}
log "building $OLD and ${NEW:-the work tree}"
build "$OLD" "$W/old"
build "$NEW" "$W/new"
(cd "$ROOT" && go build -o "$W/gendata" ./bench/gendata)
"$W/gendata" gen -size "$SIZE_MIB" "$W/photos" >/dev/null
"$W/gendata" small -n "$FILES" "$W/small" >/dev/null

# one BIN CASE DATA RUN: a first backup into a fresh repository, then the
# unchanged re-run; appends "bin case wall cpu rss" lines to results.
one() {
	local bin=$1 data=$2 run=$3 home=$W/home-$1-$2-$3
	mkdir -p "$home"
	export HOME=$home XDG_CONFIG_HOME=$home/.config XDG_CACHE_HOME=$home/.cache XDG_STATE_HOME=$home/.state
	"$W/$bin" init --quiet --repo "$home/repo" >/dev/null
	for c in first rerun; do
		/usr/bin/time -f '%e %U %S %M' -o "$W/t" "$W/$bin" backup --quiet --repo "$home/repo" "$W/$data"
		read -r e u s m <"$W/t"
		echo "$bin $data-$c $e $(echo "$u + $s" | bc) $m" >>"$W/results"
	done
	rm -rf "$home"
}
for run in $(seq "$RUNS"); do
	for data in photos small; do
		for bin in old new; do
			log "run $run: $bin $data"
			one "$bin" "$data" "$run"
		done
	done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "| case | old wall s | new wall s | new/old | old CPU s | new CPU s | new/old | old RSS MiB | new RSS MiB |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for c in photos-first photos-rerun small-first small-rerun; do
	row="| $c"
	declare -A v
	for bin in old new; do
		for k in 3 4 5; do
			v[$bin$k]=$(awk -v b="$bin" -v c="$c" -v k="$k" '$1==b && $2==c {print $k}' "$W/results" | median)
		done
	done
	ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (a > 0 ? b / a : 0)}'; }
	echo "$row | ${v[old3]} | ${v[new3]} | $(ratio "${v[old3]}" "${v[new3]}") | ${v[old4]} | ${v[new4]} | $(ratio "${v[old4]}" "${v[new4]}") | $((v[old5] / 1024)) | $((v[new5] / 1024)) |"
done
