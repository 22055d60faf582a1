# Shared by the scripts: one cargo target directory outside the clone (so every clone, CI
# included, reuses one build), and the prerequisites a fresh machine lacks.
# shellcheck shell=bash

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tokenfactory/target}"
# The network tests need two extra runtime builds (fast governance, and +1 spec_version).
# Every script builds with the same setting so that none of them invalidates the others' cache.
export TOKENFACTORY_TEST_RUNTIMES=1

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The runtime's wasm build looks for Cargo.lock from the target directory upwards; the target
# directory lives outside the clone, so point it at the clone (same dependency versions).
export WASM_BUILD_WORKSPACE_HINT="$REPO_ROOT"
NODE_BIN="$CARGO_TARGET_DIR/debug/tokenfactory-node"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Installs what building the node needs, only where it is missing.
ensure_prerequisites() {
	command -v cargo >/dev/null && command -v rustup >/dev/null ||
		die "Rust is not installed: install rustup (https://rustup.rs) and run this again"

	local missing=()
	command -v clang >/dev/null || missing+=(clang)
	dpkg -s libclang-dev >/dev/null 2>&1 || missing+=(libclang-dev)
	command -v protoc >/dev/null || missing+=(protobuf-compiler)
	# The FHE determinism test reruns itself on Valgrind's virtual CPU, which has no AVX-512.
	[[ ${TOKENFACTORY_NEEDS_VALGRIND:-0} == 1 ]] && ! command -v valgrind >/dev/null && missing+=(valgrind)
	if ((${#missing[@]})); then
		local sudo=""
		[[ $(id -u) -eq 0 ]] || sudo="sudo"
		log "installing ${missing[*]} (apt-get)"
		$sudo apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
	fi

	local installed
	installed="$(rustup target list --installed)"
	for target in wasm32v1-none wasm32-unknown-unknown; do
		grep -qx "$target" <<<"$installed" || { log "adding rust target $target"; rustup target add "$target"; }
	done
	rustup component list --installed | grep -q '^rust-src' ||
		{ log "adding rust-src"; rustup component add rust-src; }
}

# Builds every crate, test and runtime variant in one invocation: the node binary the
# scripts run is the one the tests use, and nothing is compiled twice.
build_all() {
	log "building (target dir $CARGO_TARGET_DIR; a cold build takes about 50 minutes on 2 cores)"
	(cd "$REPO_ROOT" && cargo build --locked --workspace --all-targets)
}
