#!/usr/bin/env bash
# A short libFuzzer run of one harness (the fuzz build's test):
#   run_libfuzzer.sh HARNESS CORPUS_DIR 'REGRESS_DIR/PREFIX*' DICT
# from a scratch copy of the committed corpus and the regression inputs, for
# FUZZ_SECONDS (20 by default).  Any crash, leak, timeout or sanitizer report fails
# it (libFuzzer's exit status), the reproducer kept and printed.
set -uo pipefail
exe=$1 corpus=$2 regress=$3 dict=$4
secs=${FUZZ_SECONDS:-20}
work=$(mktemp -d "${TMPDIR:-/tmp}/ikescope-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus" "$work/artifacts"
cp "$corpus"/* "$work/corpus/"
# shellcheck disable=SC2086  # the pattern is meant to expand
for f in $regress; do [ -f "$f" ] && cp "$f" "$work/corpus/"; done
"$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
	-dict="$dict" -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
	"$work/corpus" >"$work/log" 2>&1
rc=$?
grep -E '^(stat::|#[0-9]+ +DONE|INFO: Running with)' "$work/log" | sed "s|^|$(basename "$exe"): |"
if [ $rc -ne 0 ]; then
	tail -60 "$work/log"
	for a in "$work"/artifacts/*; do
		[ -f "$a" ] || continue
		echo "reproducer $(basename "$a") (base64):"
		base64 -w 0 "$a" | head -c 20000
		echo
		mkdir -p "${FUZZ_KEEP:-/tmp}"
		cp "$a" "${FUZZ_KEEP:-/tmp}/$(basename "$exe")-$(basename "$a")"
	done
	exit 1
fi
exit 0
