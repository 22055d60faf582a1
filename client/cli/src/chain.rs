//! The connection to a Token Factory node: transactions built from the runtime's own call types,
//! storage and runtime-API reads decoded into the runtime's own types, and the events each
//! transaction caused.
//!
//! Calls are SCALE-encoded `tokenfactory_runtime::RuntimeCall`s: the compiler checks them
//! against the runtime this client was built with, and the node checks the spec version when
//! it validates the transaction (a client built for another runtime version is refused with a
//! clear error, never misread).

use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use codec::{Decode, Encode};
use subxt::{
	backend::{legacy::LegacyRpcMethods, rpc::RpcClient},
	config::DefaultExtrinsicParamsBuilder,
	tx::{TxStatus, ValidationResult},
	OnlineClient, PolkadotConfig,
};
use subxt_signer::sr25519::Keypair;
use tokenfactory_runtime::{AccountId, Hash, RuntimeCall, RuntimeEvent};

/// The subxt client type.
pub type Client = OnlineClient<PolkadotConfig>;

/// An event record of the runtime, decoded with its own types.
pub type EventRecord = polkadot_sdk::frame_system::EventRecord<RuntimeEvent, Hash>;

/// A connected node.
#[derive(Clone)]
pub struct Chain {
	client: Client,
	rpc: LegacyRpcMethods<PolkadotConfig>,
	raw: RpcClient,
}

/// What a transaction did.
#[derive(Debug)]
pub struct Included {
	/// The block it is in.
	pub block: Hash,
	/// The events it emitted, in order.
	pub events: Vec<RuntimeEvent>,
	/// From submission to inclusion.
	pub elapsed: Duration,
}

/// A call wrapped for subxt: the runtime's own encoding, sent as it is.
struct EncodedCall(Vec<u8>);

impl subxt::tx::Payload for EncodedCall {
	fn encode_call_data_to(
		&self,
		_metadata: &subxt::Metadata,
		out: &mut Vec<u8>,
	) -> Result<(), subxt::ext::subxt_core::Error> {
		out.extend_from_slice(&self.0);
		Ok(())
	}
}

impl Chain {
	/// Connects to the node at `url` (`ws://` or `wss://`).
	///
	/// # Errors
	///
	/// The node cannot be reached, or runs a runtime whose spec name is not `tokenfactory`.
	pub async fn connect(url: &str) -> Result<Self> {
		let raw = RpcClient::from_insecure_url(url).await.with_context(|| {
			format!("cannot reach a node at {url}: is it running? (scripts/dev.sh starts one)")
		})?;
		let client = Client::from_rpc_client(raw.clone())
			.await
			.with_context(|| format!("{url} did not answer as a Substrate node"))?;
		let rpc = LegacyRpcMethods::new(raw.clone());
		let version = rpc.state_get_runtime_version(None).await?;
		let name = version.other.get("specName").and_then(|name| name.as_str()).unwrap_or_default();
		if name != "tokenfactory" {
			bail!("{url} runs the `{name}` runtime, not Token Factory's");
		}
		let ours = tokenfactory_runtime::VERSION.spec_version;
		if version.spec_version != ours {
			eprintln!(
				"note: the chain runs spec_version {}, this client was built for {ours}; calls \
				 the chain does not know are refused",
				version.spec_version
			);
		}
		Ok(Self { client, rpc, raw })
	}

	/// The subxt client.
	pub fn client(&self) -> &Client {
		&self.client
	}

	/// The raw RPC client (for the node's own methods, e.g. `dataRegistry_datasetBlob`).
	pub fn rpc(&self) -> &RpcClient {
		&self.raw
	}

	/// The chain's genesis hash (the domain of vouchers).
	pub fn genesis_hash(&self) -> Hash {
		Hash::from(self.client.genesis_hash().0)
	}

	/// The next nonce of `who`, counting its transactions in the pool.
	async fn next_nonce(&self, who: &AccountId) -> Result<u64> {
		let id = subxt::utils::AccountId32(*AsRef::<[u8; 32]>::as_ref(who));
		Ok(self.rpc.system_account_next_index(&id).await?)
	}

	/// Signs `call` as `signer`, submits it and waits until it is in a best block; returns its
	/// events.
	///
	/// # Errors
	///
	/// The pool refuses it (with the node's reason), or it fails on chain (with the pallet
	/// error's name and documentation).
	pub async fn submit(&self, signer: &Keypair, call: RuntimeCall) -> Result<Included> {
		let mut included = self.submit_all(signer, vec![call], |_| {}).await?;
		included.pop().ok_or_else(|| anyhow!("the transaction vanished"))
	}

