//! 03: a blob uploaded through one node is readable through the RPC of the others.
//!
//! On the three-validator `local` chain, Alice creates an NFT collection, registers an FHE key
//! set (a server key chunk, a public key, proof parameters) and a dataset of two ciphertext
//! chunks, and uploads every blob through her own node. The test then downloads each blob
//! from Bob's and Charlie's nodes with `dataRegistry_datasetBlob` / `dataRegistry_keySetBlob`
//! (the bytes came to them only through block execution and offchain indexing) and checks
//! they are byte-identical, and that asking for a blob outside the manifest is a clear error.

mod common;

use anyhow::{anyhow, ensure, Context, Result};
use common::{
	account_of, bounded, create_collection, local_spec_with_code, node_binary, scratch_dir,
	submit_in_order, upload, wait_finalized, with_network, Client,
};
use std::time::Duration;
use tokenfactory_runtime::{Runtime, RuntimeCall};

type DataRegistryCall = pallet_data_registry::Call<Runtime>;
use zombienet_sdk::{
	subxt::ext::subxt_rpcs::{rpc_params, RpcClient},
	subxt_signer::sr25519::dev,
	NetworkConfigBuilder, NetworkConfigExt,
};

/// A ciphertext chunk of a realistic size: 300 KiB.
const CHUNK_BYTES: usize = 300 * 1024;
const TIMEOUT: Duration = Duration::from_secs(300);

fn pseudo_random_bytes(seed: u64, len: usize) -> Vec<u8> {
	let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
	(0..len)
		.map(|_| {
			state ^= state << 13;
			state ^= state >> 7;
			state ^= state << 17;
			state as u8
		})
		.collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "spawns a three-node network: run with --ignored (scripts/test.sh does)"]
async fn an_uploaded_blob_is_readable_through_another_nodes_rpc() -> Result<()> {
	let node = node_binary()?.to_string_lossy().into_owned();
	// The node's own raw `local` spec: zombienet leaves a raw spec's balances alone (it would
	// give a plain spec's accounts two tokens each, too little for the upload fees).
	let code = tokenfactory_runtime::WASM_BINARY.context("the runtime wasm was not built")?;
	let spec = local_spec_with_code(&scratch_dir("blob-rpc")?, code)?;
	let network = NetworkConfigBuilder::new()
		.with_relaychain(|relay| {
			relay
				.with_chain("local")
				.with_default_command(node.as_str())
				.with_chain_spec_path(spec.clone())
				.with_validator(|v| v.with_name("alice"))
				.with_validator(|v| v.with_name("bob"))
				.with_validator(|v| v.with_name("charlie"))
		})
		.build()
		.map_err(|errors| anyhow!("invalid network config: {errors:?}"))?
		.spawn_native()
		.await?;

	with_network(network, |network| async move {
		let result = async {
			let alice = network.get_node("alice")?;
			wait_finalized(alice, 2, TIMEOUT).await?;
			let client: Client = alice.wait_client().await?;

			let key_blobs: Vec<Vec<u8>> =
				(0..3).map(|seed| pseudo_random_bytes(seed, 4096 + seed as usize)).collect();
			let data_blobs: Vec<Vec<u8>> =
				(10..12).map(|seed| pseudo_random_bytes(seed, CHUNK_BYTES)).collect();
			let started = std::time::Instant::now();
			register_and_upload(&client, &key_blobs, &data_blobs).await?;
			println!(
				"  key set (3 blobs) and dataset (2 x {} KiB) registered and uploaded in {:.1} s",
				CHUNK_BYTES / 1024,
				started.elapsed().as_secs_f64()
			);

			for name in ["bob", "charlie"] {
				let rpc = network.get_node(name)?.rpc().await?;
				for (index, expected) in data_blobs.iter().enumerate() {
					let bytes = fetch(&rpc, "dataRegistry_datasetBlob", 0, index as u32).await?;
					ensure!(&bytes == expected, "{name}: dataset blob {index} differs");
				}
				for (index, expected) in key_blobs.iter().enumerate() {
					let bytes = fetch(&rpc, "dataRegistry_keySetBlob", 0, index as u32).await?;
					ensure!(&bytes == expected, "{name}: key set blob {index} differs");
				}
				let missing = fetch(&rpc, "dataRegistry_datasetBlob", 0, 2).await;
				let message = format!("{:?}", missing.err().context("blob 2 should not exist")?);
				ensure!(message.contains("has no blob 2"), "{name}: unclear error: {message}");
				println!("  {name}: every blob read back byte-identical through its RPC");
			}
			Ok(())
		}
		.await;
		(network, result)
	})
	.await
}

