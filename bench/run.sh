#!/usr/bin/env bash
# bench/run.sh - run lifeboat and its peers (restic from the Go module proxy
# and Debian's, kopia, borg) side by side on the same generated data and
# print a Markdown report of medians and ratios lifeboat/peer. See
# bench/README.md. Progress goes to stderr, the report to stdout:
#   bench/run.sh -n 3 > report.md
set -euo pipefail
export LC_ALL=C

usage() {
	cat <<'EOF2'
usage: bench/run.sh [-n RUNS] [-s SIZE_MIB] [-f FILES] [-F FILES] [-v VIDEO_MIB] [-K KEYS]
                    [-t TOOLS] [-c GROUPS] [-k] [--restic-only] [--no-install] [--drop-caches] [WORKDIR]

  -n RUNS         runs of every case; medians are reported (default 3)
  -s SIZE_MIB     photos in MiB, beside 5,000 contacts and 3 calendars (default 2048)
  -f FILES        small files of 1-20 KiB, half of them random (default 100000)
  -F FILES        small files of 1-4 KiB, text (default 400000)
  -v VIDEO_MIB    size of the single video (default 4096)
  -K KEYS         repositories (fresh keys) per tool and run for the contact edits (default 5)
  -t TOOLS        comma list from lifeboat,restic,restic-debian,kopia,kopia-zstd,borg
                  (default: all found but kopia-zstd, which is kopia with zstd-fastest)
  -c GROUPS       comma list from photos,small,many,video,contacts (default: all)
  -k              keep the work directory
  --restic-only   the old flag: -t restic,restic-debian
  --no-install    use only peers already built or installed (bench/peers.sh --no-install)
  --drop-caches   as root, drop the page cache before every timed command (default: warm)
  WORKDIR         default: a new mktemp directory under /tmp

Cases (each timed with GNU time: wall, user+sys CPU, peak RSS; bytes read from /proc):
  photos:   p1 first backup, p2 unchanged re-run, p3 after gendata mutate (+5%), p4 restore
  small:    s1 first backup of -f files, s2 unchanged re-run
  many:     m1 first backup of -F files, m2 unchanged re-run
  video:    v1 first backup of one video, v2 after 1 MiB changed in its middle
  contacts: e1 one card edited in one contacts.vcf of 5,000, e2 in 5,000 one-card files
Floors: cat of the data to /dev/null, cp -a of it, and the primitives' CPU for its bytes.
EOF2
}

RUNS=3 SIZE_MIB=2048 FILES=100000 FILES2=400000 VIDEO_MIB=4096 KEYS=5
TOOLS_ARG="" GROUPS_ARG="photos,small,many,video,contacts" KEEP=0 INSTALL=1 DROP=0 WORKDIR=""
need() { [[ $2 -ge 2 ]] || { usage >&2; exit 2; }; }
while (($# > 0)); do
	case $1 in
	-n) need "$1" $#; RUNS=$2; shift 2 ;;
	-s) need "$1" $#; SIZE_MIB=$2; shift 2 ;;
	-f) need "$1" $#; FILES=$2; shift 2 ;;
	-F) need "$1" $#; FILES2=$2; shift 2 ;;
	-v) need "$1" $#; VIDEO_MIB=$2; shift 2 ;;
	-K) need "$1" $#; KEYS=$2; shift 2 ;;
	-t) need "$1" $#; TOOLS_ARG=$2; shift 2 ;;
	-c) need "$1" $#; GROUPS_ARG=$2; shift 2 ;;
	-k) KEEP=1; shift ;;
	--restic-only) TOOLS_ARG=restic,restic-debian; shift ;;
	--no-install) INSTALL=0; shift ;;
	--drop-caches) DROP=1; shift ;;
	-h | --help) usage; exit 0 ;;
	-*) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
	*) [[ -z $WORKDIR ]] || { echo "run.sh: more than one WORKDIR" >&2; exit 2; }; WORKDIR=$1; shift ;;
	esac
