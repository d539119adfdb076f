#!/usr/bin/env bash
# bench/run.sh - run lifeboat and restic side by side on the same generated
# data and print a Markdown table of medians and ratios. See bench/README.md.
#
# Progress goes to stderr, the Markdown report to stdout:
#   bench/run.sh -n 3 -s 1024 > report.md
set -euo pipefail
export LC_ALL=C

usage() {
	cat <<'EOF'
usage: bench/run.sh [-n RUNS] [-s SIZE_MIB] [-f FILES] [-k] [--restic-only] [WORKDIR]

  -n RUNS         runs per case; the median is reported (default 3)
  -s SIZE_MIB     total size of the generated photos in MiB (default 1024)
  -f FILES        number of small files for case 5 (default 100000)
  -k              keep the work directory (repositories, data, logs)
  --restic-only   skip lifeboat entirely (its cells read "skipped")
  -h, --help      show this help
  WORKDIR         where data, repositories and restores go (default: a new
                  mktemp directory under /tmp); needs ~4.2 x SIZE_MIB free
                  (case 5: ~5 KiB and ~1.5 inodes per small file)

Cases, each timed with /usr/bin/time (wall, user+sys CPU, peak RSS):
  1. first backup into a fresh repository
  2. unchanged re-run (second backup of the same data)
  3. backup after "gendata mutate" (+5% photos, 100 contacts edited)
  4. restore of the latest snapshot into an empty directory (then verified)
  5. unchanged re-run over FILES small files (first backup untimed, into
     separate fresh repositories)
EOF
}

RUNS=3
SIZE_MIB=1024
FILES=100000
KEEP=0
RESTIC_ONLY=0
WORKDIR=""
while (($# > 0)); do
	case $1 in
	-n)
		[[ $# -ge 2 ]] || { usage >&2; exit 2; }
		RUNS=$2
		shift 2
		;;
	-s)
		[[ $# -ge 2 ]] || { usage >&2; exit 2; }
		SIZE_MIB=$2
		shift 2
		;;
	-f)
		[[ $# -ge 2 ]] || { usage >&2; exit 2; }
		FILES=$2
		shift 2
		;;
	-k) KEEP=1; shift ;;
	--restic-only) RESTIC_ONLY=1; shift ;;
	-h | --help) usage; exit 0 ;;
	--) shift; break ;;
	-*) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
	*)
		[[ -z $WORKDIR ]] || { echo "run.sh: more than one WORKDIR" >&2; exit 2; }
		WORKDIR=$1
		shift
		;;
	esac
