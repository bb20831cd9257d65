#!/usr/bin/env bash
# Many SIGKILL trials against the catalog's writers, each followed by PRAGMA integrity_check and an
# all-or-nothing check; prints the outcome of every trial.
#
#   bench/kill_trials.sh [trials]      (default 30 per command)
#
# Runs the crash-safety suites of the end-to-end tests (import, train; simulate when it lands) with
# RECSCOPE_KILL_TRIALS set, on the debug build.
set -euo pipefail
cd "$(dirname "$0")/.."
trials="${1:-30}"
swift build --build-tests >&2
RECSCOPE_KILL_TRIALS="$trials" .build/debug/RecScopePackageTests.xctest --testing-library swift-testing \
    --filter 'CrashSafetyTests' 2>&1 | grep -E 'outcomes|✘|passed after|failed after|recorded an issue'
