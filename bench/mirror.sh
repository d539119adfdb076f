#!/bin/sh
# bench/mirror.sh: the cost of the second location. A first backup of
# SIZE_MIB of random 4 MiB "photos" with no mirror, a folder mirror and an
# S3 mirror (versitygw on loopback), wall time and peak RSS, median of RUNS.
#
#   bench/mirror.sh [-n RUNS] [-s SIZE_MIB]
#
# Needs GNU time as /usr/bin/time and a versitygw binary in
# $LIFEBOAT_VERSITYGW or on PATH (.ci/run builds one into
# ~/.cache/lifeboat-ci/bin); without one the S3 row is skipped.
set -eu
runs=3 size=200
while getopts n:s: o; do
  case $o in n) runs=$OPTARG ;; s) size=$OPTARG ;; *) exit 2 ;; esac
done
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/lifeboat-mirror.XXXXXX)
trap 'kill $gw 2>/dev/null || true; rm -rf "$work"' EXIT
gw=
(cd "$here" && go build -o "$work/lifeboat" .)
lb="$work/lifeboat"
mkdir -p "$work/src/DCIM"
i=0
while [ $i -lt $((size / 4)) ]; do
  head -c 4194304 /dev/urandom >"$work/src/DCIM/IMG_$i.jpg"; i=$((i + 1))
done
userhome=$HOME
export HOME="$work/home"
mkdir -p "$HOME"

vgw=${LIFEBOAT_VERSITYGW:-$(command -v versitygw || true)}
[ -n "$vgw" ] || vgw="$userhome/.cache/lifeboat-ci/bin/versitygw"
if [ -n "$vgw" ] && [ -x "$vgw" ]; then
  mkdir -p "$work/s3"
  port=$(( 20000 + $$ % 20000 ))
  "$vgw" --access bench --secret benchsecret1 --port "127.0.0.1:$port" posix "$work/s3" >"$work/vgw.log" 2>&1 &
  gw=$!
  sleep 1
  export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=benchsecret1 AWS_REGION=us-east-1
fi

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

one() { # NAME KIND (none, folder or s3)
  : >"$work/t"; : >"$work/m"
  r=0
  while [ $r -lt "$runs" ]; do
    rm -rf "$work/repo" "$work/mirror" "$HOME"; mkdir -p "$HOME"
    case $2 in
    none) "$lb" init --quiet --repo "$work/repo" ;;
    folder) "$lb" init --quiet --repo "$work/repo" --mirror "$work/mirror" ;;
    s3) "$lb" init --quiet --repo "$work/repo" --mirror "s3+http://127.0.0.1:$port/bench$r-$$" ;;
    esac
    sync
    # init wrote the config (repository and mirror) into the fresh HOME.
    /usr/bin/time -f '%e %M' -o "$work/tm" "$lb" backup --quiet "$work/src"
    awk '{print $1}' "$work/tm" >>"$work/t"; awk '{print $2}' "$work/tm" >>"$work/m"
    r=$((r + 1))
  done
  printf '| %s | %s s | %s MB |\n' "$1" "$(median <"$work/t")" "$(( $(median <"$work/m") / 1024 ))"
}

echo "| mirror | wall | peak RSS |"
echo "| --- | --- | --- |"
one none none
one "a folder (same disk)" folder
if [ -n "$gw" ]; then one "S3, versitygw on loopback" s3; else echo "(no versitygw: S3 row skipped)" >&2; fi