done
if (($# > 0)); then
	[[ -z $WORKDIR && $# -eq 1 ]] || { usage >&2; exit 2; }
	WORKDIR=$1
fi
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: -n wants a positive integer" >&2; exit 2; }
[[ $SIZE_MIB =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: -s wants a positive integer (MiB)" >&2; exit 2; }
[[ $FILES =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: -f wants a positive integer (files)" >&2; exit 2; }

die() {
	echo "run.sh: $*" >&2
	exit 1
}
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

for tool in go restic diff find du awk sort; do
	command -v "$tool" >/dev/null || die "$tool not found in PATH"
done
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) not found: apt-get install -y time"

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd -P)

# ------------------------------------------------------------- work dir

CREATED_WORKDIR=0
if [[ -z $WORKDIR ]]; then
	WORKDIR=$(mktemp -d /tmp/lifeboat-bench.XXXXXX)
	CREATED_WORKDIR=1
else
	mkdir -p "$WORKDIR"
fi
W=$(cd "$WORKDIR" && pwd -P)
KEEP_ON_EXIT=$KEEP

# Everything this script creates inside W (removed on exit unless kept).
OWN_PATHS=(data restic-repo cache-restic lb-repo lb-config lb-cache lb-data restic-small lb-small
	restore-restic restore-lifeboat logs results.tsv sizes.tsv time.out lifeboat gendata)

cleanup() {
	local rc=$?
	if ((KEEP_ON_EXIT)); then
		log "work directory kept: $W"
	elif ((CREATED_WORKDIR)); then
		rm -rf "${W:?}"
	else
		local p
		for p in "${OWN_PATHS[@]}"; do rm -rf "${W:?}/$p"; done
		rmdir "$W" 2>/dev/null || true
	fi
	exit "$rc"
}
trap cleanup EXIT

for p in "${OWN_PATHS[@]}"; do rm -rf "${W:?}/$p"; done
mkdir -p "$W/logs"
DATA=$W/data/photos
SMALL=$W/data/small
RES=$W/results.tsv
SIZES=$W/sizes.tsv
: >"$RES"
: >"$SIZES"

if ((RESTIC_ONLY)); then TOOLS=(restic); FACTOR=32; else TOOLS=(restic lifeboat); FACTOR=42; fi
# The photos (data and repositories) are deleted before case 5, so the peak is
# the larger of the two phases. A small file takes a 4 KiB block (plus slack).
need_mib=$((SIZE_MIB * FACTOR / 10 + 64))
small_need_mib=$((FILES * 5 / 1024 + 64))
((small_need_mib <= need_mib)) || need_mib=$small_need_mib
avail_mib=$(df -Pm "$W" | awk 'NR==2 {print $4}')
((avail_mib >= need_mib)) || die "need ~${need_mib} MiB free in $W, have ${avail_mib} MiB (lower -s/-f or pass another WORKDIR)"
# Inodes: the small files and their folders, with room to spare for the repositories.
# Some filesystems (btrfs) report no inode limit (0 total); skip the check there.
read -r inodes_total inodes_free < <(df -Pi "$W" | awk 'NR==2 {print $2, $4}')
if [[ $inodes_total =~ ^[0-9]+$ && $inodes_free =~ ^[0-9]+$ ]] && ((inodes_total > 0 && inodes_free < FILES * 3 / 2 + 10000)); then
	die "need ~$((FILES * 3 / 2 + 10000)) free inodes in $W, have $inodes_free (lower -f or pass another WORKDIR)"
fi

# Page cache: drop it before every timed command when we can.
DROP_CACHES=0
if [[ -w /proc/sys/vm/drop_caches ]] && { sync && echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null; then
	DROP_CACHES=1
fi
prepare_timed() {
	sync
	if ((DROP_CACHES)); then echo 3 >/proc/sys/vm/drop_caches; fi
}

# ------------------------------------------------------------- build

log "building gendata"
(cd "$REPO_ROOT" && go build -o "$W/gendata" ./bench/gendata) >"$W/logs/build-gendata.log" 2>&1 ||
	{ cat "$W/logs/build-gendata.log" >&2; die "cannot build bench/gendata"; }

declare -A BROKEN=()    # tool -> reason; the tool's remaining steps in this run are FAILED
declare -A DISABLED=()  # tool -> reason; for the whole benchmark
NOTES=()

if ((!RESTIC_ONLY)); then
	log "building lifeboat (go build -o $W/lifeboat .)"
	if ! (cd "$REPO_ROOT" && go build -o "$W/lifeboat" .) >"$W/logs/build-lifeboat.log" 2>&1; then
		DISABLED[lifeboat]="build failed"
		NOTES+=("lifeboat: FAILED to build: $(tail -n 3 "$W/logs/build-lifeboat.log" | tr '\n|' ' /')")
		log "lifeboat: FAILED to build (see $W/logs/build-lifeboat.log); its cells will read FAILED"
	fi
fi

RESTIC_ENV=(env -u RESTIC_PASSWORD_FILE -u RESTIC_PASSWORD_COMMAND -u RESTIC_CACHE_DIR
	RESTIC_PASSWORD=bench "RESTIC_REPOSITORY=$W/restic-repo" "XDG_CACHE_HOME=$W/cache-restic")
# Case 5: same environment and cache, its own repository.
RESTIC_SMALL_ENV=("${RESTIC_ENV[@]}" "RESTIC_REPOSITORY=$W/restic-small")
LB_ENV=(env "XDG_CONFIG_HOME=$W/lb-config" "XDG_CACHE_HOME=$W/lb-cache" "XDG_DATA_HOME=$W/lb-data")

# argv TOOL ACTION [TARGET]: sets ARGV to the command line.
argv() {
	case $1/$2 in
	restic/init) ARGV=("${RESTIC_ENV[@]}" restic init -q) ;;
	restic/backup) ARGV=("${RESTIC_ENV[@]}" restic backup -q "$DATA") ;;
	restic/init-small) ARGV=("${RESTIC_SMALL_ENV[@]}" restic init -q) ;;
	restic/backup-small) ARGV=("${RESTIC_SMALL_ENV[@]}" restic backup -q "$SMALL") ;;
	restic/restore) ARGV=("${RESTIC_ENV[@]}" restic restore latest --target "$3" -q) ;;
	lifeboat/init) ARGV=("${LB_ENV[@]}" "$W/lifeboat" init --repo "$W/lb-repo") ;;
	lifeboat/backup) ARGV=("${LB_ENV[@]}" "$W/lifeboat" backup --repo "$W/lb-repo" --quiet "$DATA") ;;
	lifeboat/init-small) ARGV=("${LB_ENV[@]}" "$W/lifeboat" init --repo "$W/lb-small") ;;
	lifeboat/backup-small) ARGV=("${LB_ENV[@]}" "$W/lifeboat" backup --repo "$W/lb-small" --quiet "$SMALL") ;;
	lifeboat/restore) ARGV=("${LB_ENV[@]}" "$W/lifeboat" restore latest --repo "$W/lb-repo" --to "$3") ;;
	*) die "internal: argv $*" ;;
	esac
}

