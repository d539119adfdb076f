#!/usr/bin/env bash
# bench/serve.sh - the server-side speed of `lifeboat serve` on the
# generated 5,000-contact, 20,000-photo repository. See bench/README.md.
#
# Progress goes to stderr, the Markdown report to stdout:
#   bench/serve.sh > serve-report.md
set -euo pipefail
export LC_ALL=C

usage() {
	cat <<'EOF2'
usage: bench/serve.sh [-n PHOTOS] [-r RUNS] [-k] [--drop-caches] [WORKDIR]

  -n PHOTOS       camera photos in the data set (default 20000)
  -r RUNS         runs of each measure; medians are reported (default 5)
  -k              keep the work directory (data, repository, logs)
  --drop-caches   drop the page cache before each cold step (root; affects
                  the whole machine)
  WORKDIR         default: a new mktemp directory under /tmp

Builds the data set with `gendata serve` (small camera JPEGs with EXIF
dates and thumbnails, 5,000 contacts, 3 calendars), backs it up into a
fresh repository, then runs bench/servebench on it: the photo grid's data
cold and warm, a page of thumbnails cold and warm, the contacts' data cold
and warm, and peak RSS.
EOF2
}

PHOTOS=20000
RUNS=5
KEEP=0
DROP=()
WORKDIR=""
while (($# > 0)); do
	case $1 in
	-n) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; PHOTOS=$2; shift 2 ;;
	-r) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; RUNS=$2; shift 2 ;;
	-k) KEEP=1; shift ;;
	--drop-caches) DROP=(-drop-caches); shift ;;
	-h | --help) usage; exit 0 ;;
	-*) echo "serve.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
	*) [[ -z $WORKDIR ]] || { echo "serve.sh: more than one WORKDIR" >&2; exit 2; }; WORKDIR=$1; shift ;;
	esac
done
[[ $PHOTOS =~ ^[1-9][0-9]*$ ]] || { echo "serve.sh: -n wants a positive integer" >&2; exit 2; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "serve.sh: -r wants a positive integer" >&2; exit 2; }

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { echo "serve.sh: $*" >&2; exit 1; }
command -v go >/dev/null || die "go not found in PATH"
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) not found: apt-get install -y time"

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd -P)
CREATED=0
if [[ -z $WORKDIR ]]; then
	WORKDIR=$(mktemp -d /tmp/lifeboat-serve-bench.XXXXXX)
	CREATED=1
else
	mkdir -p "$WORKDIR"
fi
W=$(cd "$WORKDIR" && pwd -P)
OWN=(data lb-repo lb-config lb-cache lb-data logs lifeboat gendata servebench)
cleanup() {
	local rc=$?
	if ((KEEP)); then
		log "work directory kept: $W"
	elif ((CREATED)); then
		rm -rf "${W:?}"
	else
		local p
		for p in "${OWN[@]}"; do rm -rf "${W:?}/$p"; done
	fi
	exit "$rc"
}
trap cleanup EXIT
for p in "${OWN[@]}"; do rm -rf "${W:?}/$p"; done
mkdir -p "$W/logs"

# ~8 KiB a photo, in the data and again in the repository.
need_mib=$((PHOTOS * 20 / 1024 + 64))
avail_mib=$(df -Pm "$W" | awk 'NR==2 {print $4}')
((avail_mib >= need_mib)) || die "need ~${need_mib} MiB free in $W, have ${avail_mib} MiB"

log "building lifeboat, gendata and servebench"
for t in lifeboat:. gendata:./bench/gendata servebench:./bench/servebench; do
	(cd "$REPO_ROOT" && go build -o "$W/${t%%:*}" "${t#*:}") >"$W/logs/build-${t%%:*}.log" 2>&1 ||
		{ cat "$W/logs/build-${t%%:*}.log" >&2; die "cannot build ${t#*:}"; }
done

LB_ENV=(env "XDG_CONFIG_HOME=$W/lb-config" "XDG_CACHE_HOME=$W/lb-cache" "XDG_DATA_HOME=$W/lb-data")

log "writing $PHOTOS photos, 5,000 contacts, 3 calendars (gendata serve)"
start=$(date +%s.%N)
"$W/gendata" serve -n "$PHOTOS" "$W/data" >&2
gen_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')

log "lifeboat init and backup"
"${LB_ENV[@]}" "$W/lifeboat" init --repo "$W/lb-repo" >"$W/logs/init.log" 2>&1 || { cat "$W/logs/init.log" >&2; die "init failed"; }
/usr/bin/time -o "$W/logs/backup.time" -f '%e %M' "${LB_ENV[@]}" "$W/lifeboat" backup --repo "$W/lb-repo" --quiet "$W/data/photos" \
	>"$W/logs/backup.log" 2>&1 || { cat "$W/logs/backup.log" >&2; die "backup failed"; }
read -r backup_s backup_kib <"$W/logs/backup.time"
repo_mib=$(du -sm "$W/lb-repo" | awk '{print $1}')

log "servebench, $RUNS runs"
/usr/bin/time -o "$W/logs/servebench.time" -f '%e %M' "${LB_ENV[@]}" "$W/servebench" -repo "$W/lb-repo" -runs "$RUNS" "${DROP[@]}" \
	>"$W/logs/servebench.md" 2> >(tee "$W/logs/servebench.log" >&2) || die "servebench failed (see $W/logs/servebench.log)"
read -r sb_s sb_kib <"$W/logs/servebench.time"

echo "## lifeboat serve, server-side times ($PHOTOS photos, 5,000 contacts)"
echo
echo "data set: gendata serve ${gen_s} s; backup ${backup_s} s, peak RSS $((backup_kib / 1024)) MiB; repository ${repo_mib} MiB"
echo
cat "$W/logs/servebench.md"
echo
echo "servebench process: ${sb_s} s wall for all runs, peak RSS $((sb_kib / 1024)) MiB (GNU time %M)"
