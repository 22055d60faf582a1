#!/usr/bin/env bash
# Sets up what is missing, builds, and runs every test: unit and integration tests of the
# workspace, then the multi-validator network tests (zombienet, native provider).
#
#   scripts/test.sh              everything
#   scripts/test.sh --no-network skip the zombienet tests
set -euo pipefail
source "$(dirname "$0")/common.sh"

network=1
case "${1:-}" in
	--no-network) network=0 ;;
	"") ;;
	-h | --help) sed -n '2,6p' "$0"; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
esac

ensure_prerequisites
build_all

cd "$REPO_ROOT"
log "workspace tests"
cargo test --locked --workspace

if ((network)); then
	log "network tests (zombienet): three validators, finality, runtime upgrade by referendum"
	# --workspace, not -p: the same feature set as the build above, so nothing recompiles.
	TOKENFACTORY_NODE="$NODE_BIN" cargo test --locked --workspace -- --ignored --test-threads 1 --nocapture
fi
log "all tests passed"