async fn fetch(rpc: &RpcClient, method: &str, id: u32, index: u32) -> Result<Vec<u8>> {
	let bytes: polkadot_sdk::sp_core::Bytes = rpc.request(method, rpc_params![id, index]).await?;
	Ok(bytes.0)
}

fn spec(kind: pallet_data_registry::BlobKind, bytes: &[u8]) -> pallet_data_registry::BlobSpec {
	pallet_data_registry::BlobSpec {
		kind,
		size: bytes.len() as u32,
		hash: polkadot_sdk::sp_io::hashing::blake2_256(bytes),
	}
}

/// Every call from Alice, submitted in nonce order without waiting, then awaited: they land in
/// one or two blocks.
async fn register_and_upload(
	client: &Client,
	key_blobs: &[Vec<u8>],
	data_blobs: &[Vec<u8>],
) -> Result<()> {
	use pallet_data_registry::{BlobKind, BlobTarget, Column, DatasetDescription, DatasetTerms};
	use tokenfactory_primitives::datasets::{ColumnWidth, ProgramKind, ProgramPolicy};

	let alice = dev::alice();
	let mut calls = vec![create_collection(account_of(&alice))];
	let key_kinds = [BlobKind::ServerKeyChunk, BlobKind::PublicKey, BlobKind::ProofParameters];
	calls.push(RuntimeCall::DataRegistry(DataRegistryCall::register_key_set {
		parameter_set: 1,
		key_commitment: [7; 32],
		decryptor: polkadot_sdk::sp_core::sr25519::Public::from_raw([8; 32]),
		blobs: key_blobs
			.iter()
			.zip(key_kinds)
			.map(|(bytes, kind)| spec(kind, bytes))
			.collect::<Vec<_>>()
			.try_into()
			.map_err(|_| anyhow!("too many key blobs"))?,
	}));
	for (index, bytes) in key_blobs.iter().enumerate() {
		calls.push(upload(BlobTarget::KeySet(0), index, bytes)?);
	}
	calls.push(RuntimeCall::DataRegistry(DataRegistryCall::register {
		collection: 0,
		key_set: 0,
		description: DatasetDescription::<Runtime> {
			name: bounded(b"patients")?,
			description: bounded(b"zombienet test table")?,
			schema: vec![Column { name: bounded(b"age")?, width: ColumnWidth::U8 }]
				.try_into()
				.map_err(|_| anyhow!("too many columns"))?,
			rows: 64,
		},
		terms: DatasetTerms::<Runtime> {
			price: tokenfactory_runtime::MILLI_UNIT,
			programs: vec![ProgramPolicy {
				kind: ProgramKind::Count,
				min_cohort: None,
				max_predicates: None,
			}]
			.try_into()
			.map_err(|_| anyhow!("too many programs"))?,
			min_cohort: 5,
		},
		blobs: data_blobs
			.iter()
			.map(|bytes| spec(BlobKind::Ciphertexts, bytes))
			.collect::<Vec<_>>()
			.try_into()
			.map_err(|_| anyhow!("too many chunks"))?,
	}));
	submit_in_order(client, &alice, calls).await?;
	let uploads = data_blobs
		.iter()
		.enumerate()
		.map(|(index, bytes)| upload(BlobTarget::Dataset(0), index, bytes))
		.collect::<Result<Vec<_>>>()?;
	submit_in_order(client, &alice, uploads).await
}
