//! `tokenfactory-node`: the Token Factory appchain node.
//!
//! Aura authors a block every six seconds, GRANDPA finalizes. Offchain indexing is on by
//! default (pallets store blobs that way), the executor carries the BLS12-381 host calls used
//! to verify Groth16 proofs in the runtime, and Prometheus metrics are served on port 9615.
//! Its off-chain worker reaches a native FHE executor (`executor.rs`): every node whose keystore
//! holds a registered worker key evaluates the jobs assigned to it, and a node started with
//! `--fhe-keys` decrypts and proves the results of its owner's datasets.

mod chain_spec;
mod cli;
mod command;
mod executor;
mod randomness;
mod rpc;
mod service;

fn main() -> polkadot_sdk::sc_cli::Result<()> {
	command::run()
}