done
for v in RUNS SIZE_MIB FILES FILES2 VIDEO_MIB KEYS; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: $v wants a positive integer" >&2; exit 2; }
done

die() { echo "run.sh: $*" >&2; exit 1; }
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
for t in go diff find du awk sort jq; do command -v "$t" >/dev/null || die "$t not found in PATH"; done
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) not found: apt-get install -y time"

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd -P)
# shellcheck source=bench/tools.sh
. "$SCRIPT_DIR/tools.sh"

CREATED=0
if [[ -z $WORKDIR ]]; then WORKDIR=$(mktemp -d /tmp/lifeboat-bench.XXXXXX); CREATED=1; else mkdir -p "$WORKDIR"; fi
W=$(cd "$WORKDIR" && pwd -P)
KEEP_ON_EXIT=$KEEP
cleanup() {
	if ((KEEP_ON_EXIT)); then log "work directory kept: $W"; return; fi
	rm -rf "${W:?}/t" "${W:?}/data" "${W:?}/restore" "${W:?}"/restore-* "${W:?}/cp-floor" "${W:?}/logs" "${W:?}"/*.tsv "${W:?}/time.out" "${W:?}/io.out" "${W:?}/bin"
	((CREATED)) && rmdir "$W" 2>/dev/null || true
}
trap cleanup EXIT
mkdir -p "$W/logs" "$W/bin" "$W/t"
RES=$W/results.tsv SIZES=$W/sizes.tsv
: >"$RES"
: >"$SIZES"

# ------------------------------------------------------------- tools

declare -A PEER_BIN=() PEER_VER=() PEER_HOW=()
log "finding the peers (bench/peers.sh; the first time builds restic and kopia)"
peer_flags=()
((INSTALL)) || peer_flags=(--no-install)
while IFS=$'\t' read -r name path ver how; do
	PEER_BIN[$name]=$path PEER_VER[$name]=$ver PEER_HOW[$name]=$how
done < <("$SCRIPT_DIR/peers.sh" "${peer_flags[@]}")
# kopia-zstd (only when asked for with -t) is the same kopia binary with
# compression on; see tools.sh.
PEER_BIN[kopia-zstd]=${PEER_BIN[kopia]:--} PEER_VER[kopia-zstd]=${PEER_VER[kopia]:-} PEER_HOW[kopia-zstd]=${PEER_HOW[kopia]:-}

log "building lifeboat, gendata and primbench"
# The commit built, for the report (the tree may move on while the run lasts).
LIFEBOAT_REV=$(git -C "$REPO_ROOT" describe --always --dirty 2>/dev/null || echo '?')
LIFEBOAT=$W/bin/lifeboat
(cd "$REPO_ROOT" && go build -o "$LIFEBOAT" . && go build -o "$W/bin/gendata" ./bench/gendata &&
	go build -o "$W/bin/primbench" ./bench/primbench) >"$W/logs/build.log" 2>&1 ||
	{ cat "$W/logs/build.log" >&2; die "build failed"; }
GENDATA=$W/bin/gendata

TOOLS=()
for t in ${TOOLS_ARG//,/ }; do TOOLS+=("$t"); done
if ((${#TOOLS[@]} == 0)); then
	TOOLS=(lifeboat)
	for t in restic restic-debian kopia borg; do [[ ${PEER_BIN[$t]:--} != - ]] && TOOLS+=("$t"); done
fi
for t in "${TOOLS[@]}"; do
	case $t in
	lifeboat) ;;
	restic | restic-debian | kopia | kopia-zstd | borg)
		[[ ${PEER_BIN[$t]:--} != - ]] || die "$t is not available: ${PEER_HOW[$t]:-unknown}" ;;
	*) die "unknown tool $t" ;;
	esac
done
declare -A GROUP=()
for g in ${GROUPS_ARG//,/ }; do
	case $g in photos | small | many | video | contacts) GROUP[$g]=1 ;; *) die "unknown group $g" ;; esac
done

# Disk: the data and every tool's repository of it at once, plus the cp
# floor; the photos also every tool's restore.
need_mib=$((VIDEO_MIB * (${#TOOLS[@]} + 3) * 11 / 10))
photos_mib=$((SIZE_MIB * (2 * ${#TOOLS[@]} + 3) * 11 / 10))
((photos_mib <= need_mib)) || need_mib=$photos_mib
small_mib=$((FILES2 * 5 * (${#TOOLS[@]} + 3) / 1024))
((small_mib <= need_mib)) || need_mib=$small_mib
free_mib=$(df -Pm "$W" | awk 'NR==2 {print $4}')
((free_mib >= need_mib)) || die "need about $need_mib MiB free in $W, have $free_mib"

# ------------------------------------------------------------- timing

# prepare_timed TOOL: before a timed command, write back what earlier
# commands left dirty and take the other tools' repositories and restores
# out of the page cache (posix_fadvise DONTNEED), so that memory is free
# and the command neither pays for another tool's writeback nor reclaims
# its pages itself. Without it the last tool of a run, with its peers'
# repositories filling the page cache, paid the kernel's direct reclaim:
# lifeboat's first backup of the photos took 7.5 s of system time last in
# a run, 2.0 s first. The data being backed up stays cached (warm).
prepare_timed() {
	if ((DROP)); then sync; echo 3 >/proc/sys/vm/drop_caches || die "cannot drop caches (not root?)"; return; fi
	sync
	python3 - "$W" "$1" <<'EOF2'
import os, sys
w, tool = sys.argv[1], sys.argv[2]
tops = [os.path.join(w, "t", d) for d in os.listdir(os.path.join(w, "t")) if not d.startswith(tool + "-")] if os.path.isdir(os.path.join(w, "t")) else []
tops += [os.path.join(w, d) for d in os.listdir(w) if d.startswith("restore-") and d != "restore-" + tool]
for top in tops:
    for root, _, files in os.walk(top):
        for f in files:
            try:
                fd = os.open(os.path.join(root, f), os.O_RDONLY | os.O_NOFOLLOW)
            except OSError:
                continue
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
EOF2
}
declare -A BROKEN=()
NOTES=()
CHECKS=0
usable() { [[ -z ${BROKEN[$1]:-} ]]; }

# run_timed RUN TOOL CASE CMD...: time CMD, append "run tool case wall user sys rss rchar".
# The wrapper shell prints its own /proc/self/io after waiting for CMD, which
# counts the bytes its reaped children read (rchar: read(2) calls, page cache included).
run_timed() {
	local run=$1 tool=$2 c=$3 rc=0
	shift 3
	local logf=$W/logs/run$run-$tool-$c.log
	prepare_timed "$tool"
	rm -f "$W/time.out" "$W/io.out"
	IO_OUT=$W/io.out /usr/bin/time -f '%e %U %S %M' -o "$W/time.out" \
		sh -c '"$@"; rc=$?; grep "^rchar" /proc/$$/io >"$IO_OUT"; exit $rc' sh "$@" >"$logf" 2>&1 || rc=$?
	if ((rc != 0)); then
		printf '%s\t%s\t%s\tFAILED\n' "$run" "$tool" "$c" >>"$RES"
		BROKEN[$tool]=$c
		NOTES+=("$tool: FAILED in run $run at $c (exit $rc): $(tail -n 3 "$logf" | tr '\n|' ' /')")
		log "$tool: FAILED at $c (exit $rc), its next steps in this group are skipped; log: $logf"
		return 1
	fi
	local wall user sys rss rchar
	read -r wall user sys rss < <(tail -n 1 "$W/time.out") || true
	rchar=$(awk '{print $2}' "$W/io.out" 2>/dev/null || echo 0)
	[[ -n ${rss:-} ]] || die "could not parse GNU time output: $(cat "$W/time.out")"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$tool" "$c" "$wall" "$user" "$sys" "$rss" "${rchar:-0}" >>"$RES"
	log "$(printf 'run %d/%d %-13s %-3s wall %7.2fs cpu %7.2fs rss %7.1f MiB read %8.1f MiB' "$run" "$RUNS" "$tool" "$c" \
		"$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}')" "$(awk -v k="$rss" 'BEGIN{print k/1024}')" \
		"$(awk -v b="${rchar:-0}" 'BEGIN{print b/1048576}')")"
}

# step RUN TOOL SLOT CASE ACTION [ARG]: the tool's action, timed as CASE
# ("-" = untimed); then, for lifeboat after a backup, check --read-data.
step() {
	local run=$1 tool=$2 slot=$3 c=$4 action=$5 arg=${6:-} rc=0
	if ! usable "$tool"; then
		[[ $c == - ]] || printf '%s\t%s\t%s\tFAILED\n' "$run" "$tool" "$c" >>"$RES"
		return 1
	fi
	tool_argv "$tool" "$slot" "$action" "$arg"
	if [[ $c == - ]]; then
		local logf=$W/logs/run$run-$tool-$slot-$action.log
		"${ARGV[@]}" >"$logf" 2>&1 || rc=$?
		if ((rc != 0)); then
			BROKEN[$tool]="$slot $action"
			NOTES+=("$tool: FAILED in run $run at $slot $action (exit $rc): $(tail -n 3 "$logf" | tr '\n|' ' /')")
			log "$tool: FAILED at $slot $action (exit $rc); log: $logf"
			return 1
		fi
	else
		run_timed "$run" "$tool" "$c" "${ARGV[@]}" || return 1
	fi
	# borg's chunker drops each file it read from the page cache
	# (posix_fadvise DONTNEED): the tool after it would read the data
	# cold. In the run that found it, lifeboat followed borg in runs 2
	# and 3 and its first backup of 400,000 files took 35.2 s (17.8 s of
	# system time) against 13.6 s in run 1.
	if [[ $tool == borg && $action == backup ]]; then
		find "$arg" -type f -print0 | xargs -0 cat >/dev/null
	fi
	if [[ $tool == lifeboat && $action == backup ]]; then
		tool_argv lifeboat "$slot" check
		"${ARGV[@]}" >"$W/logs/run$run-lifeboat-$slot-check.log" 2>&1 || {
			KEEP_ON_EXIT=1
			tail -n 20 "$W/logs/run$run-lifeboat-$slot-check.log" >&2
			die "lifeboat check --read-data FAILED after ${c/-/$slot backup} in run $run (work dir kept)"
		}
		CHECKS=$((CHECKS + 1))
	fi
}

# floors RUN CASE DIR: cat of DIR's files to /dev/null and cp -a of DIR, timed.
floors() {
	local run=$1 c=$2 dir=$3
	run_timed "$run" cat "$c" sh -c 'find "$1" -type f -exec cat {} + >/dev/null' sh "$dir"
	rm -rf "$W/cp-floor"
	run_timed "$run" cp "$c" cp -a "$dir" "$W/cp-floor"
	rm -rf "$W/cp-floor"
}

dir_bytes() { if [[ -e $1 ]]; then du -sb "$1" | awk '{print $1}'; else echo 0; fi; }
dir_files() { if [[ -e $1 ]]; then find "$1" -type f | wc -l; else echo 0; fi; }
# size RUN TOOL SLOT STAGE: append "run tool stage bytes files"; echo bytes.
size() {
	local r
	r=$(slot_dir "$2" "$3")/repo
	local b
	b=$(dir_bytes "$r")
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$4" "$b" "$(dir_files "$r")" >>"$SIZES"
	echo "$b"
}
growth() { printf '%s\t%s\t%s\t%s\t0\n' "$1" "$2" "$3" "$4" >>"$SIZES"; }
fresh() { rm -rf "$(slot_dir "$1" "$2")"; mkdir -p "$(slot_dir "$1" "$2")/home"; }
drop_slots() { rm -rf "${W:?}/t" && mkdir -p "$W/t"; }

# verify TOOL RUN DIR: the restored photos tree equals the source.
verify() {
	local tool=$1 run=$2 dir=$3 f root
	f=$(find "$dir" -type f -path '*/Contacts/contacts.vcf' -print -quit)
	[[ -n $f ]] || { KEEP_ON_EXIT=1; die "VERIFY FAILED: $tool restore in run $run has no Contacts/contacts.vcf under $dir"; }
	root=${f%/Contacts/contacts.vcf}
	if ! diff -r -q "$W/data/photos" "$root" >"$W/logs/run$run-$tool-verify.log" 2>&1; then
		head -n 20 "$W/logs/run$run-$tool-verify.log" >&2
		KEEP_ON_EXIT=1
		die "VERIFY FAILED: $tool restored data differs from the source"
	fi
}

# ------------------------------------------------------------- cases

declare -A BYTES=()   # case -> bytes of data the case processes (for the primitives floor)
declare -A INFO=()    # group -> description of its data

group_photos() {
	local run=$1 t D=$W/data/photos before after
	rm -rf "$W/data"
	"$GENDATA" gen -size "$SIZE_MIB" "$W/data" >"$W/logs/run$run-gendata.log"
	before=$(dir_bytes "$D")
	BYTES[p1]=$before
	INFO[photos]="$(dir_files "$D") files, $((before / 1048576)) MiB"
	floors "$run" p1 "$D"
	for t in "${ORDER[@]}"; do
		fresh "$t" photos
		step "$run" "$t" photos - init || continue
		step "$run" "$t" photos p1 backup "$D" || continue
		size "$run" "$t" photos p1 >/dev/null
		step "$run" "$t" photos p2 backup "$D" || continue
		size "$run" "$t" photos p2 >/dev/null
	done
	"$GENDATA" mutate "$W/data" >"$W/logs/run$run-mutate.log"
	after=$(dir_bytes "$D")
	BYTES[p3]=$((after - before)) BYTES[p4]=$after
	INFO[photos]+="; after mutate $(dir_files "$D") files, $((after / 1048576)) MiB ($(sed 's/^gendata: //; s/ in .*$//' "$W/logs/run$run-mutate.log"))"
	for t in "${ORDER[@]}"; do
		step "$run" "$t" photos p3 backup "$D" || continue
		size "$run" "$t" photos p3 >/dev/null
	done
	# Each tool restores into a folder of its own, all removed only after
	# the last restore: ext4 skips inodes freed in the last seconds when it
	# allocates, so a restore right after the previous tool's restore was
	# deleted would pay for that deletion (and the order would decide).
	for t in "${ORDER[@]}"; do
		mkdir -p "$W/restore-$t"
		step "$run" "$t" photos p4 restore "$W/restore-$t" && verify "$t" "$run" "$W/restore-$t"
	done
	rm -rf "$W"/restore-*
	floors "$run" p4 "$D"
	drop_slots
}

