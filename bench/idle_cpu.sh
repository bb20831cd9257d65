#!/usr/bin/env bash
# Idle CPU of the open explorer: opens it in a private tmux server on a catalog, waits for the first
# screen, then reads the process's CPU time over a window with no input (and again after a burst of keys).
#
#   bench/idle_cpu.sh [catalog] [seconds]      (default: a fresh import of sample-data, 10 s)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${2:-10}"
swift build --product recscope >&2
bin="$PWD/.build/debug/recscope"
work=$(mktemp -d)
socket="recscope-idle-$$"
cleanup() { tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
catalog="${1:-}"
if [ -z "$catalog" ]; then
    catalog="$work/sample.sqlite"
    "$bin" import --catalog "$catalog" --format recbole sample-data >/dev/null
fi
tmux -L "$socket" new-session -d -s "$socket" -x 120 -y 40 "LANG=C.UTF-8 TERM=xterm-256color '$bin' tui --catalog '$catalog'"
for _ in $(seq 1 200); do
    tmux -L "$socket" capture-pane -p -t "$socket" | grep -q "Users (" && break
    sleep 0.05
done
shell_pid=$(tmux -L "$socket" list-panes -t "$socket" -F '#{pane_pid}')
pid=$(pgrep -P "$shell_pid" recscope || echo "$shell_pid")
ticks=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
measure() {
    local label="$1" before after
    before=$(cpu)
    sleep "$seconds"
    after=$(cpu)
    awk -v a="$before" -v b="$after" -v t="$ticks" -v s="$seconds" -v l="$label" \
        'BEGIN { printf "%-28s %6.2f%% CPU  (%d ticks in %d s)\n", l, (b - a) / t / s * 100, b - a, s }'
}
sleep 2   # let start-up work (summary, first pages) finish
measure "idle after start-up"
for k in j j j 2 j 3 1 k; do tmux -L "$socket" send-keys -t "$socket" "$k"; sleep 0.1; done
sleep 1
measure "idle after keys"
echo "rss: $(awk '/VmRSS/ { print $2, $3 }' "/proc/$pid/status")  (pid $pid, catalog $catalog)"
tmux -L "$socket" send-keys -t "$socket" q
