#!/usr/bin/env bash
# bench/android.sh - lifeboat's Android source against `adb pull` of the
# same tree, both through the real adb server to the fake phone
# (internal/fakeadb/cmd/fakephone). See bench/README.md.
#
# Progress goes to stderr, the Markdown report to stdout:
#   bench/android.sh > report.md
set -euo pipefail
export LC_ALL=C

usage() {
	cat <<'EOF'
usage: bench/android.sh [-n RUNS] [-r RERUNS] [-s SIZE_MIB] [-f FILES] [-k] [WORKDIR]

  -n RUNS     runs of `adb pull` and of lifeboat's first backup (default 3)
  -r RERUNS   runs of lifeboat's unchanged re-run (default 5)
  -s SIZE_MIB photos on the big phone, in MiB (default 2048)
  -f FILES    small photos on the second phone (default 10000)
  -k          keep the work directory
  WORKDIR     default: mktemp -d /tmp/lifeboat-abench.XXXXXX; needs ~3 x SIZE_MIB
              plus ~0.2 MiB per small photo free

Two fake phones: "big" (SIZE_MIB of 4-6 MiB incompressible photos, 85% under
DCIM/Camera, the rest under Pictures/Screenshots) and "small" (FILES photos of
20-50 KiB, 90% under DCIM/Camera, the rest under Pictures). For each, timed
with /usr/bin/time (wall, user+sys CPU, peak RSS), medians reported:
  adb pull     `adb pull -a /sdcard/DCIM /sdcard/Pictures DEST` (RUNS, fresh DEST)
  first        `lifeboat backup android://SERIAL` into a fresh repository,
               fresh HOME (config, cache) each run (RUNS); runs alternate
               with those of adb pull
  re-run       the same backup again, nothing changed (RERUNS)
The CPU the adb server and the fake phone spend during each command is read
from /proc/PID/stat and reported beside it.
EOF
}

RUNS=3
RERUNS=5
SIZE_MIB=2048
FILES=10000
KEEP=0
WORKDIR=""
while (($# > 0)); do
	case $1 in
	-n | -r | -s | -f)
		[[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]] || { echo "android.sh: $1 wants a positive integer" >&2; exit 2; }
		case $1 in -n) RUNS=$2 ;; -r) RERUNS=$2 ;; -s) SIZE_MIB=$2 ;; -f) FILES=$2 ;; esac
		shift 2
		;;
	-k) KEEP=1; shift ;;
	-h | --help) usage; exit 0 ;;
	-*) echo "android.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
	*)
		[[ -z $WORKDIR ]] || { echo "android.sh: more than one WORKDIR" >&2; exit 2; }
		WORKDIR=$1
		shift
		;;
	esac
done

die() { echo "android.sh: $*" >&2; exit 1; }
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

for tool in go adb diff awk sort ss; do
	command -v "$tool" >/dev/null || die "$tool not found in PATH"
done
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) not found: apt-get install -y time"

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd -P)

if [[ -z $WORKDIR ]]; then WORKDIR=$(mktemp -d /tmp/lifeboat-abench.XXXXXX); else mkdir -p "$WORKDIR"; fi
W=$(cd "$WORKDIR" && pwd -P)
need_mib=$((SIZE_MIB * 3 + FILES / 5 + 128))
avail_mib=$(df -Pm "$W" | awk 'NR==2 {print $4}')
((avail_mib >= need_mib)) || die "need ~${need_mib} MiB free in $W, have ${avail_mib} MiB"

PORT=$((20000 + $$ % 20000))
ADB=(env "HOME=$W/adbhome" adb -P "$PORT")
PHONE_PIDS=()
cleanup() {
	local rc=$? p
	"${ADB[@]}" kill-server >/dev/null 2>&1 || true
	for p in "${PHONE_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	if ((KEEP)); then log "work directory kept: $W"; else rm -rf "${W:?}"; fi
	exit "$rc"
}
trap cleanup EXIT
mkdir -p "$W/logs" "$W/adbhome"
RES=$W/results.tsv
: >"$RES"

