//! What every network test needs: the node binary, chain specs, clients and waiting.

#![allow(dead_code)]

use anyhow::{anyhow, bail, Context, Result};
use std::{
	future::Future,
	path::{Path, PathBuf},
	time::{Duration, Instant},
};
use zombienet_sdk::{
	subxt::{self, backend::legacy::LegacyRpcMethods, OnlineClient, PolkadotConfig},
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

/// Writes the raw `local` chain spec of the node with its runtime code replaced by `code`,
/// and returns its path. The genesis state is otherwise the node's own `local` preset
/// (Alice, Bob and Charlie validate; no sudo key).
pub fn local_spec_with_code(dir: &Path, code: &[u8]) -> Result<PathBuf> {
	let node = node_binary()?;
	let output = std::process::Command::new(&node)
		.args(["build-spec", "--chain", "local", "--raw", "--disable-default-bootnode"])
		.output()
		.with_context(|| format!("cannot run {}", node.display()))?;
	if !output.status.success() {
		bail!("build-spec failed: {}", String::from_utf8_lossy(&output.stderr));
	}
	let mut spec: serde_json::Value =
		serde_json::from_slice(&output.stdout).context("build-spec printed invalid JSON")?;
	// `:code`, hex-encoded, is where a raw chain spec keeps the runtime.
	let code_entry = spec
		.pointer_mut("/genesis/raw/top/0x3a636f6465")
		.ok_or_else(|| anyhow!("the raw chain spec has no :code entry"))?;
	*code_entry = serde_json::Value::String(format!("0x{}", hex_encode(code)));
	let path = dir.join("local-raw.json");
	std::fs::write(&path, serde_json::to_vec_pretty(&spec)?)
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