# group_small RUN PREFIX FILES GENDATA-FLAGS...
group_small() {
	local run=$1 p=$2 n=$3 t D=$W/data/small
	shift 3
	rm -rf "$W/data" && mkdir -p "$W/data"
	"$GENDATA" small -n "$n" "$@" "$D" >"$W/logs/run$run-small-$p.log"
	BYTES[${p}1]=$(dir_bytes "$D")
	INFO[$p]=$(sed 's/^gendata: //; s| in /.*$||' "$W/logs/run$run-small-$p.log")
	floors "$run" "${p}1" "$D"
	for t in "${ORDER[@]}"; do
		fresh "$t" "$p"
		step "$run" "$t" "$p" - init || continue
		step "$run" "$t" "$p" "${p}1" backup "$D" || continue
		size "$run" "$t" "$p" "${p}1" >/dev/null
		step "$run" "$t" "$p" "${p}2" backup "$D" || continue
		size "$run" "$t" "$p" "${p}2" >/dev/null
	done
	drop_slots
}

group_video() {
	local run=$1 t D=$W/data/video-set b1 b2
	rm -rf "$W/data" && mkdir -p "$W/data"
	"$GENDATA" video -size "$VIDEO_MIB" "$D" >"$W/logs/run$run-video.log"
	BYTES[v1]=$(dir_bytes "$D")
	INFO[video]="one file of $VIDEO_MIB MiB, then 1 MiB overwritten in place in its middle"
	floors "$run" v1 "$D"
	for t in "${ORDER[@]}"; do
		fresh "$t" video
		step "$run" "$t" video - init || continue
		step "$run" "$t" video v1 backup "$D" || continue
		size "$run" "$t" video v1 >/dev/null
	done
	"$GENDATA" video-edit "$D" >"$W/logs/run$run-video-edit.log"
	for t in "${ORDER[@]}"; do
		step "$run" "$t" video v2 backup "$D" || continue
		b1=$(awk -F'\t' -v r="$run" -v t="$t" '$1==r && $2==t && $3=="v1" {b=$4} END {printf "%.0f\n", b}' "$SIZES")
		b2=$(size "$run" "$t" video v2)
		growth "$run" "$t" gv $((b2 - b1))
	done
	drop_slots
}

