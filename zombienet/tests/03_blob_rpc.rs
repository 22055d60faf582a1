//! 03: a blob uploaded through one node is readable through the RPC of the others.
//!
//! On the three-validator `local` chain, Alice creates an NFT collection, registers an FHE key
//! set (a server key chunk, a public key, proof parameters) and a dataset of two ciphertext
//! chunks, and uploads every blob through her own node. The test then downloads each blob
//! from Bob's and Charlie's nodes with `dataRegistry_datasetBlob` / `dataRegistry_keySetBlob`
//! (the bytes came to them only through block execution and offchain indexing) and checks
//! they are byte-identical, and that asking for a blob outside the manifest is a clear error.

mod common;

use anyhow::{anyhow, bail, ensure, Context, Result};
use common::{
	local_spec_with_code, node_binary, scratch_dir, wait_finalized, with_network, Client,
	EncodedCall,
};
use polkadot_sdk::pallet_nfts;
use std::time::Duration;
use tokenfactory_runtime::{sp_runtime::MultiAddress, Runtime, RuntimeCall};

type DataRegistryCall = pallet_data_registry::Call<Runtime>;
type NftsCall = pallet_nfts::Call<Runtime>;
use zombienet_sdk::{
	subxt::{
		config::DefaultExtrinsicParamsBuilder,
		ext::subxt_rpcs::{rpc_params, RpcClient},
		PolkadotConfig,
	},
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
	let alice_id = tokenfactory_runtime::AccountId::from(alice.public_key().0);
	let mut calls = vec![RuntimeCall::Nfts(NftsCall::create {
		admin: MultiAddress::Id(alice_id),
		config: pallet_nfts::CollectionConfig {
			settings: pallet_nfts::CollectionSettings::all_enabled(),
			max_supply: None,
			mint_settings: pallet_nfts::MintSettings::default(),
		},
	})];
	let key_kinds = [BlobKind::ServerKeyChunk, BlobKind::PublicKey, BlobKind::ProofParameters];
	calls.push(RuntimeCall::DataRegistry(DataRegistryCall::register_key_set {
		parameter_set: 1,
		key_commitment: [7; 32],
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
	submit_in_order(client, calls).await?;
	let uploads = data_blobs
		.iter()
		.enumerate()
		.map(|(index, bytes)| upload(BlobTarget::Dataset(0), index, bytes))
		.collect::<Result<Vec<_>>>()?;
	submit_in_order(client, uploads).await
}

/// Submits `calls` from Alice with consecutive nonces without waiting between them, then waits
/// until each is finalized. A call the pool rejects is validated again to report why.
async fn submit_in_order(client: &Client, calls: Vec<RuntimeCall>) -> Result<()> {
	let alice = dev::alice();

	// Explicit nonces: the pool may not yet count a transaction just submitted when the next
	// one asks for the account's next index.
	let first_nonce = client.tx().account_nonce(&alice.public_key().into()).await?;
	let mut pending = Vec::new();
	for (nonce, call) in (first_nonce..).zip(calls) {
		let params = DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new().nonce(nonce).build();
		let signed = client.tx().create_signed(&EncodedCall::new(call), &alice, params).await?;
		let bytes = signed.encoded().len();
		let validity = signed.validate().await?;
		if !matches!(validity, zombienet_sdk::subxt::tx::ValidationResult::Valid(_)) {
			let fee = signed.partial_fee_estimate().await;
			let account = client
				.storage()
				.at_latest()
				.await?
				.fetch(&zombienet_sdk::subxt::dynamic::storage(
					"System",
					"Account",
					vec![zombienet_sdk::subxt::dynamic::Value::from_bytes(alice.public_key().0)],
				))
				.await?
				.map(|value| value.to_value().map(|v| v.to_string()));
			bail!(
				"transaction with nonce {nonce} ({bytes} bytes) is not valid: {validity:?}; fee \
				 estimate {fee:?}; Alice's account {account:?}"
			);
		}
		let progress = signed.submit_and_watch().await.with_context(|| {
			format!("the node refused transaction with nonce {nonce} ({bytes} bytes)")
		})?;
		pending.push((nonce, bytes, signed, progress));
	}
	for (nonce, bytes, signed, progress) in pending {
		if let Err(error) = progress.wait_for_finalized_success().await {
			let validity = signed.validate().await;
			bail!(
				"transaction with nonce {nonce} ({bytes} bytes) failed: {error}; validating it \
				 again now says {validity:?}"
			);
		}
	}
	Ok(())
}

fn bounded<S: polkadot_sdk::frame_support::traits::Get<u32>>(
	bytes: &[u8],
) -> Result<polkadot_sdk::frame_support::BoundedVec<u8, S>> {
	bytes.to_vec().try_into().map_err(|_| anyhow!("{} bytes is above the bound", bytes.len()))
}

fn upload(
	target: pallet_data_registry::BlobTarget,
	index: usize,
	bytes: &[u8],
) -> Result<RuntimeCall> {
	Ok(RuntimeCall::DataRegistry(DataRegistryCall::upload_chunk {
		target,
		index: index as u32,
		bytes: bytes.to_vec().try_into().map_err(|_| anyhow!("chunk above MaxChunkSize"))?,
	}))
}