	/// Submits `calls` from `signer` with consecutive nonces without waiting in between, then
	/// waits for each; `progress` is told how many are in.
	///
	/// # Errors
	///
	/// As [`Self::submit`], for the first that fails.
	pub async fn submit_all(
		&self,
		signer: &Keypair,
		calls: Vec<RuntimeCall>,
		mut progress: impl FnMut(usize),
	) -> Result<Vec<Included>> {
		let who = AccountId::from(signer.public_key().0);
		let first = self.next_nonce(&who).await?;
		let started = Instant::now();
		let mut pending = Vec::new();
		for (nonce, call) in (first..).zip(calls) {
			let params =
				DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new().nonce(nonce).build();
			let payload = EncodedCall(call.encode());
			let signed = self.client.tx().create_signed(&payload, signer, params).await?;
			match signed.validate().await? {
				ValidationResult::Valid(_) => {}
				other => bail!("the node refuses the transaction (nonce {nonce}): {other:?}"),
			}
			pending
				.push(signed.submit_and_watch().await.context("the node refused the transaction")?);
		}
		let mut included = Vec::new();
		for (done, mut watch) in pending.into_iter().enumerate() {
			let in_block = loop {
				match watch.next().await {
					Some(Ok(
						TxStatus::InBestBlock(in_block) | TxStatus::InFinalizedBlock(in_block),
					)) => break in_block,
					Some(Ok(
						TxStatus::Invalid { message }
						| TxStatus::Dropped { message }
						| TxStatus::Error { message },
					)) => {
						bail!("the transaction was dropped: {message}")
					}
					Some(Ok(_)) => continue,
					Some(Err(error)) => return Err(error.into()),
					None => bail!("the node stopped reporting on the transaction"),
				}
			};
			let events = in_block.wait_for_success().await.map_err(explain)?;
			let block = Hash::from(in_block.block_hash().0);
			let index = events.extrinsic_index();
			let events = self
				.events_at(block)
				.await?
				.into_iter()
				.filter(|record| {
					matches!(record.phase, polkadot_sdk::frame_system::Phase::ApplyExtrinsic(i) if i == index)
				})
				.map(|record| record.event)
				.collect();
			progress(done + 1);
			included.push(Included { block, events, elapsed: started.elapsed() });
		}
		Ok(included)
	}

	/// Every event of block `block`.
	///
	/// # Errors
	///
	/// The node cannot serve the block's state.
	pub async fn events_at(&self, block: Hash) -> Result<Vec<EventRecord>> {
		// `System::Events` (private in frame-system): twox128("System") ++ twox128("Events").
		let key =
			polkadot_sdk::frame_support::storage::storage_prefix(b"System", b"Events").to_vec();
		let bytes = self.client.storage().at(subxt::utils::H256(block.0)).fetch_raw(key).await?;
		match bytes {
			Some(bytes) => Vec::<EventRecord>::decode(&mut &bytes[..])
				.context("cannot decode the block's events"),
			None => Ok(Vec::new()),
		}
	}

	/// The value at storage key `key` in the best block, decoded as `V`.
	///
	/// # Errors
	///
	/// The node cannot serve it, or it does not decode as `V` (a client built for another
	/// runtime).
	pub async fn storage<V: Decode>(&self, key: Vec<u8>) -> Result<Option<V>> {
		let best = self
			.rpc
			.chain_get_block_hash(None)
			.await?
			.ok_or_else(|| anyhow!("the node has no best block"))?;
		let bytes = self.client.storage().at(best).fetch_raw(key).await?;
		bytes
			.map(|bytes| V::decode(&mut &bytes[..]).context("a storage value does not decode: is this client built for this chain's runtime?"))
			.transpose()
	}

	/// Calls runtime API function `function` (e.g. `ComputeApi_quote`) with SCALE-encoded
	/// `args` at the best block, decoding the answer as `R`.
	///
	/// # Errors
	///
	/// The call fails, or its answer does not decode as `R`.
	pub async fn runtime_api<R: Decode>(&self, function: &str, args: &impl Encode) -> Result<R> {
		let best = self
			.rpc
			.chain_get_block_hash(None)
			.await?
			.ok_or_else(|| anyhow!("the node has no best block"))?;
		let bytes = self
			.client
			.runtime_api()
			.at(best)
			.call_raw(function, Some(&args.encode()))
			.await
			.with_context(|| format!("runtime API {function}"))?;
		R::decode(&mut &bytes[..])
			.with_context(|| format!("the answer of {function} does not decode"))
	}

	/// The best block's number.
	///
	/// # Errors
	///
	/// The node cannot serve its header.
	pub async fn best_number(&self) -> Result<u32> {
		let header =
			self.rpc.chain_get_header(None).await?.ok_or_else(|| anyhow!("no best header"))?;
		Ok(header.number)
	}

	/// Calls `check` once per block (every `interval`) until it yields `Some`, or gives up
	/// after `timeout`, saying what it waited for.
	///
	/// # Errors
	///
	/// `check`'s error, or the timeout.
	pub async fn wait_for<T, F, Fut>(
		&self,
		what: &str,
		timeout: Duration,
		mut check: F,
	) -> Result<T>
	where
		F: FnMut() -> Fut,
		Fut: std::future::Future<Output = Result<Option<T>>>,
	{
		let started = Instant::now();
		loop {
			if let Some(value) = check().await? {
				return Ok(value);
			}
			if started.elapsed() > timeout {
				bail!("gave up after {timeout:?} waiting for {what}");
			}
			tokio::time::sleep(Duration::from_millis(1500)).await;
		}
	}
}

/// A failed dispatch, with the pallet error's name and documentation when the node gave them.
fn explain(error: subxt::Error) -> anyhow::Error {
	match &error {
		subxt::Error::Runtime(subxt::error::DispatchError::Module(module)) => {
			match module.details() {
				Ok(details) => anyhow!(
					"{}::{}: {}",
					details.pallet.name(),
					details.variant.name,
					details.variant.docs.join(" ")
				),
				Err(_) => anyhow!("{error}"),
			}
		}
		_ => anyhow!("{error}"),
	}
}
