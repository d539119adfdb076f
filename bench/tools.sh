# bench/tools.sh - how bench/run.sh drives each tool. Sourced, not run.
#
# Every repository lives in a slot, $W/t/TOOL-SLOT/, with the tool's
# repository (repo/), cache and configuration (home/) inside it, so no
# tool reads or writes anything outside the work dir. tool_argv sets ARGV
# to the command line of one action: init, backup DATA, restore TARGET,
# check. Needs W, PEER_BIN (from bench/peers.sh) and LIFEBOAT.

# borg's encryption mode: repokey (AES-256-CTR + HMAC-SHA256) by default,
# since on this machine's CPUs (SHA-NI) HMAC-SHA256 runs about 3x faster
# than keyed BLAKE2b in borg's Python; borg's docs say to pick whichever of
# the two is faster. BENCH_BORG_ENCRYPTION=repokey-blake2 picks the other.
BORG_ENCRYPTION=${BENCH_BORG_ENCRYPTION:-repokey}

# slot_dir TOOL SLOT
slot_dir() { echo "$W/t/$1-$2"; }

# tool_env TOOL SLOT: sets ENVV to an env(1) prefix that isolates the tool.
tool_env() {
	local s
	s=$(slot_dir "$1" "$2")
	ENVV=(env -u RESTIC_PASSWORD_FILE -u RESTIC_PASSWORD_COMMAND -u BORG_PASSCOMMAND -u KOPIA_CONFIG_PATH
		"HOME=$s/home" "XDG_CONFIG_HOME=$s/home/config" "XDG_CACHE_HOME=$s/home/cache" "XDG_DATA_HOME=$s/home/data")
	case $1 in
	restic | restic-debian)
		ENVV+=(RESTIC_PASSWORD=bench "RESTIC_REPOSITORY=$s/repo" "RESTIC_CACHE_DIR=$s/home/cache/restic") ;;
	kopia | kopia-zstd)
		ENVV+=(KOPIA_PASSWORD=bench KOPIA_CHECK_FOR_UPDATES=false "KOPIA_LOG_DIR=$s/home/kopia-logs"
			"KOPIA_CACHE_DIRECTORY=$s/home/cache/kopia") ;;
	borg)
		ENVV+=(BORG_PASSPHRASE=bench "BORG_BASE_DIR=$s/home" BORG_RELOCATED_REPO_ACCESS_IS_OK=yes
			BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes) ;;
	esac
}

# tool_argv TOOL SLOT ACTION [ARG]
tool_argv() {
	local tool=$1 slot=$2 action=$3 arg=${4:-} s
	s=$(slot_dir "$tool" "$slot")
	tool_env "$tool" "$slot"
	case $tool/$action in
	lifeboat/init) ARGV=("${ENVV[@]}" "$LIFEBOAT" init --repo "$s/repo") ;;
	lifeboat/backup) ARGV=("${ENVV[@]}" "$LIFEBOAT" backup --repo "$s/repo" --quiet "$arg") ;;
	lifeboat/restore) ARGV=("${ENVV[@]}" "$LIFEBOAT" restore latest --repo "$s/repo" --to "$arg") ;;
	lifeboat/check) ARGV=("${ENVV[@]}" "$LIFEBOAT" check --read-data --quiet --repo "$s/repo") ;;
	restic*/init) ARGV=("${ENVV[@]}" "$(tool_bin "$tool")" init -q) ;;
	restic*/backup) ARGV=("${ENVV[@]}" "$(tool_bin "$tool")" backup -q "$arg") ;;
	restic*/restore) ARGV=("${ENVV[@]}" "$(tool_bin "$tool")" restore latest --target "$arg" -q) ;;
	kopia*/init)
		mkdir -p "$s/home"
		local k=("${ENVV[@]}" "$(tool_bin "$tool")" --config-file="$s/home/repository.config")
		ARGV=("${k[@]}" repository create filesystem --path="$s/repo" --password=bench --no-persist-credentials)
		# kopia-zstd: the same kopia with lifeboat's compressor and level
		# (zstd, fastest) as its global policy, set right after the create
		# (sh's $0 is the repository's path, "$@" the kopia command).
		if [[ $tool == kopia-zstd ]]; then
			ARGV=(sh -c '"$@" repository create filesystem --path="$0" --password=bench --no-persist-credentials &&
				exec "$@" policy set --global --compression=zstd-fastest' "$s/repo" "${k[@]}")
		fi ;;
	kopia*/backup)
		ARGV=("${ENVV[@]}" "$(tool_bin "$tool")" --config-file="$s/home/repository.config"
			snapshot create --no-progress "$arg") ;;
	kopia*/restore)
		# The newest snapshot's root object, looked up before the timed command.
		local root
		root=$("${ENVV[@]}" "$(tool_bin "$tool")" --config-file="$s/home/repository.config" \
			snapshot list --all --json 2>/dev/null | jq -r '.[-1].rootEntry.obj')
		ARGV=("${ENVV[@]}" "$(tool_bin "$tool")" --config-file="$s/home/repository.config"
			snapshot restore --no-progress "$root" "$arg") ;;
	borg/init) ARGV=("${ENVV[@]}" "$(tool_bin borg)" init -e "$BORG_ENCRYPTION" "$s/repo") ;;
	borg/backup)
		local name
		name=a$(date +%s%N)
		echo "$name" >"$s/last-archive"
		ARGV=("${ENVV[@]}" "$(tool_bin borg)" create --compression lz4 "$s/repo::$name" "$arg") ;;
	borg/restore)
		# borg extracts into the current directory.
		ARGV=("${ENVV[@]}" sh -c 'cd "$1" && shift && exec "$@"' sh "$arg"
			"$(tool_bin borg)" extract "$s/repo::$(cat "$s/last-archive")") ;;
	*) die "internal: tool_argv $*" ;;
	esac
}

# tool_bin TOOL: its binary, from bench/peers.sh's list.
tool_bin() {
	local v=${PEER_BIN[$1]:-}
	[[ -n $v && $v != - ]] || die "internal: no binary for $1"
	echo "$v"
}