# repo_dir TOOL [small]: the photos repository, or the case 5 one.
repo_dir() {
	case $1/${2:-} in
	restic/) echo "$W/restic-repo" ;;
	lifeboat/) echo "$W/lb-repo" ;;
	restic/small) echo "$W/restic-small" ;;
	lifeboat/small) echo "$W/lb-small" ;;
	*) die "internal: repo_dir $*" ;;
	esac
}
cache_dirs() {
	if [[ $1 == restic ]]; then echo "$W/cache-restic"; else printf '%s\n' "$W/lb-cache" "$W/lb-data"; fi
}

# reset_tool TOOL: delete both its repositories and its cache/state.
reset_tool() {
	rm -rf "$(repo_dir "$1")" "$(repo_dir "$1" small)"
	local d
	while read -r d; do rm -rf "${d:?}"; done < <(cache_dirs "$1")
	if [[ $1 == lifeboat ]]; then rm -rf "${W:?}/lb-config"; fi
}

# tool_failed TOOL RUN WHAT LOG RC: restic failures are fatal, lifeboat ones are recorded.
tool_failed() {
	local tool=$1 run=$2 what=$3 logf=$4 rc=$5
	if [[ $tool == restic ]]; then
		tail -n 20 "$logf" >&2 || true
		KEEP_ON_EXIT=1
		die "restic failed (exit $rc) in run $run: $what; log: $logf"
	fi
	BROKEN[$tool]="$what"
	NOTES+=("$tool: FAILED in run $run at \"$what\" (exit $rc): $(tail -n 3 "$logf" | tr '\n|' ' /')")
	log "$tool: FAILED at \"$what\" (exit $rc), skipping its remaining steps in run $run; log: $logf"
}

usable() { [[ -z ${DISABLED[$1]:-} && -z ${BROKEN[$1]:-} ]]; }

# untimed TOOL RUN ACTION
untimed() {
	local tool=$1 run=$2 action=$3 rc=0
	usable "$tool" || return 0
	local logf=$W/logs/run$run-$tool-$action.log
	argv "$tool" "$action"
	"${ARGV[@]}" >"$logf" 2>&1 || rc=$?
	((rc == 0)) || tool_failed "$tool" "$run" "$action" "$logf" "$rc"
}

CASE_NAMES=([1]="first backup" [2]="unchanged re-run" [3]="backup after mutate" [4]="restore latest"
	[5]="unchanged re-run, $FILES small files")

# timed TOOL RUN CASE ACTION [TARGET]: appends "run tool case wall user sys rss" to $RES.
timed() {
	local tool=$1 run=$2 c=$3 action=$4 target=${5:-} rc=0
	if [[ -n ${DISABLED[$tool]:-} || -n ${BROKEN[$tool]:-} ]]; then
		printf '%s\t%s\t%s\tFAILED\n' "$run" "$tool" "$c" >>"$RES"
		return 1
	fi
	local logf=$W/logs/run$run-$tool-case$c.log
	argv "$tool" "$action" "$target"
	prepare_timed
	rm -f "$W/time.out"
	/usr/bin/time -f '%e %U %S %M' -o "$W/time.out" "${ARGV[@]}" >"$logf" 2>&1 || rc=$?
	if ((rc != 0)); then
		printf '%s\t%s\t%s\tFAILED\n' "$run" "$tool" "$c" >>"$RES"
		tool_failed "$tool" "$run" "case $c: ${CASE_NAMES[$c]}" "$logf" "$rc"
		return 1
	fi
	local wall user sys rss
	read -r wall user sys rss < <(tail -n 1 "$W/time.out") || true
	[[ -n ${rss:-} ]] || die "could not parse /usr/bin/time output: $(cat "$W/time.out")"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$tool" "$c" "$wall" "$user" "$sys" "$rss" >>"$RES"
	log "$(printf 'run %d/%d  %-8s  case %d %-20s wall %7.2fs  cpu %7.2fs  rss %7.1f MiB' \
		"$run" "$RUNS" "$tool" "$c" "${CASE_NAMES[$c]}" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}')" \
		"$(awk -v k="$rss" 'BEGIN{print k/1024}')")"
}

