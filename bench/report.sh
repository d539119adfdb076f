# bench/report.sh - the Markdown report of bench/run.sh. Sourced, not run.
# Reads $RES (run tool case wall user sys rss rchar), $SIZES (run tool
# stage bytes files), $W/prims.tsv (primitive MB/s) and run.sh's globals.

# median: numbers on stdin -> median (empty if none)
median() {
	sort -g | awk '{a[NR] = $1} END {
		if (NR == 0) exit
		if (NR % 2) { print a[(NR + 1) / 2]; exit }
		printf "%.6g\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# metric TOOL CASE wall|cpu|rss|read -> median, FAILED or empty (not run)
metric() {
	if awk -F'\t' -v t="$1" -v c="$2" '$2==t && $3==c && $4=="FAILED" {f=1} END {exit !f}' "$RES"; then
		echo FAILED
		return
	fi
	awk -F'\t' -v t="$1" -v c="$2" -v m="$3" '$2==t && $3==c {
		if (m == "wall") print $4; else if (m == "cpu") print $5 + $6; else if (m == "rss") print $7; else print $8 }' "$RES" | median
}
size_med() { awk -F'\t' -v t="$1" -v s="$2" -v f="${3:-4}" '$2==t && $3==s {print $f}' "$SIZES" | median; }
size_range() { awk -F'\t' -v t="$1" -v s="$2" '$2==t && $3==s {print $4}' "$SIZES" | sort -g | awk 'NR==1 {lo=$1} {hi=$1} END {if (NR) print lo, hi}'; }

isnum() { [[ $1 =~ ^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$ ]]; }
fmtv() { # fmtv VALUE s|kib|bytes
	isnum "$1" || { echo "${1:--}"; return; }
	case $2 in
	s) awk -v v="$1" 'BEGIN {printf "%.2f s", v}' ;;
	kib) awk -v v="$1" 'BEGIN {printf "%.1f MiB", v / 1024}' ;;
	bytes) awk -v v="$1" 'BEGIN {a = v < 0 ? -v : v
		if (a < 10240) printf "%d B", v; else if (a < 1048576) printf "%.1f KiB", v / 1024
		else if (a < 1073741824) printf "%.1f MiB", v / 1048576; else printf "%.2f GiB", v / 1073741824}' ;;
	esac
}
ratio() { # ratio NUM DEN -> "0.62x" or -
	if isnum "$1" && isnum "$2" && awk -v d="$2" 'BEGIN {exit !(d > 0)}'; then
		awk -v n="$1" -v d="$2" 'BEGIN {printf "%.2fx", n / d}'
	else echo "-"; fi
}
prim() { awk -F'\t' -v n="$1" '$1==n {print $2}' "$W/prims.tsv"; }

# prim_cpu CASE: seconds of one core the primitives need for the case's bytes:
# backup = chunker + keyed BLAKE3 + age encrypt + BLAKE3 of the ciphertext;
# restore = age decrypt + keyed BLAKE3.
prim_cpu() {
	local b=${BYTES[$1]:-}
	[[ -n $b ]] || return 0
	if [[ $1 == p4 ]]; then
		awk -v b="$b" -v d="$(prim age-decrypt)" -v k="$(prim blake3-keyed)" 'BEGIN {printf "%.3f", b / 1e6 * (1/d + 1/k)}'
	else
		awk -v b="$b" -v c="$(prim chunker)" -v k="$(prim blake3-keyed)" -v e="$(prim age-encrypt)" -v h="$(prim blake3)" \
			'BEGIN {printf "%.3f", b / 1e6 * (1/c + 1/k + 1/e + 1/h)}'
	fi
}

declare -A CASE_NAME=([p1]="photos: first backup" [p2]="photos: unchanged re-run" [p3]="photos: after +5%"
	[p4]="photos: restore" [s1]="$FILES files 1-20 KiB: first backup" [s2]="$FILES files 1-20 KiB: re-run"
	[m1]="$FILES2 files 1-4 KiB: first backup" [m2]="$FILES2 files 1-4 KiB: re-run"
	[v1]="${VIDEO_MIB} MiB video: first backup" [v2]="video, 1 MiB changed: backup"
	[e1]="one card edited, one .vcf: backup" [e2]="one card edited, 5,000 files: backup")

