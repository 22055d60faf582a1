//! 01: three validators on the `local` chain author with Aura and finalize with GRANDPA.

mod common;

use anyhow::{ensure, Result};
use common::{heights, local_raw_spec, node_binary, scratch_dir, wait_finalized, with_network};
use std::time::Duration;
use zombienet_sdk::{NetworkConfig, NetworkConfigBuilder, NetworkConfigExt};

/// The test finalizes at least this many blocks.
const TARGET_FINALIZED: u64 = 10;
/// GRANDPA may lag Aura by a few blocks while votes propagate, never more than this.
const MAX_FINALITY_LAG: u64 = 5;
/// Ten finalized six-second blocks take about a minute and a half after start-up.
const TIMEOUT: Duration = Duration::from_secs(300);

fn three_validators() -> Result<NetworkConfig> {
	let node = node_binary()?;
	let node = node.to_string_lossy().into_owned();
	let spec = local_raw_spec(&scratch_dir("finality")?)?;
	NetworkConfigBuilder::new()
		.with_relaychain(|relay| {
			relay
				.with_chain("local")
				.with_default_command(node.as_str())
				.with_chain_spec_path(spec)
				.with_validator(|v| v.with_name("alice"))
				.with_validator(|v| v.with_name("bob"))
				.with_validator(|v| v.with_name("charlie"))
		})
		.build()
		.map_err(|errors| anyhow::anyhow!("invalid network config: {errors:?}"))
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "spawns a three-node network: run with --ignored (scripts/test.sh does)"]
async fn three_validators_produce_and_finalize_blocks() -> Result<()> {
	let network = three_validators()?.spawn_native().await?;
	with_network(network, |network| async move {
		let result = async {
			for name in ["alice", "bob", "charlie"] {
				let node = network.get_node(name)?;
				wait_finalized(node, TARGET_FINALIZED, TIMEOUT).await?;
			}
			for name in ["alice", "bob", "charlie"] {
				let (best, finalized) = heights(network.get_node(name)?).await?;
				println!("  {name}: best #{best}, finalized #{finalized}");
				ensure!(
					best.saturating_sub(finalized) <= MAX_FINALITY_LAG,
					"{name}: finality lags {} blocks behind best (best #{best}, finalized \
					 #{finalized})",
					best - finalized
				);
			}
			Ok(())
		}
		.await;
		(network, result)
	})
	.await
}