# record_size TOOL RUN STAGE [small]: appends "run tool stage bytes files" to $SIZES.
dir_bytes() { if [[ -e $1 ]]; then du -sb "$1" | awk '{print $1}'; else echo 0; fi; }
dir_files() { if [[ -e $1 ]]; then find "$1" -type f | wc -l; else echo 0; fi; }
record_size() {
	local tool=$1 run=$2 stage=$3
	usable "$tool" || return 0
	local repo
	repo=$(repo_dir "$tool" "${4:-}")
	printf '%s\t%s\t%s\t%s\t%s\n' "$run" "$tool" "$stage" "$(dir_bytes "$repo")" "$(dir_files "$repo")" >>"$SIZES"
}
record_cache_size() {
	local tool=$1 run=$2 bytes=0 files=0 d
	usable "$tool" || return 0
	while read -r d; do
		bytes=$((bytes + $(dir_bytes "$d")))
		files=$((files + $(dir_files "$d")))
	done < <(cache_dirs "$tool")
	printf '%s\t%s\tcache\t%s\t%s\n' "$run" "$tool" "$bytes" "$files" >>"$SIZES"
}
# last_size TOOL RUN STAGE -> bytes
last_size() { awk -F'\t' -v r="$2" -v t="$1" -v s="$3" '$1==r && $2==t && $3==s {b=$4} END {print b+0}' "$SIZES"; }

# verify TOOL RUN DIR: restored tree must equal $DATA (outside the timed region).
verify() {
	local tool=$1 run=$2 dir=$3 f root
	usable "$tool" || return 0
	f=$(find "$dir" -type f -path '*/Contacts/contacts.vcf' -print -quit)
	if [[ -z $f ]]; then
		KEEP_ON_EXIT=1
		die "VERIFY FAILED: $tool restore in run $run produced no photos/Contacts/contacts.vcf under $dir"
	fi
	root=${f%/Contacts/contacts.vcf}
	if ! diff -r -q "$DATA" "$root" >"$W/logs/run$run-$tool-verify.log" 2>&1; then
		echo "==================== RESTORE MISMATCH ($tool, run $run) ====================" >&2
		head -n 20 "$W/logs/run$run-$tool-verify.log" >&2
		echo "=============================================================================" >&2
		KEEP_ON_EXIT=1
		die "VERIFY FAILED: $tool restored data differs from the source ($DATA vs $root)"
	fi
	log "run $run/$RUNS  $tool  restore verified: identical to source ($(dir_files "$root") files)"
}

# ------------------------------------------------------------- runs

