#!/usr/bin/env bash
# Regenerates the runtime's weights of our pallets from FRAME benchmarks run on this machine:
# builds the node with `runtime-benchmarks`, runs `benchmark pallet` against the runtime's
# wasm, and writes `runtime/src/weights/<pallet>.rs`. Usage: scripts/bench-weights.sh
# [pallet ...] (default: every Token Factory pallet). STEPS and REPEAT tune precision.
set -euo pipefail
source "$(dirname "$0")/common.sh"

STEPS="${STEPS:-20}"
REPEAT="${REPEAT:-10}"
pallets=("$@")
((${#pallets[@]})) || pallets=(pallet_payment_channels pallet_equity pallet_data_registry pallet_compute)

ensure_prerequisites
# One runtime variant is enough here; the benchmark build has its own feature set, so this
# does not touch the artifacts the tests use.
export TOKENFACTORY_TEST_RUNTIMES=0
log "building the node with runtime-benchmarks (first time: most of an hour on 2 cores)"
# Only the node binary: the pallets' benchmark test suites run in `cargo test` (see their
# READMEs). The binary shares the normal node's path, so it is moved aside and the normal one
# is relinked by the next ordinary build.
(cd "$REPO_ROOT" && cargo build --locked --workspace --bin tokenfactory-node --features tokenfactory-node/runtime-benchmarks)
bench_node="$CARGO_TARGET_DIR/tokenfactory-node-benchmarks"
mv "$NODE_BIN" "$bench_node"

machine="$(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
for pallet in "${pallets[@]}"; do
	output="$REPO_ROOT/runtime/src/weights/$pallet.rs"
	log "benchmarking $pallet (steps $STEPS, repeat $REPEAT) -> ${output#"$REPO_ROOT"/}"
	start=$(date +%s)
	"$bench_node" benchmark pallet --chain dev --pallet "$pallet" --extrinsic '*' \
		--steps "$STEPS" --repeat "$REPEAT" --wasm-execution compiled \
		--heap-pages 4096 --output "$output" \
		--header "$REPO_ROOT/scripts/weights-header.txt"
	# The runtime reaches FRAME through the polkadot-sdk umbrella crate.
	sed -i -e 's/^use frame_support::/use polkadot_sdk::frame_support::/' \
		-e 's/frame_system::Config/polkadot_sdk::frame_system::Config/g' "$output"
	log "$pallet done in $(($(date +%s) - start)) s on $machine"
done