report() {
	local cpu_model c t row
	cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
	echo "## lifeboat and its peers: median of $RUNS run(s)"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); host: $(uname -sr), $(nproc) CPU(s) ${cpu_model:+($cpu_model)}, $(awk '/^MemTotal/ {printf "%.1f GiB RAM", $2 / 1048576}' /proc/meminfo); work dir on $(df -PT "$W" | awk 'NR==2 {print $2}')"
	echo "- load average (1, 5, 15 min): $LOAD_START at the start, $LOAD_END at the end"
	local settings=() has_lb=0
	for t in "${TOOLS[@]}"; do [[ $t == lifeboat ]] && has_lb=1; done
	if ((has_lb)); then
		echo "- lifeboat: ${LIFEBOAT_REV:-?} (built at the start of the run), $(go version | awk '{print $3}'); \`check --read-data\` passed after all $CHECKS lifeboat backups"
		settings+=("lifeboat defaults")
	else
		echo "- lifeboat: not run (-t or --restic-only), so no ratios"
	fi
	for t in "${TOOLS[@]}"; do
		[[ $t == lifeboat ]] && continue
		echo "- $t ${PEER_VER[$t]}: ${PEER_HOW[$t]}"
	done
	for t in "${TOOLS[@]}"; do
		case $t in
		restic) settings+=("restic defaults (repository v2, zstd auto)") ;;
		restic-debian) settings+=("restic-debian defaults (repository v2, zstd auto)") ;;
		kopia) settings+=("kopia filesystem repository, defaults (no compression), update check off") ;;
		kopia-zstd) settings+=("kopia-zstd: the same kopia with \`policy set --global --compression=zstd-fastest\`") ;;
		borg) settings+=("borg \`init -e $BORG_ENCRYPTION\`, \`create --compression lz4\`") ;;
		esac
	done
	echo "- settings: $(printf '%s; ' "${settings[@]}" | sed 's/; $//')"
	echo "- primitives on one core (bench/primbench, MB/s): $(awk -F'\t' '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2}' "$W/prims.tsv")"
	local g
	declare -A gname=([photos]=photos [s]="small files (s)" [m]="many files (m)" [video]=video [contacts]=contacts)
	for g in photos s m video contacts; do [[ -n ${INFO[$g]:-} ]] && echo "- data, ${gname[$g]}: ${INFO[$g]}"; done
	if ((DROP)); then echo "- page cache: dropped before every timed command"; else echo "- page cache: warm (not dropped)"; fi
	echo "- read: bytes the command read with read(2) (rchar, page cache included); ratios are lifeboat / tool of the medians (below 1: lifeboat is faster or smaller)"
	echo
	echo "| case | tool | wall | CPU | peak RSS | read | wall l/t | CPU l/t | RSS l/t |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
	for c in p1 p2 p3 p4 s1 s2 m1 m2 v1 v2 e1 e2; do
		grep -q -P "\t$c\t" "$RES" || continue
		local lw lc lm
		lw=$(metric lifeboat "$c" wall) lc=$(metric lifeboat "$c" cpu) lm=$(metric lifeboat "$c" rss)
		for t in "${TOOLS[@]}" cat cp; do
			grep -q -P "^[0-9]+\t$t\t$c\t" "$RES" || continue
			local w cpu m r
			w=$(metric "$t" "$c" wall) cpu=$(metric "$t" "$c" cpu) m=$(metric "$t" "$c" rss) r=$(metric "$t" "$c" read)
			row="| ${CASE_NAME[$c]} | $t | $(fmtv "$w" s) | $(fmtv "$cpu" s) | $(fmtv "$m" kib) | $(fmtv "$r" bytes)"
			if [[ $t == lifeboat ]]; then row+=" | | | |"
			elif [[ $t == cat || $t == cp ]]; then row+=" | $(ratio "$lw" "$w") | $(ratio "$lc" "$cpu") | |"
			else
				row+=" | $(ratio "$lw" "$w") | $(ratio "$lc" "$cpu") | $(ratio "$lm" "$m") |"
			fi
			echo "$row"
		done
		local pc
		pc=$(prim_cpu "$c")
		[[ -n $pc ]] && echo "| ${CASE_NAME[$c]} | primitives ($(fmtv "${BYTES[$c]}" bytes)) | | $(fmtv "$pc" s) | | | | $(ratio "$lc" "$pc") | |"
	done
	echo
	echo "Repository size (du -sb, apparent bytes; files in parentheses) and growth (median; range over runs and keys):"
	echo
	local hdr="| stage |" sep="|---|"
	for t in "${TOOLS[@]}"; do hdr+=" $t |" sep+="---:|"; done
	echo "$hdr"
	echo "$sep"
	local st label
	for st in p1 p2 p3 s2 m2 v1 v2 gv ge1 ge2; do
		case $st in
		gv) label="growth, video 1 MiB changed" ;; ge1) label="growth, one card edited in one .vcf" ;;
		ge2) label="growth, one card edited, one file each" ;; *) label="after ${CASE_NAME[$st]}" ;;
		esac
		grep -q -P "\t$st\t" "$SIZES" || continue
		row="| $label |"
		for t in "${TOOLS[@]}"; do
			local v f rg
			v=$(size_med "$t" "$st")
			if [[ $st == g* ]]; then
				rg=$(size_range "$t" "$st")
				row+=" $(fmtv "$v" bytes)"
				[[ -n $rg && ${rg% *} != "${rg#* }" ]] && row+=" ($(fmtv "${rg% *}" bytes) to $(fmtv "${rg#* }" bytes))"
				row+=" |"
			else
				f=$(size_med "$t" "$st" 5)
				row+=" $(fmtv "$v" bytes)${f:+ ($f)} |"
			fi
		done
		echo "$row"
	done
	if ((${#NOTES[@]} > 0)); then
		echo
		echo "Failures:"
		echo
		for n in "${NOTES[@]}"; do echo "- $n"; done
	fi
}