for ((run = 1; run <= RUNS; run++)); do
	BROKEN=()
	# Alternate which tool goes first, so neither always gets the same position.
	if ((run % 2 == 1)); then ORDER=("${TOOLS[@]}"); else
		ORDER=()
		for ((i = ${#TOOLS[@]} - 1; i >= 0; i--)); do ORDER+=("${TOOLS[i]}"); done
	fi

	log "run $run/$RUNS: generating ${SIZE_MIB} MiB of data"
	"$W/gendata" gen -size "$SIZE_MIB" "$W/data" >"$W/logs/run$run-gendata.log" 2>&1 ||
		{ cat "$W/logs/run$run-gendata.log" >&2; die "gendata gen failed"; }
	if ((run == 1)); then
		DATA_BEFORE="$(dir_files "$DATA") files, $(($(dir_bytes "$DATA") / 1048576)) MiB"
	fi

	for tool in "${ORDER[@]}"; do
		reset_tool "$tool"
		untimed "$tool" "$run" init
		timed "$tool" "$run" 1 backup || true
		record_size "$tool" "$run" c1
		timed "$tool" "$run" 2 backup || true
		record_size "$tool" "$run" c2
	done

	"$W/gendata" mutate "$W/data" >"$W/logs/run$run-mutate.log" 2>&1 ||
		{ cat "$W/logs/run$run-mutate.log" >&2; die "gendata mutate failed"; }
	if ((run == 1)); then
		DATA_AFTER="$(dir_files "$DATA") files, $(($(dir_bytes "$DATA") / 1048576)) MiB"
		MUTATE_MSG=$(sed 's/^gendata: //; s/ in .*$//' "$W/logs/run$run-mutate.log")
	fi

	for tool in "${ORDER[@]}"; do
		timed "$tool" "$run" 3 backup || true
		record_size "$tool" "$run" c3
		if usable "$tool"; then
			printf '%s\t%s\tgrowth3\t%s\t0\n' "$run" "$tool" \
				$(($(last_size "$tool" "$run" c3) - $(last_size "$tool" "$run" c2))) >>"$SIZES"
			printf '%s\t%s\tgrowth2\t%s\t0\n' "$run" "$tool" \
				$(($(last_size "$tool" "$run" c2) - $(last_size "$tool" "$run" c1))) >>"$SIZES"
		fi
		record_cache_size "$tool" "$run"
	done

	for tool in "${ORDER[@]}"; do
		target=$W/restore-$tool
		rm -rf "$target"
		mkdir -p "$target"
		if timed "$tool" "$run" 4 restore "$target"; then
			verify "$tool" "$run" "$target"
		fi
		rm -rf "$target"
	done

	# Case 5: many small files, nothing changed. The photos and their
	# repositories are no longer needed; delete them to free disk and start
	# case 5 with empty caches. It has its own repositories, so a failure in
	# cases 1-4 does not skip it.
	for tool in "${TOOLS[@]}"; do reset_tool "$tool"; done
	rm -rf "${W:?}/data/photos" "${SMALL:?}"
	BROKEN=()
	log "run $run/$RUNS: generating $FILES small files"
	"$W/gendata" small -n "$FILES" "$SMALL" >"$W/logs/run$run-small.log" 2>&1 ||
		{ cat "$W/logs/run$run-small.log" >&2; die "gendata small failed"; }
	if ((run == 1)); then
		SMALL_MSG=$(sed 's/^gendata: //; s| in /.*$||' "$W/logs/run$run-small.log")
	fi
	for tool in "${ORDER[@]}"; do
		untimed "$tool" "$run" init-small
		untimed "$tool" "$run" backup-small
		timed "$tool" "$run" 5 backup-small || true
		record_size "$tool" "$run" c5 small
	done

	for tool in "${TOOLS[@]}"; do reset_tool "$tool"; done
done

# ------------------------------------------------------------- report

# median: numbers on stdin -> median (empty if none)
median() {
	sort -g | awk '{a[NR] = $1} END {
		if (NR == 0) exit
		if (NR % 2) { print a[(NR + 1) / 2]; exit }
		m = sprintf("%.3f", (a[NR / 2] + a[NR / 2 + 1]) / 2); sub(/\.?0+$/, "", m); print m }'
}

# metric TOOL CASE METRIC(wall|cpu|rss) -> median, "FAILED" or "skipped"
metric() {
	local tool=$1 c=$2 metric=$3
	if ((RESTIC_ONLY)) && [[ $tool == lifeboat ]]; then echo skipped; return; fi
	if awk -F'\t' -v t="$tool" -v c="$c" '$2==t && $3==c && $4=="FAILED" {f=1} END {exit !f}' "$RES"; then
		echo FAILED
		return
	fi
	awk -F'\t' -v t="$tool" -v c="$c" -v m="$metric" '$2==t && $3==c {
		if (m == "wall") print $4; else if (m == "cpu") print $5 + $6; else print $7 }' "$RES" | median
}

# size_stat TOOL STAGE FIELD(4=bytes|5=files)
size_stat() {
	local tool=$1 stage=$2 field=$3
	if ((RESTIC_ONLY)) && [[ $tool == lifeboat ]]; then echo skipped; return; fi
	local v
	v=$(awk -F'\t' -v t="$tool" -v s="$stage" -v f="$field" '$2==t && $3==s {print $f}' "$SIZES" | median)
	echo "${v:-FAILED}"
}

isnum() { [[ $1 =~ ^-?[0-9]+(\.[0-9]+)?$ ]]; }
fmtv() { # fmtv VALUE KIND(s|kib|bytes)
	isnum "$1" || { echo "$1"; return; }
	case $2 in
	s) awk -v v="$1" 'BEGIN {printf "%.2f s", v}' ;;
	kib) awk -v v="$1" 'BEGIN {printf "%.1f MiB", v / 1024}' ;;
	bytes) awk -v v="$1" 'BEGIN {a = v < 0 ? -v : v; if (a < 1048576) printf "%.1f KiB", v / 1024; else printf "%.1f MiB", v / 1048576}' ;;
	esac
}
ratio() { # ratio NUM DEN -> "1.23x" or n/a
	if isnum "$1" && isnum "$2" && awk -v d="$2" 'BEGIN {exit !(d > 0)}'; then
		awk -v n="$1" -v d="$2" 'BEGIN {printf "%.2fx", n / d}'
	else
		echo "n/a"
	fi
}

