#!/usr/bin/env bash
# Sets up what is missing, builds, and runs every test: the unit and integration tests of the
# workspace (pallets, runtime, FHE engine, ZK attestation, CLI), the multi-validator network
# tests (zombienet, native provider), then the end-to-end demo on a dev chain as a node-level
# test (a real FHE evaluation by the off-chain worker, a real proof verified on chain, the
# consumer's opened answer checked against the plaintext one).
#
#   scripts/test.sh              everything
#   scripts/test.sh --no-network the workspace tests only
set -euo pipefail
source "$(dirname "$0")/common.sh"

network=1
case "${1:-}" in
	--no-network) network=0 ;;
	"") ;;
	-h | --help) sed -n '2,9p' "$0"; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
esac

TOKENFACTORY_NEEDS_VALGRIND=1 ensure_prerequisites
build_all

cd "$REPO_ROOT"
started=$(date +%s)
log "workspace tests"
cargo test --locked --workspace
log "workspace tests passed in $(( $(date +%s) - started )) s"

if ((network)); then
	# --workspace with --test (not -p): the same feature set as the build, so nothing
	# recompiles; only the network tests' ignored tests run.
	tests=()
	for file in zombienet/tests/[0-9]*.rs; do
		tests+=(--test "$(basename "$file" .rs)")
	done
	log "network tests (zombienet): finality, runtime upgrade by referendum, blob RPC, compute jobs"
	started=$(date +%s)
	TOKENFACTORY_NODE="$NODE_BIN" cargo test --locked --workspace "${tests[@]}" -- --ignored --test-threads 1 --nocapture
	log "network tests passed in $(( $(date +%s) - started )) s"

	log "end-to-end demo on a dev chain (scripts/demo.sh)"
	TOKENFACTORY_DEMO_PORT=9990 "$REPO_ROOT/scripts/demo.sh"
fi
log "all tests passed"
