#!/usr/bin/env bash
# Sets up what is missing, builds, and runs a Token Factory development chain: Alice alone
# authors (Aura) and finalizes (GRANDPA) six-second blocks, with a sudo key.
#
#   scripts/dev.sh               fresh chain state every run
#   scripts/dev.sh --keep        keep the chain in $HOME/.local/share/tokenfactory-dev
#   scripts/dev.sh -- <args>     extra arguments for tokenfactory-node
set -euo pipefail
source "$(dirname "$0")/common.sh"

keep=0
extra=()
while (($#)); do
	case "$1" in
		--keep) keep=1 ;;
		--) shift; extra=("$@"); break ;;
		-h | --help) sed -n '2,8p' "$0"; exit 0 ;;
		*) die "unknown option $1 (see --help)" ;;
	esac
	shift
done

ensure_prerequisites
build_all

args=(--dev --rpc-cors all --prometheus-port 9615)
if ((keep)); then
	args+=(--base-path "$HOME/.local/share/tokenfactory-dev")
else
	args+=(--tmp)
fi

log "starting the dev chain: RPC ws://127.0.0.1:9944, metrics http://127.0.0.1:9615/metrics"
log "polkadot.js: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A9944"
exec "$NODE_BIN" "${args[@]}" "${extra[@]}"