# group_contacts RUN: for each layout and key, back up 5,000 cards, edit one, back up again.
group_contacts() {
	local run=$1 t k layout c D b1 b2
	for layout in single split; do
		c=e1 && [[ $layout == split ]] && c=e2
		for ((k = 1; k <= KEYS; k++)); do
			D=$W/data/cards-$layout
			rm -rf "$W/data" && mkdir -p "$W/data"
			if [[ $layout == split ]]; then "$GENDATA" contacts -split "$D"; else "$GENDATA" contacts "$D"; fi
			for t in "${ORDER[@]}"; do
				fresh "$t" "$c-$k"
				step "$run" "$t" "$c-$k" - init && step "$run" "$t" "$c-$k" - backup "$D" || continue
			done
			"$GENDATA" contacts-edit "$D" >"$W/logs/run$run-contacts-edit.log"
			for t in "${ORDER[@]}"; do
				b1=$(dir_bytes "$(slot_dir "$t" "$c-$k")/repo")
				step "$run" "$t" "$c-$k" "$c" backup "$D" || continue
				b2=$(dir_bytes "$(slot_dir "$t" "$c-$k")/repo")
				growth "$run" "$t" "g$c" $((b2 - b1))
			done
			drop_slots
			BROKEN=()
		done
	done
	INFO[contacts]="5,000 vCards (~1.3 MB) as one contacts.vcf (e1) or one file each (e2); card 2,500 gets a new TEL; $KEYS fresh repositories (keys) per tool and run"
}

