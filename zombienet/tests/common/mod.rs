//! What every network test needs: the node binary, chain specs, clients and waiting.

#![allow(dead_code)]

use anyhow::{anyhow, bail, Context, Result};
use codec::Decode;
use polkadot_sdk::pallet_nfts;
use std::{
	collections::VecDeque,
	future::Future,
	path::{Path, PathBuf},
	time::{Duration, Instant},
};
use tokenfactory_runtime::{sp_runtime::MultiAddress, AccountId, Runtime, RuntimeCall};
use zombienet_sdk::{
	subxt::{
		self,
		backend::legacy::LegacyRpcMethods,
		config::DefaultExtrinsicParamsBuilder,
		tx::{SubmittableTransaction, TxProgress, TxStatus, ValidationResult},
		utils::H256,
		OnlineClient, PolkadotConfig,
	},
	subxt_signer::sr25519::Keypair,
	LocalFileSystem, Network, NetworkNode,
};

/// The client type of these tests.
pub type Client = OnlineClient<PolkadotConfig>;

/// Prometheus names of the best and finalized block heights.
pub const BEST_HEIGHT: &str = "substrate_block_height{status=\"best\"}";
pub const FINALIZED_HEIGHT: &str = "substrate_block_height{status=\"finalized\"}";

/// The node binary under test: `$TOKENFACTORY_NODE`, else `tokenfactory-node` in the cargo
/// target directory these tests were built into.
pub fn node_binary() -> Result<PathBuf> {
	if let Some(path) = std::env::var_os("TOKENFACTORY_NODE") {
		return Ok(PathBuf::from(path));
	}
	// tests run from <target>/<profile>/deps/<test-binary>
	let exe = std::env::current_exe().context("cannot locate the test binary")?;
	let profile_dir = exe
		.parent()
		.and_then(Path::parent)
		.ok_or_else(|| anyhow!("unexpected test binary location {}", exe.display()))?;
	let node = profile_dir.join("tokenfactory-node");
	if !node.exists() {
		bail!(
			"{} does not exist: build it first (`cargo build -p tokenfactory-node`) or set \
			 TOKENFACTORY_NODE",
			node.display()
		);
	}
	Ok(node)
}

/// A directory for this test's chain specs, fresh for every run.
pub fn scratch_dir(test: &str) -> Result<PathBuf> {
	let dir = std::env::temp_dir().join(format!("tokenfactory-{test}-{}", std::process::id()));
	std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
	Ok(dir)
}