lb_rev=$(git -C "$REPO_ROOT" describe --always --dirty 2>/dev/null || echo "no commit")
cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)

echo "## lifeboat vs restic: ${SIZE_MIB} MiB of photos, median of ${RUNS} run(s)"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), host: $(uname -sr), $(nproc) CPU(s) ${cpu_model:+($cpu_model)}, $(awk '/^MemTotal/ {printf "%.1f GiB RAM", $2 / 1048576}' /proc/meminfo)"
echo "- filesystem of the work dir: $(df -PT "$W" | awk 'NR==2 {print $2}')"
echo "- restic: $(restic version | head -n 1)"
if ((RESTIC_ONLY)); then
	echo "- lifeboat: skipped (--restic-only)"
else
	echo "- lifeboat: $lb_rev, $(go version | awk '{print $3}')"
fi
echo "- data: ${DATA_BEFORE:-?} (photos + 5,000 contacts + 3 calendars); after mutate: ${DATA_AFTER:-?} (${MUTATE_MSG:-?})"
echo "- small files (case 5): ${SMALL_MSG:-$FILES files} (gendata small); first backup untimed, separate fresh repositories"
if ((DROP_CACHES)); then
	echo "- page cache: dropped (sync; echo 3 > /proc/sys/vm/drop_caches) before every timed command"
else
	echo "- page cache: NOT dropped (/proc/sys/vm/drop_caches not writable); runs are warm-cache"
fi
echo "- ratios: time = restic/lifeboat (>1: lifeboat faster); memory = lifeboat/restic (<1: lifeboat smaller)"
echo
echo "| Case | restic wall | lifeboat wall | wall r/l | restic CPU | lifeboat CPU | CPU r/l | restic RSS | lifeboat RSS | RSS l/r |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for c in 1 2 3 4 5; do
	rw=$(metric restic $c wall) lw=$(metric lifeboat $c wall)
	rc=$(metric restic $c cpu) lc=$(metric lifeboat $c cpu)
	rm_=$(metric restic $c rss) lm=$(metric lifeboat $c rss)
	printf '| %d. %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$c" "${CASE_NAMES[$c]}" \
		"$(fmtv "$rw" s)" "$(fmtv "$lw" s)" "$(ratio "$rw" "$lw")" \
		"$(fmtv "$rc" s)" "$(fmtv "$lc" s)" "$(ratio "$rc" "$lc")" \
		"$(fmtv "$rm_" kib)" "$(fmtv "$lm" kib)" "$(ratio "$lm" "$rm_")"
done
echo
echo "Repository size (du -sb, apparent bytes; files in parentheses):"
echo
echo "| Stage | restic | lifeboat | lifeboat/restic |"
echo "|---|---:|---:|---:|"
size_row() { # size_row LABEL STAGE WITH_FILES
	local rb lb rf lf rcell lcell
	rb=$(size_stat restic "$2" 4) lb=$(size_stat lifeboat "$2" 4)
	rcell=$(fmtv "$rb" bytes) lcell=$(fmtv "$lb" bytes)
	if (($3)); then
		rf=$(size_stat restic "$2" 5) lf=$(size_stat lifeboat "$2" 5)
		isnum "$rf" && rcell="$rcell ($rf)"
		isnum "$lf" && lcell="$lcell ($lf)"
	fi
	printf '| %s | %s | %s | %s |\n' "$1" "$rcell" "$lcell" "$(ratio "$lb" "$rb")"
}
size_row "after 1. first backup" c1 1
size_row "after 2. unchanged re-run" c2 1
size_row "growth in 2." growth2 0
size_row "after 3. backup after mutate" c3 1
size_row "growth in 3." growth3 0
size_row "local cache/state after 3." cache 1
size_row "after 5. (2 snapshots of the small files)" c5 1
if ((${#NOTES[@]} > 0)); then
	echo
	echo "Failures:"
	echo
	for n in "${NOTES[@]}"; do echo "- $n"; done
fi
log "done; logs in $W/logs$( ((KEEP_ON_EXIT)) || echo ' (removed on exit; use -k to keep)')"
