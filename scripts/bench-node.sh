#!/usr/bin/env bash
# Measures the dev chain: time from node start to the first finalized block, and the node's
# resident memory at idle (after IDLE_SECS seconds of producing empty blocks). Prints figures.
set -euo pipefail
source "$(dirname "$0")/common.sh"

IDLE_SECS="${IDLE_SECS:-60}"
METRICS_PORT="${METRICS_PORT:-9715}"
[[ -x "$NODE_BIN" ]] || { ensure_prerequisites; build_all; }

log_file="$(mktemp)"
start_ns=$(date +%s%N)
"$NODE_BIN" --dev --tmp --rpc-port 9954 --port 30999 --prometheus-port "$METRICS_PORT" >"$log_file" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log_file"' EXIT

# The block height with the given status ("best" or "finalized"), whatever the label order.
height() {
	curl -s "http://127.0.0.1:$METRICS_PORT/metrics" |
		awk -v status="status=\"$1\"" 'index($1, "substrate_block_height{") == 1 && index($1, status) { print $2; exit }'
}

finalized=""
for _ in $(seq 1 600); do
	finalized="$(height finalized || true)"
	[[ -n "$finalized" && "$finalized" != "0" ]] && break
	kill -0 $pid 2>/dev/null || die "the node exited: $(tail -5 "$log_file")"
	sleep 0.1
done
first_final_ms=$((($(date +%s%N) - start_ns) / 1000000))

sleep "$IDLE_SECS"
rss_kib=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
best="$(height best || true)"

printf 'node start -> first finalized block: %d ms\n' "$first_final_ms"
printf 'idle RSS after %d s (best block #%s): %d MiB\n' "$IDLE_SECS" "$best" $((rss_kib / 1024))
