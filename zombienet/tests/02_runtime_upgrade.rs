//! 02: the chain upgrades its runtime by referendum, with no sudo key.
//!
//! On the three-validator `local` chain (running the `fast-runtime` build, whose governance
//! periods are blocks), Alice notes the preimage of `System::authorize_upgrade(hash)`, opens a
//! Root-track referendum and places its decision deposit; six accounts vote aye with 1x
//! conviction; the referendum passes and is enacted; Dave, who has no special rights, applies
//! the authorized code. The test asserts that `spec_version` went up and that GRANDPA keeps
//! finalizing blocks on the new runtime.

mod common;

use anyhow::{anyhow, bail, ensure, Context, Result};
use common::{
	heights, local_spec_with_code, node_binary, scratch_dir, spec_version, submit, test_runtime,
	wait_finalized, wait_for, with_network, Client,
};
use std::time::Duration;
use tokenfactory_runtime::{
	sp_runtime::traits::{BlakeTwo256, Hash},
	test_runtimes, UNIT,
};
use zombienet_sdk::{
	subxt::dynamic::{self, Value},
	subxt_signer::sr25519::{dev, Keypair},
	NetworkConfigBuilder, NetworkConfigExt,
};

/// Each voter locks this much with 1x conviction. Six voters then give ~45% support of the
/// development issuance, which the Root track's support curve accepts a few blocks into the
/// decision period.
const VOTE_BALANCE: u128 = 900_000 * UNIT;
/// `Vote` byte: aye (0x80) with `Locked1x` conviction (1).
const AYE_LOCKED_1X: u128 = 0x80 | 1;
/// Submission, preparation, decision, confirmation and enactment take a few dozen blocks.
const REFERENDUM_TIMEOUT: Duration = Duration::from_secs(600);
/// Blocks the chain must finalize on the new runtime.
const BLOCKS_AFTER_UPGRADE: u64 = 3;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "spawns a three-node network: run with --ignored (scripts/test.sh does)"]
async fn referendum_upgrades_the_runtime_without_sudo() -> Result<()> {
	let fast = test_runtime(test_runtimes::fast::WASM_BINARY, "fast-runtime")?;
	let upgrade = test_runtime(test_runtimes::upgrade::WASM_BINARY, "upgrade")?;
	let dir = scratch_dir("runtime-upgrade")?;
	let spec = local_spec_with_code(&dir, fast)?;
	let node = node_binary()?.to_string_lossy().into_owned();

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
			wait_finalized(alice, 2, Duration::from_secs(180)).await?;
			let client: Client = alice.wait_client().await?;
			let version_before = spec_version(alice).await?;
			println!("  spec_version before: {version_before}");

			upgrade_by_referendum(&client, upgrade).await?;

			let version_after = spec_version(alice).await?;
			println!("  spec_version after: {version_after}");
			ensure!(
				version_after > version_before,
				"spec_version did not increase: {version_before} -> {version_after}"
			);

			let (_, finalized) = heights(alice).await?;
			for name in ["alice", "bob", "charlie"] {
				wait_finalized(
					network.get_node(name)?,
					finalized + BLOCKS_AFTER_UPGRADE,
					Duration::from_secs(120),
				)
				.await?;
			}
			Ok(())
		}
		.await;
		(network, result)
	})
	.await
}

