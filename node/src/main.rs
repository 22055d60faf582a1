//! `tokenfactory-node`: the Token Factory appchain node.
//!
//! Aura authors a block every six seconds, GRANDPA finalizes. Offchain indexing is on by
//! default (pallets store blobs that way), the executor carries the BLS12-381 host calls used
//! to verify Groth16 proofs in the runtime, and Prometheus metrics are served on port 9615.

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> polkadot_sdk::sc_cli::Result<()> {
	command::run()
}