# ------------------------------------------------------------- runs

log "measuring the primitives (bench/primbench)"
"$W/bin/primbench" -mib 64 -rounds 3 >"$W/prims.tsv"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
for ((run = 1; run <= RUNS; run++)); do
	# Rotate the tool order: each run starts with the next tool.
	ORDER=()
	for ((i = 0; i < ${#TOOLS[@]}; i++)); do ORDER+=("${TOOLS[(i + run - 1) % ${#TOOLS[@]}]}"); done
	log "run $run/$RUNS, order: ${ORDER[*]}"
	# Called outside && lists, so that set -e holds inside the groups.
	for g in photos small many video contacts; do
		[[ -n ${GROUP[$g]:-} ]] || continue
		BROKEN=()
		case $g in
		photos) group_photos "$run" ;;
		small) group_small "$run" s "$FILES" -min 1024 -max 20480 -random 50 ;;
		many) group_small "$run" m "$FILES2" -min 1024 -max 4096 ;;
		video) group_video "$run" ;;
		contacts) group_contacts "$run" ;;
		esac
	done
	rm -rf "$W/data"
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# shellcheck source=bench/report.sh
. "$SCRIPT_DIR/report.sh"
report
log "done; logs in $W/logs$( ((KEEP_ON_EXIT)) || echo ' (removed on exit; use -k to keep)')"