async fn upgrade_by_referendum(client: &Client, code: &[u8]) -> Result<()> {
	let code_hash = BlakeTwo256::hash(code);
	let alice = dev::alice();

	// 1. The proposal: `System::authorize_upgrade(code_hash)`, noted as a preimage.
	let authorize =
		dynamic::tx("System", "authorize_upgrade", vec![Value::from_bytes(code_hash.0)]);
	let call = client.tx().call_data(&authorize)?;
	let call_hash = BlakeTwo256::hash(&call);
	submit(
		client,
		&dynamic::tx("Preimage", "note_preimage", vec![Value::from_bytes(&call)]),
		&alice,
	)
	.await
	.context("note_preimage")?;
	println!("  preimage noted: {} bytes, hash {call_hash:?}", call.len());

	// 2. A referendum on the Root track, enacted one block after it passes.
	let index = referendum_count(client).await?;
	let submit_referendum = dynamic::tx(
		"Referenda",
		"submit",
		vec![
			Value::unnamed_variant("system", vec![Value::unnamed_variant("Root", vec![])]),
			Value::named_variant(
				"Lookup",
				vec![
					("hash", Value::from_bytes(call_hash.0)),
					("len", Value::u128(call.len() as u128)),
				],
			),
			Value::unnamed_variant("After", vec![Value::u128(1)]),
		],
	);
	submit(client, &submit_referendum, &alice).await.context("Referenda::submit")?;
	submit(
		client,
		&dynamic::tx("Referenda", "place_decision_deposit", vec![Value::u128(index.into())]),
		&alice,
	)
	.await
	.context("place_decision_deposit")?;
	println!("  referendum #{index} submitted, decision deposit placed");

	// 3. Six holders vote aye with conviction, concurrently.
	let voters: Vec<(&str, Keypair)> = vec![
		("alice", dev::alice()),
		("bob", dev::bob()),
		("charlie", dev::charlie()),
		("dave", dev::dave()),
		("eve", dev::eve()),
		("ferdie", dev::ferdie()),
	];
	let mut pending = Vec::new();
	for (name, voter) in &voters {
		let vote = dynamic::tx(
			"ConvictionVoting",
			"vote",
			vec![
				Value::u128(index.into()),
				Value::named_variant(
					"Standard",
					vec![
						("vote", Value::unnamed_composite(vec![Value::u128(AYE_LOCKED_1X)])),
						("balance", Value::u128(VOTE_BALANCE)),
					],
				),
			],
		);
		let progress = client
			.tx()
			.sign_and_submit_then_watch_default(&vote, voter)
			.await
			.with_context(|| format!("{name}'s vote was refused"))?;
		pending.push((name, progress));
	}
	for (name, progress) in pending {
		progress.wait_for_finalized_success().await.with_context(|| format!("{name}'s vote"))?;
	}
	println!("  six aye votes with 1x conviction recorded");

	// 4. Wait for the referendum to pass and its call to be enacted.
	wait_for("the referendum to pass and authorize the upgrade", REFERENDUM_TIMEOUT, || async {
		let storage = client.storage().at_latest().await?;
		let authorized =
			storage.fetch(&dynamic::storage("System", "AuthorizedUpgrade", ())).await?;
		Ok(authorized.map(|_| ()))
	})
	.await?;
	let outcome = referendum_outcome(client, index).await?;
	ensure!(outcome == "Approved", "referendum #{index} ended {outcome}, not Approved");

	// 5. Anyone applies the authorized code: Dave, with no special rights.
	let events = submit(
		client,
		&dynamic::tx("System", "apply_authorized_upgrade", vec![Value::from_bytes(code)]),
		&dev::dave(),
	)
	.await
	.context("apply_authorized_upgrade")?;
	let code_updated = events
		.iter()
		.filter_map(|event| event.ok())
		.any(|event| event.pallet_name() == "System" && event.variant_name() == "CodeUpdated");
	if !code_updated {
		bail!("apply_authorized_upgrade succeeded but emitted no System::CodeUpdated");
	}
	println!("  code applied by Dave ({} bytes)", code.len());

	// The new code runs from the next block on.
	wait_for("the new runtime to be active", Duration::from_secs(60), || async {
		let storage = client.storage().at_latest().await?;
		let pending = storage.fetch(&dynamic::storage("System", "AuthorizedUpgrade", ())).await?;
		Ok(pending.is_none().then_some(()))
	})
	.await?;
	tokio::time::sleep(Duration::from_secs(12)).await;
	Ok(())
}

async fn referendum_count(client: &Client) -> Result<u32> {
	let storage = client.storage().at_latest().await?;
	let count = storage
		.fetch(&dynamic::storage("Referenda", "ReferendumCount", ()))
		.await?
		.map(|value| value.to_value())
		.transpose()?
		.and_then(|value| value.as_u128())
		.unwrap_or(0);
	u32::try_from(count).context("referendum count out of range")
}

/// The variant name of a referendum's `ReferendumInfoFor` entry (`Ongoing`, `Approved`, ...).
async fn referendum_outcome(client: &Client, index: u32) -> Result<String> {
	let storage = client.storage().at_latest().await?;
	let info = storage
		.fetch(&dynamic::storage("Referenda", "ReferendumInfoFor", vec![Value::u128(index.into())]))
		.await?
		.ok_or_else(|| anyhow!("referendum #{index} does not exist"))?
		.to_value()?;
	match info.value {
		zombienet_sdk::subxt::ext::scale_value::ValueDef::Variant(variant) => Ok(variant.name),
		other => bail!("unexpected ReferendumInfoFor shape: {other:?}"),
	}
}
