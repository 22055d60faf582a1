#!/usr/bin/env bash
# Times the runtime's Groth16 verifier in pure wasm (no BLS12-381 host calls) under wasmtime:
# the third verification figure of the decryption proof, beside the native one (client/zk's figures test)
# and the runtime's host-call one (the `reveal` authorization weight, scripts/bench-weights.sh).
#
#   scripts/bench-wasm-verify.sh [RUNS]     (default 20)
set -euo pipefail
source "$(dirname "$0")/common.sh"

runs="${1:-20}"
ensure_prerequisites
python3 -c 'import wasmtime' 2>/dev/null || { log "installing wasmtime for Python (pip)"; python3 -m pip install --quiet wasmtime; }

# Its own workspace and target directory: nothing of the main build is touched.
target="$CARGO_TARGET_DIR-wasm-verify"
log "building tools/wasm-verify for wasm32-unknown-unknown (target dir $target)"
CARGO_TARGET_DIR="$target" cargo build --locked --release --target wasm32-unknown-unknown \
	--manifest-path "$REPO_ROOT/tools/wasm-verify/Cargo.toml"
python3 "$REPO_ROOT/tools/wasm-verify/run.py" \
	"$target/wasm32-unknown-unknown/release/tokenfactory_wasm_verify.wasm" "$runs"
