#!/usr/bin/env bash
# Runs the `local` chain on this machine: Alice, Bob and Charlie as validators, each with its
# own RPC port (9944, 9945, 9946) and Prometheus port (9615, 9616, 9617). No sudo key: Root is
# reachable only by referendum. Ctrl-C stops all three. Logs go to $LOG_DIR (default /tmp).
set -euo pipefail
source "$(dirname "$0")/common.sh"

LOG_DIR="${LOG_DIR:-/tmp/tokenfactory-local-net}"
mkdir -p "$LOG_DIR"
[[ -x "$NODE_BIN" ]] || { ensure_prerequisites; build_all; }

# Alice's libp2p identity is fixed so the others can find her.
ALICE_NODE_KEY=0000000000000000000000000000000000000000000000000000000000000001
ALICE_PEER_ID="$("$NODE_BIN" key inspect-node-key --file <(printf '%s' "$ALICE_NODE_KEY"))"
BOOTNODE="/ip4/127.0.0.1/tcp/30333/p2p/$ALICE_PEER_ID"

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM

start() {
	local name="$1" index="$2"
	shift 2
	"$NODE_BIN" --chain local --"$name" --validator --tmp \
		--port $((30333 + index)) --rpc-port $((9944 + index)) --prometheus-port $((9615 + index)) \
		--rpc-cors all "$@" >"$LOG_DIR/$name.log" 2>&1 &
	pids+=($!)
	log "$name: ws://127.0.0.1:$((9944 + index)), log $LOG_DIR/$name.log"
}

start alice 0 --node-key "$ALICE_NODE_KEY"
start bob 1 --bootnodes "$BOOTNODE"
start charlie 2 --bootnodes "$BOOTNODE"

log "three validators running; Ctrl-C stops them"
wait -n "${pids[@]}"
die "a node exited; see the logs in $LOG_DIR"
