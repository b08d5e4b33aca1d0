#!/usr/bin/env bash
# A longer libFuzzer campaign (not part of scripts/test): each harness in turn for
# SECONDS seconds (default 3600), at nice 19, JOBS at a time (default 1), from the
# committed corpus, growing its own corpus under WORKDIR/<harness> (kept between runs).
# Needs the fuzz build:
#   CC=clang meson setup build-fuzz -Dfuzzing=true && ninja -C build-fuzz tests/fuzz/fuzz_ike ...
#   tests/fuzz/campaign.sh [SECONDS [JOBS [WORKDIR [HARNESS...]]]]
# Prints one line per harness: CPU seconds, executions, exec/s, new inputs, crashes
# (reproducers left in WORKDIR/<harness>.artifacts; keep each as tests/fuzz/regress/).
set -uo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-3600} jobs=${2:-1} work=${3:-build-fuzz/campaign}
shift $(($# < 3 ? $# : 3))
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=(ike natt esp reasm pcap keys decrypt)
mkdir -p "$work"
run_one() {
	local h=$1 exe=build-fuzz/tests/fuzz/fuzz_$1
	mkdir -p "$work/$h" "$work/$h.artifacts"
	cp -n tests/fuzz/corpus/"$h"/* "$work/$h/" 2>/dev/null
	for f in tests/fuzz/regress/"$h"-*; do [ -f "$f" ] && cp -n "$f" "$work/$h/"; done
	/usr/bin/time -f "%U %S" -o "$work/$h.time" nice -n 19 "$exe" \
		-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
		-dict=tests/fuzz/ike.dict -print_final_stats=1 \
		-artifact_prefix="$work/$h.artifacts/" "$work/$h" >"$work/$h.log" 2>&1
	local rc=$?
	local cpu execs eps added crashes
	cpu=$(awk '{printf "%.0f", $1 + $2}' "$work/$h.time")
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$h.log")
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$h.log")
	added=$(sed -n 's/^stat::new_units_added: *//p' "$work/$h.log")
	crashes=$(find "$work/$h.artifacts" -type f | wc -l)
	printf '%s\tcpu_s=%s\texecs=%s\texec_per_s=%s\tnew_units=%s\tcorpus=%s\tartifacts=%s\texit=%s\n' \
		"$h" "$cpu" "${execs:-?}" "${eps:-?}" "${added:-?}" "$(ls "$work/$h" | wc -l)" \
		"$crashes" "$rc"
}
running=0
for h in "${harnesses[@]}"; do
	run_one "$h" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait
