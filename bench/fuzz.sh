#!/usr/bin/env bash
# Fuzzes every importer parser for a bounded time and prints executions and crashes per parser.
#
#   bench/fuzz.sh [seconds-per-parser] [parser…]       (default 60 s, every parser)
#
# Builds `recscope-fuzz` with libFuzzer and AddressSanitizer into .build-fuzz (the normal .build is not
# touched), seeds each run from Tests/Fuzz/Corpus/<parser>, keeps the grown corpus in
# .build-fuzz/corpus/<parser> and writes crash/timeout inputs to .build-fuzz/artifacts/<parser>/.
# A crash input is replayed with a normal build: `swift build --product recscope-fuzz` then
# `.build/debug/recscope-fuzz PARSER FILE`; add it to Tests/Fuzz/Corpus/<parser>/ once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
parsers=("$@")
if [ ${#parsers[@]} -eq 0 ]; then
    parsers=(recbole-inter recbole-item recbole-user ml-u.data ml-u.item ml-u.user ml-ratings.csv ml-movies.csv csv-inter csv-items)
fi
mkdir -p .build-fuzz
if ! swift build -c debug --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address --product recscope-fuzz \
        >.build-fuzz/build.log 2>&1; then
    grep -E 'error' .build-fuzz/build.log >&2 || tail -20 .build-fuzz/build.log >&2
    exit 1
fi
fuzzer=.build-fuzz/debug/recscope-fuzz
printf '%-16s %8s %12s %10s %8s %8s\n' parser seconds executions exec/s corpus crashes
for parser in "${parsers[@]}"; do
    corpus=.build-fuzz/corpus/$parser
    artifacts=.build-fuzz/artifacts/$parser
    mkdir -p "$corpus" "$artifacts"
    log=.build-fuzz/fuzz-$parser.log
    start=$(date +%s)
    # One worker, one job: the machine is shared. -timeout flags any input that takes over 10 s (a hang).
    "$fuzzer" "$parser" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
        -dict=Tests/Fuzz/importers.dict -artifact_prefix="$artifacts/" -print_final_stats=1 \
        "$corpus" "Tests/Fuzz/Corpus/$parser" >"$log" 2>&1 || true
    elapsed=$(( $(date +%s) - start ))
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || true)
    if [ -z "$runs" ]; then runs=$(grep -Eo '^#[0-9]+' "$log" | tail -1 | tr -d '#' || echo 0); fi
    rate=$(( ${runs:-0} / (elapsed > 0 ? elapsed : 1) ))
    crashes=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
    size=$(find "$corpus" -type f | wc -l)
    printf '%-16s %8d %12d %10d %8d %8d\n' "$parser" "$elapsed" "${runs:-0}" "$rate" "$size" "$crashes"
    if [ "$crashes" -gt 0 ]; then
        grep -E 'ERROR|Fatal error|SUMMARY' "$log" | head -3 | sed 's/^/    /' >&2
    fi
done