# ------------------------------------------------------------- build

log "building lifeboat and fakephone"
(cd "$REPO_ROOT" && go build -o "$W/lifeboat" . && go build -o "$W/fakephone" ./internal/fakeadb/cmd/fakephone) \
	>"$W/logs/build.log" 2>&1 || { cat "$W/logs/build.log" >&2; die "build failed"; }

# ------------------------------------------------------------- data

# photo FILE SIZE: a JPEG magic and incompressible bytes.
photo() { { printf '\377\330\377\341'; head -c $(($2 - 4)) /dev/urandom; } >"$1"; }

log "writing ${SIZE_MIB} MiB of photos (big phone)"
mkdir -p "$W/big/DCIM/Camera" "$W/big/Pictures/Screenshots"
total=$((SIZE_MIB * 1048576)) done_b=0 i=0
while ((done_b < total)); do
	sz=$((4194304 + (i * 7919 * 4099) % 2097152))
	((done_b + sz <= total)) || sz=$((total - done_b))
	if ((done_b < total * 85 / 100)); then d=DCIM/Camera; else d=Pictures/Screenshots; fi
	photo "$(printf '%s/big/%s/IMG_%05d.jpg' "$W" "$d" "$i")" "$sz"
	done_b=$((done_b + sz)) i=$((i + 1))
done
BIG_DESC="$i photos, ${SIZE_MIB} MiB ($(find "$W/big/DCIM" -type f | wc -l) in DCIM/Camera, the rest in Pictures/Screenshots), 4-6 MiB each"

log "writing $FILES small photos (small phone)"
mkdir -p "$W/small/DCIM/Camera" "$W/small/Pictures"
for ((i = 0; i < FILES; i++)); do
	if ((i < FILES * 9 / 10)); then d=DCIM/Camera; else d=Pictures; fi
	photo "$(printf '%s/small/%s/IMG_%05d.jpg' "$W" "$d" "$i")" $((20480 + (i * 7919) % 30720))
done
SMALL_DESC="$FILES photos, $(($(du -sb "$W/small" | awk '{print $1}') / 1048576)) MiB, 20-50 KiB each (90% in DCIM/Camera, the rest in Pictures)"

# Photos a day old: a file modified in the second of a backup is read
# again by the next one (its mtime cannot tell a later edit apart).
find "$W/big" "$W/small" -type f -exec touch -d '-1 day' {} +

# ------------------------------------------------------------- phones

declare -A SERIAL=() PHONE_PID=()
for ph in big small; do
	"$W/fakephone" -root "$W/$ph" >"$W/$ph.addr" 2>"$W/logs/fakephone-$ph.log" &
	PHONE_PID[$ph]=$!
	PHONE_PIDS+=($!)
	for _ in $(seq 50); do [[ -s $W/$ph.addr ]] && break; sleep 0.1; done
	SERIAL[$ph]=$(head -n 1 "$W/$ph.addr")
	[[ ${SERIAL[$ph]} == 127.0.0.1:* ]] || die "fakephone $ph did not start: $(cat "$W/logs/fakephone-$ph.log")"
	"${ADB[@]}" connect "${SERIAL[$ph]}" >>"$W/logs/adb.log" 2>&1
done
sleep 1
"${ADB[@]}" devices >"$W/logs/devices.txt"
for ph in big small; do
	grep -q "^${SERIAL[$ph]}[[:space:]]*device" "$W/logs/devices.txt" || die "adb does not list ${SERIAL[$ph]} as a device: $(cat "$W/logs/devices.txt")"
done
ADB_PID=$(ss -ltnpH "sport = :$PORT" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n 1)
[[ -n $ADB_PID ]] || die "cannot find the adb server listening on $PORT"
TCK=$(getconf CLK_TCK)
# cpu PID: user+sys clock ticks so far.
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# ------------------------------------------------------------- timing

# timed PHONE CASE LOG CMD...: appends "phone case wall cpu rss adbcpu phonecpu" to $RES.
timed() {
	local ph=$1 c=$2 logf=$3 rc=0
	shift 3
	sync
	local a0 p0 a1 p1 wall user sys rss
	a0=$(cpu "$ADB_PID") p0=$(cpu "${PHONE_PID[$ph]}")
	/usr/bin/time -f '%e %U %S %M' -o "$W/time.out" "$@" >"$logf" 2>&1 || rc=$?
	a1=$(cpu "$ADB_PID") p1=$(cpu "${PHONE_PID[$ph]}")
	((rc == 0)) || { tail -n 20 "$logf" >&2; die "$ph/$c failed (exit $rc); log $logf"; }
	read -r wall user sys rss < <(tail -n 1 "$W/time.out")
	local line
	line=$(awk -v p="$ph" -v c="$c" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" -v a=$((a1 - a0)) -v f=$((p1 - p0)) -v t="$TCK" \
		'BEGIN {printf "%s\t%s\t%s\t%.2f\t%s\t%.2f\t%.2f", p, c, w, u + s, m, a / t, f / t}')
	echo "$line" >>"$RES"
	log "$(awk -F'\t' '{printf "%-5s %-7s wall %7.2fs  cpu %6.2fs  rss %6.1f MiB  adb server cpu %6.2fs  phone cpu %6.2fs", $1, $2, $3, $4, $5 / 1024, $6, $7}' <<<"$line")"
}

LB_ENV=(env -u XDG_CONFIG_HOME -u XDG_CACHE_HOME -u XDG_DATA_HOME -u LIFEBOAT_REPO -u LIFEBOAT_CONFIG
	"HOME=$W/lbhome" "ANDROID_ADB_SERVER_PORT=$PORT")

for ph in big small; do
	s=${SERIAL[$ph]}
	# adb pull and lifeboat's first backup take turns, so that a burst of
	# load on a shared machine falls on both.
	for ((r = 1; r <= RUNS; r++)); do
		rm -rf "$W/pull" "$W/lbhome" "$W/repo"
		mkdir -p "$W/pull"
		timed "$ph" pull "$W/logs/$ph-pull-$r.log" "${ADB[@]}" -s "$s" pull -a /sdcard/DCIM /sdcard/Pictures "$W/pull"
		if ((r == 1)); then
			diff -r -q "$W/$ph" "$W/pull" >"$W/logs/$ph-pull-diff.log" || die "adb pull of $ph differs from the phone's tree: $(head -n 5 "$W/logs/$ph-pull-diff.log")"
		fi
		rm -rf "$W/pull"
		mkdir -p "$W/lbhome"
		"${LB_ENV[@]}" "$W/lifeboat" init --repo "$W/repo" >"$W/logs/$ph-init-$r.log" 2>&1 || die "lifeboat init failed: $(tail -n 5 "$W/logs/$ph-init-$r.log")"
		timed "$ph" first "$W/logs/$ph-first-$r.log" "${LB_ENV[@]}" "$W/lifeboat" backup --repo "$W/repo" "android://$s"
	done
	# The last repository: restore it (untimed) and compare with the phone.
	rm -rf "$W/restore"
	"${LB_ENV[@]}" "$W/lifeboat" restore latest --repo "$W/repo" --to "$W/restore" >"$W/logs/$ph-restore.log" 2>&1 ||
		die "lifeboat restore failed: $(tail -n 5 "$W/logs/$ph-restore.log")"
	for d in DCIM Pictures; do
		diff -r -q "$W/$ph/$d" "$W/restore/$d" >"$W/logs/$ph-restore-diff.log" || die "lifeboat's snapshot of $ph differs from the phone: $(head -n 5 "$W/logs/$ph-restore-diff.log")"
	done
	rm -rf "$W/restore"
	log "$ph: adb pull and lifeboat's restore are identical to the phone's tree"

	for ((r = 1; r <= RERUNS; r++)); do
		timed "$ph" rerun "$W/logs/$ph-rerun-$r.log" "${LB_ENV[@]}" "$W/lifeboat" backup --repo "$W/repo" "android://$s"
		grep -q ', 0 B read,' "$W/logs/$ph-rerun-$r.log" || die "the unchanged re-run of $ph read file content: $(grep ' read' "$W/logs/$ph-rerun-$r.log")"
	done
	rm -rf "$W/repo" "$W/lbhome"
done

# ------------------------------------------------------------- report

median() {
	sort -g | awk '{a[NR] = $1} END {
		if (NR == 0) exit
		if (NR % 2) { print a[(NR + 1) / 2]; exit }
		printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
# metric PHONE CASE COLUMN(3 wall, 4 cpu, 5 rss KiB, 6 adb cpu, 7 phone cpu)
metric() { awk -F'\t' -v p="$1" -v c="$2" -v k="$3" '$1==p && $2==c {print $k}' "$RES" | median; }
ratio() { awk -v n="$1" -v d="$2" 'BEGIN {if (d > 0) printf "%.2fx", n / d; else print "n/a"}'; }
sec() { awk -v v="$1" 'BEGIN {printf "%.2f s", v}'; }
mib() { awk -v v="$1" 'BEGIN {printf "%.1f MiB", v / 1024}'; }
mbs() { awk -v b="$1" -v s="$2" 'BEGIN {if (s > 0) printf "%.0f MB/s", b / s / 1e6; else print "n/a"}'; }

cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
echo "## Android phone over adb: median of $RUNS (first backup, adb pull) and $RERUNS (re-run)"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), host: $(uname -sr), $(nproc) CPU(s) ${cpu_model:+($cpu_model)}, $(awk '/^MemTotal/ {printf "%.1f GiB RAM", $2 / 1048576}' /proc/meminfo)"
echo "- load average at the end: $(awk '{print $1, $2, $3}' /proc/loadavg)"
echo "- lifeboat $(git -C "$REPO_ROOT" describe --always --dirty 2>/dev/null || echo '?'), $(go version | awk '{print $3}'); $(adb version | head -n 1)"
echo "- big phone: $BIG_DESC"
echo "- small phone: $SMALL_DESC"
echo "- page cache: not dropped (the machine is shared); the fake phone reads its files from the host's page cache, so the phone's side is as fast as it can be and the link and the tools are what is measured"
echo
echo "| Phone | Command | wall | CPU (user+sys) | peak RSS | adb server CPU | fake phone CPU |"
echo "|---|---|---:|---:|---:|---:|---:|"
big_bytes=$((SIZE_MIB * 1048576))
for ph in big small; do
	for c in pull first rerun; do
		case $c in pull) name='`adb pull -a`' ;; first) name='lifeboat first backup' ;; rerun) name='lifeboat unchanged re-run' ;; esac
		w=$(metric $ph $c 3)
		extra=""
		if [[ $ph == big && $c != rerun ]]; then extra=" ($(mbs $big_bytes "$w"))"; fi
		printf '| %s | %s | %s%s | %s | %s | %s | %s |\n' "$ph" "$name" "$(sec "$w")" "$extra" "$(sec "$(metric $ph $c 4)")" \
			"$(mib "$(metric $ph $c 5)")" "$(sec "$(metric $ph $c 6)")" "$(sec "$(metric $ph $c 7)")"
	done
done
echo
echo "Ratios lifeboat first backup / adb pull (target: wall at most 1.20x), and the unchanged re-run (target with 10,000 photos: under 1 s):"
echo
echo "| Phone | wall | CPU | peak RSS | unchanged re-run wall |"
echo "|---|---:|---:|---:|---:|"
for ph in big small; do
	printf '| %s | %s | %s | %s | %s |\n' "$ph" \
		"$(ratio "$(metric $ph first 3)" "$(metric $ph pull 3)")" \
		"$(ratio "$(metric $ph first 4)" "$(metric $ph pull 4)")" \
		"$(ratio "$(metric $ph first 5)" "$(metric $ph pull 5)")" \
		"$(sec "$(metric $ph rerun 3)")"
done
log "done"