/// The wasm of a test runtime, or an error that says how to build it.
pub fn test_runtime(wasm: Option<&'static [u8]>, name: &str) -> Result<&'static [u8]> {
	wasm.ok_or_else(|| {
		anyhow!(
			"the {name} test runtime was not built: build with TOKENFACTORY_TEST_RUNTIMES=1 \
			 (scripts/test.sh does)"
		)
	})
}

/// Writes the node's raw `local` chain spec, genesis built by the node itself, and returns
/// its path. Zombienet must get a raw spec: turning a plain one into raw in its own process
/// runs the runtime's genesis build without the node's host functions (the BLS12-381 calls
/// that check the genesis verifying keys), which traps.
pub fn local_raw_spec(dir: &Path) -> Result<PathBuf> {
	let spec = node_local_raw_spec()?;
	write_spec(dir, &spec)
}

/// Writes the raw `local` chain spec of the node with its runtime code replaced by `code`,
/// and returns its path. The genesis state is otherwise the node's own `local` preset
/// (Alice, Bob and Charlie validate; no sudo key).
pub fn local_spec_with_code(dir: &Path, code: &[u8]) -> Result<PathBuf> {
	let mut spec = node_local_raw_spec()?;
	// `:code`, hex-encoded, is where a raw chain spec keeps the runtime.
	let code_entry = spec
		.pointer_mut("/genesis/raw/top/0x3a636f6465")
		.ok_or_else(|| anyhow!("the raw chain spec has no :code entry"))?;
	*code_entry = serde_json::Value::String(format!("0x{}", hex_encode(code)));
	write_spec(dir, &spec)
}

fn node_local_raw_spec() -> Result<serde_json::Value> {
	let node = node_binary()?;
	let output = std::process::Command::new(&node)
		.args(["build-spec", "--chain", "local", "--raw", "--disable-default-bootnode"])
		.output()
		.with_context(|| format!("cannot run {}", node.display()))?;
	if !output.status.success() {
		bail!("build-spec failed: {}", String::from_utf8_lossy(&output.stderr));
	}
	serde_json::from_slice(&output.stdout).context("build-spec printed invalid JSON")
}

fn write_spec(dir: &Path, spec: &serde_json::Value) -> Result<PathBuf> {
	let path = dir.join("local-raw.json");
	std::fs::write(&path, serde_json::to_vec_pretty(spec)?)
		.with_context(|| format!("cannot write {}", path.display()))?;
	Ok(path)
}

/// Lower-case hex without prefix.
pub fn hex_encode(bytes: &[u8]) -> String {
	const DIGITS: &[u8; 16] = b"0123456789abcdef";
	let mut out = String::with_capacity(bytes.len() * 2);
	for byte in bytes {
		out.push(DIGITS[(byte >> 4) as usize] as char);
		out.push(DIGITS[(byte & 0x0f) as usize] as char);
	}
	out
}

/// Polls `check` every `interval` until it yields `Some`, or fails after `timeout` saying
/// what it was waiting for.
pub async fn wait_for<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> Result<T>
where
	F: FnMut() -> Fut,
	Fut: Future<Output = Result<Option<T>>>,
{
	let started = Instant::now();
	loop {
		if let Some(value) = check().await? {
			println!("  {what}: after {:.0?}", started.elapsed());
			return Ok(value);
		}
		if started.elapsed() > timeout {
			bail!("timed out after {timeout:?} waiting for {what}");
		}
		tokio::time::sleep(Duration::from_secs(2)).await;
	}
}

/// Best and finalized heights reported by a node's Prometheus endpoint.
pub async fn heights(node: &NetworkNode) -> Result<(u64, u64)> {
	let best = node.reports(BEST_HEIGHT).await?;
	let finalized = node.reports(FINALIZED_HEIGHT).await?;
	Ok((best as u64, finalized as u64))
}

/// Waits until `node` has finalized at least `target` blocks.
pub async fn wait_finalized(node: &NetworkNode, target: u64, timeout: Duration) -> Result<u64> {
	wait_for(&format!("{} to finalize block #{target}", node.name()), timeout, || async {
		let (_, finalized) = heights(node).await?;
		Ok((finalized >= target).then_some(finalized))
	})
	.await
}

/// The runtime's `spec_version` as the node reports it now.
pub async fn spec_version(node: &NetworkNode) -> Result<u32> {
	let rpc = node.rpc().await?;
	let methods = LegacyRpcMethods::<PolkadotConfig>::new(rpc);
	let version = methods.state_get_runtime_version(None).await?;
	Ok(version.spec_version)
}

/// Runs `body` on a spawned network, then tears the network down whatever happened, printing
/// the tail of every node's log when the test failed.
pub async fn with_network<F, Fut>(network: Network<LocalFileSystem>, body: F) -> Result<()>
where
	F: FnOnce(Network<LocalFileSystem>) -> Fut,
	Fut: Future<Output = (Network<LocalFileSystem>, Result<()>)>,
{
	let (network, result) = body(network).await;
	if result.is_err() {
		for node in network.nodes() {
			if let Ok(logs) = node.logs().await {
				let tail: Vec<&str> = logs.lines().rev().take(40).collect();
				eprintln!("---- last log lines of {} ----", node.name());
				for line in tail.into_iter().rev() {
					eprintln!("{line}");
				}
			}
		}
	}
	if let Err(error) = network.destroy().await {
		eprintln!("could not tear the network down: {error}");
	}
	result
}

/// Submits a signed transaction and waits until it is finalized and succeeded.
pub async fn submit<Call>(
	client: &Client,
	call: &Call,
	signer: &zombienet_sdk::subxt_signer::sr25519::Keypair,
) -> Result<subxt::blocks::ExtrinsicEvents<PolkadotConfig>>
where
	Call: subxt::tx::Payload,
{
	let progress = client
		.tx()
		.sign_and_submit_then_watch_default(call, signer)
		.await
		.context("the node refused the transaction")?;
	let events = progress.wait_for_finalized_success().await.context("the transaction failed")?;
	Ok(events)
}

/// A call built with the runtime's own types and SCALE-encoded, submitted as it is: type-checked
/// by the compiler instead of spelled out as dynamic values.
pub struct EncodedCall(pub Vec<u8>);

impl EncodedCall {
	/// Encodes `call`.
	pub fn new(call: tokenfactory_runtime::RuntimeCall) -> Self {
		Self(codec::Encode::encode(&call))
	}
}

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

/// The runtime account of a development key pair.
pub fn account_of(keypair: &Keypair) -> AccountId {
	AccountId::from(keypair.public_key().0)
}

/// Submits `calls` from `signer` with consecutive nonces without waiting between them, then
/// waits until each is finalized and succeeded. A call the pool rejects is validated again to
/// report why.
pub async fn submit_in_order(
	client: &Client,
	signer: &Keypair,
	calls: Vec<RuntimeCall>,
) -> Result<()> {
	submit_calls(client, signer, calls, usize::MAX, true).await
}

/// [`submit_in_order`] with at most `window` of the calls in the transaction pool at a time: a
/// call leaves the window when it is in a best block. For uploads of many large chunks, which
/// together would overflow the pool (20 MiB by default).
pub async fn submit_windowed(
	client: &Client,
	signer: &Keypair,
	calls: Vec<RuntimeCall>,
	window: usize,
) -> Result<()> {
	submit_calls(client, signer, calls, window, true).await
}

/// Submits `call` from `signer` and waits only until it is in a best block and succeeded there:
/// for when finality may stall, or when the next step must follow the inclusion closely.
pub async fn submit_to_best_block(
	client: &Client,
	signer: &Keypair,
	call: RuntimeCall,
) -> Result<()> {
	submit_calls(client, signer, vec![call], usize::MAX, false).await
}

async fn submit_calls(
	client: &Client,
	signer: &Keypair,
	calls: Vec<RuntimeCall>,
	window: usize,
	until_finalized: bool,
) -> Result<()> {
	// Explicit nonces: the pool may not yet count a transaction just submitted when the next
	// one asks for the account's next index.
	let first_nonce = client.tx().account_nonce(&signer.public_key().into()).await?;
	let window = window.max(1);
	let mut in_pool: VecDeque<Pending> = VecDeque::new();
	let mut in_blocks: Vec<Pending> = Vec::new();
	for (nonce, call) in (first_nonce..).zip(calls) {
		while in_pool.len() >= window {
			let Some(mut oldest) = in_pool.pop_front() else { break };
			oldest.wait_in_block().await?;
			in_blocks.push(oldest);
		}
		in_pool.push_back(Pending::submit(client, signer, nonce, call).await?);
	}
	for mut pending in in_blocks.into_iter().chain(in_pool) {
		if until_finalized {
			pending.wait_finalized().await?;
		} else {
			pending.wait_in_block().await?;
		}
	}
	Ok(())
}

/// A submitted transaction being watched.
struct Pending {
	nonce: u64,
	bytes: usize,
	signed: SubmittableTransaction<PolkadotConfig, Client>,
	/// `None` once it is finalized.
	progress: Option<TxProgress<PolkadotConfig, Client>>,
	/// Whether it was seen in a block (and succeeded there).
	included: bool,
}

impl Pending {
	async fn submit(
		client: &Client,
		signer: &Keypair,
		nonce: u64,
		call: RuntimeCall,
	) -> Result<Self> {
		let params = DefaultExtrinsicParamsBuilder::<PolkadotConfig>::new().nonce(nonce).build();
		let signed = client
			.tx()
			.create_signed(&EncodedCall::new(call), signer, params)
			.await
			.with_context(|| format!("cannot sign the transaction with nonce {nonce}"))?;
		let bytes = signed.encoded().len();
		let validity = signed.validate().await?;
		if !matches!(validity, ValidationResult::Valid(_)) {
			let fee = signed.partial_fee_estimate().await;
			let account = client
				.storage()
				.at_latest()
				.await?
				.fetch(&subxt::dynamic::storage(
					"System",
					"Account",
					vec![subxt::dynamic::Value::from_bytes(signer.public_key().0)],
				))
				.await?
				.map(|value| value.to_value().map(|v| v.to_string()));
			bail!(
				"transaction with nonce {nonce} ({bytes} bytes) is not valid: {validity:?}; fee \
				 estimate {fee:?}; the signer's account {account:?}"
			);
		}
		let progress = signed.submit_and_watch().await.with_context(|| {
			format!("the node refused transaction with nonce {nonce} ({bytes} bytes)")
		})?;
		Ok(Self { nonce, bytes, signed, progress: Some(progress), included: false })
	}

	/// Waits until the transaction is in a best (or finalized) block and succeeded there.
	async fn wait_in_block(&mut self) -> Result<()> {
		if self.included {
			return Ok(());
		}
		let Some(mut progress) = self.progress.take() else { return Ok(()) };
		loop {
			match progress.next().await {
				Some(Ok(TxStatus::InBestBlock(in_block))) => {
					if let Err(error) = in_block.wait_for_success().await {
						return Err(self.failure(error.to_string()).await);
					}
					self.included = true;
					self.progress = Some(progress);
					return Ok(());
				}
				Some(Ok(TxStatus::InFinalizedBlock(in_block))) => {
					if let Err(error) = in_block.wait_for_success().await {
						return Err(self.failure(error.to_string()).await);
					}
					self.included = true;
					return Ok(());
				}
				Some(Ok(
					TxStatus::Error { message }
					| TxStatus::Invalid { message }
					| TxStatus::Dropped { message },
				)) => return Err(self.failure(message).await),
				Some(Ok(_)) => continue,
				Some(Err(error)) => return Err(self.failure(error.to_string()).await),
				None => return Err(self.failure("the node stopped reporting on it".into()).await),
			}
		}
	}

	/// Waits until the transaction is finalized and succeeded.
	async fn wait_finalized(&mut self) -> Result<()> {
		let Some(progress) = self.progress.take() else { return Ok(()) };
		match progress.wait_for_finalized_success().await {
			Ok(_) => Ok(()),
			Err(error) => Err(self.failure(error.to_string()).await),
		}
	}

	/// What went wrong, with what validating the transaction again says now.
	async fn failure(&self, reason: String) -> anyhow::Error {
		let validity = self.signed.validate().await;
		anyhow!(
			"transaction with nonce {} ({} bytes) failed: {reason}; validating it again now says \
			 {validity:?}",
			self.nonce,
			self.bytes
		)
	}
}

/// Storage of a node's chain read through its legacy RPC and decoded with the runtime's own
/// types: best-block reads, which keep working while finality stalls.
pub struct State {
	rpc: LegacyRpcMethods<PolkadotConfig>,
}

impl State {
	/// Connects to `node`'s RPC.
	pub async fn connect(node: &NetworkNode) -> Result<Self> {
		let rpc =
			node.rpc().await.with_context(|| format!("cannot connect to {}'s RPC", node.name()))?;
		Ok(Self { rpc: LegacyRpcMethods::new(rpc) })
	}

	/// The number and hash of the node's best block.
	pub async fn best(&self) -> Result<(u32, H256)> {
		let hash = self
			.rpc
			.chain_get_block_hash(None)
			.await?
			.ok_or_else(|| anyhow!("the node reports no best block"))?;
		let header = self
			.rpc
			.chain_get_header(Some(hash))
			.await?
			.ok_or_else(|| anyhow!("the node has no header for its best block {hash:?}"))?;
		Ok((header.number, hash))
	}

	/// The value under `key` at block `at`, decoded as `V`; `what` names it in errors.
	pub async fn read<V: Decode>(&self, at: H256, key: &[u8], what: &str) -> Result<Option<V>> {
		let bytes = self
			.rpc
			.state_get_storage(key, Some(at))
			.await
			.with_context(|| format!("cannot read {what}"))?;
		bytes
			.map(|bytes| {
				V::decode(&mut &bytes[..])
					.with_context(|| format!("{what} does not decode with the runtime's type"))
			})
			.transpose()
	}

	/// [`Self::read`] at the best block.
	pub async fn read_best<V: Decode>(&self, key: &[u8], what: &str) -> Result<Option<V>> {
		let (_, at) = self.best().await?;
		self.read(at, key, what).await
	}

	/// Every `(key, value)` under `prefix` at block `at`, values decoded as `V`.
	pub async fn entries<V: Decode>(
		&self,
		at: H256,
		prefix: &[u8],
		what: &str,
	) -> Result<Vec<(Vec<u8>, V)>> {
		const PAGE: u32 = 512;
		let mut keys: Vec<Vec<u8>> = Vec::new();
		loop {
			let start = keys.last().cloned();
			let page = self
				.rpc
				.state_get_keys_paged(prefix, PAGE, start.as_deref(), Some(at))
				.await
				.with_context(|| format!("cannot list the keys of {what}"))?;
			let full = page.len() == PAGE as usize;
			keys.extend(page);
			if !full {
				break;
			}
		}
		let mut entries = Vec::with_capacity(keys.len());
		for key in keys {
			if let Some(value) = self.read(at, &key, what).await? {
				entries.push((key, value));
			}
		}
		Ok(entries)
	}
}

/// `bytes` as a bounded vector, or an error saying it is too long.
pub fn bounded<S: polkadot_sdk::frame_support::traits::Get<u32>>(
	bytes: &[u8],
) -> Result<polkadot_sdk::frame_support::BoundedVec<u8, S>> {
	bytes.to_vec().try_into().map_err(|_| anyhow!("{} bytes is above the bound", bytes.len()))
}

/// `DataRegistry::upload_chunk` of blob `index` of `target`.
pub fn upload(
	target: pallet_data_registry::BlobTarget,
	index: usize,
	bytes: &[u8],
) -> Result<RuntimeCall> {
	Ok(RuntimeCall::DataRegistry(pallet_data_registry::Call::<Runtime>::upload_chunk {
		target,
		index: u32::try_from(index).context("blob index out of range")?,
		bytes: bytes.to_vec().try_into().map_err(|_| {
			anyhow!("a {} byte blob is above the chain's MaxChunkSize", bytes.len())
		})?,
	}))
}

/// `Nfts::create`: a collection with every setting enabled, administered by `admin` (dataset
/// tokens are minted into it).
pub fn create_collection(admin: AccountId) -> RuntimeCall {
	RuntimeCall::Nfts(pallet_nfts::Call::<Runtime>::create {
		admin: MultiAddress::Id(admin),
		config: pallet_nfts::CollectionConfig {
			settings: pallet_nfts::CollectionSettings::all_enabled(),
			max_supply: None,
			mint_settings: pallet_nfts::MintSettings::default(),
		},
	})
}
