//! 04: paid FHE jobs on a network: computed by three workers, revealed with a proof, and a
//! worker or an owner that disappears costs the consumer nothing.
//!
//! Alice, Bob and Charlie validate the `local` chain (the `fast-runtime` build: deadlines of
//! tens of blocks) and are its FHE workers from genesis (replication factor 3, their `//Name`
//! sr25519 keys in the keystore under `tfwk`). A fourth node, Dave's, validates nothing: it is
//! started with Dave's FHE key directory (`--fhe-keys`), which makes it his decryptor.
//!
//! Dave generates his keys, encrypts an eight-row patient table, registers the key set and the
//! dataset (Mean and Count allowed, cohort minimum 2) and uploads every blob. Eve then buys:
//!
//! 1. `Mean(systolic) where diabetic == 1`: the three workers agree, Dave's node proves and
//!    reveals, Eve opens the sealed result and it equals the query on the plaintext rows;
//! 2. the same query with Charlie's node stopped mid-job: Alice and Bob commit to their results,
//!    the results open at the commit deadline without Charlie, and they agree; a lazy copier
//!    holding Charlie's worker key takes Alice's digest once it is public and tries to commit to
//!    it and to open it: the pool refuses both. The job is revealed on two results, and Charlie
//!    loses the slash amount of his bond for the commitment he never made;
//! 3. the same query with Alice's and Bob's worker keys lying together: before their nodes
//!    finish, the keys commit to another question's result (the non-diabetics' mean, evaluated
//!    in this process with the public keys as any worker could) and open it; the lie is the
//!    majority, Dave's decryptor finds it is not the answer on his table, disputes it, and Eve
//!    is refunded; nobody is slashed, Charlie least of all;
//! 4. the same query with Dave's node stopped: the workers agree, nobody reveals, and at the
//!    reveal deadline Eve's escrow comes back, with the reveal penalty out of Dave's key-set bond.
//!
//! No tokens are created or destroyed on the way (transaction fees and slashes go to the
//! treasury), and no escrow is left held at the end.

mod common;

use anyhow::{anyhow, bail, ensure, Context, Result};
use common::{
	account_of, bounded, create_collection, heights, hex_encode, local_spec_with_code, node_binary,
	scratch_dir, submit_in_order, submit_to_best_block, submit_windowed, test_runtime, upload,
	wait_finalized, with_network, Client, State,
};
use pallet_compute::{Job, JobStatus, Jobs, NextJobId, Worker, Workers};
use pallet_data_registry::{
	BlobKind, BlobSpec, BlobTarget, Column, ColumnOf, DatasetDescription, DatasetStatus,
	DatasetTerms, Datasets, KeySetBonds, NextDatasetId, NextKeySetId, ProgramPolicy,
};
use polkadot_sdk::{
	frame_support::{storage::StoragePrefixedMap, traits::tokens::IdAmount, traits::Get},
	pallet_balances, pallet_nfts,
};
use std::{
	path::{Path, PathBuf},
	time::{Duration, Instant},
};
use tokenfactory_fhe::{
	dataset::{self, BlobEntry, EncryptOptions, EncryptedDataset, PlainDataset, Schema},
	keys::PublicKeyBlobs,
	OwnerKeys,
};
use tokenfactory_primitives::{
	compute::{
		result_blocks, CommitStatement, FieldBytes, JobId, Payment, RefundReason, ResultCommitment,
		ResultStatement, SealingKey,
	},
	datasets::{DatasetId, ProgramKind},
	programs::{AggregateResult, BoundedList, ColumnWidth, CompareOp, Predicate, Program, Query},
};
use tokenfactory_runtime::{
	configs::DEV_VERIFYING_KEYS, frame_system, test_runtimes, AccountId, Balance, Nonce, Runtime,
	RuntimeCall, RuntimeHoldReason, UNIT,
};
use tokenfactory_zk::{
	reveal::{open_reveal, ProvingKeys},
	seal::SealingSecret,
};
use zombienet_sdk::{
	subxt_signer::sr25519::{dev, Keypair},
	LocalFileSystem, Network, NetworkConfigBuilder, NetworkConfigExt,
};

type ComputeCall = pallet_compute::Call<Runtime>;
type DataRegistryCall = pallet_data_registry::Call<Runtime>;

/// The patient table: rows, columns, and the cohort gate the owner sets.
const ROWS: usize = 8;
const SCHEMA: &str = "age:8,systolic:16,diabetic:8";
const MIN_COHORT: u32 = 2;
/// What one call costs Eve.
const PRICE: Balance = UNIT;
/// The dataset id the table is encrypted for: a fresh chain's first (checked on chain).
const DATASET: DatasetId = 0;
/// Uploads in the pool at once: eight 1 MiB chunks stay well below the pool's 20 MiB.
const UPLOAD_WINDOW: usize = 8;
/// Key types zombienet puts in each validator's keystore, from its `//Name` seed: Aura,
/// GRANDPA and the FHE worker key the genesis workers are registered with.
const VALIDATOR_KEY_TYPES: [&str; 3] = ["aura", "gran", "tfwk"];

/// Three validators, a decryptor and FHE evaluations share two cores: every wait is generous.
const START_TIMEOUT: Duration = Duration::from_secs(300);
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(30 * 60);
const JOB_TIMEOUT: Duration = Duration::from_secs(15 * 60);
const FINALITY_TIMEOUT: Duration = Duration::from_secs(5 * 60);
const POLL: Duration = Duration::from_secs(3);

/// Prints steps with the time since the test started.
struct Clock(Instant);

impl Clock {
	fn log(&self, message: impl std::fmt::Display) {
		println!("  [{:>6.1} s] {message}", self.0.elapsed().as_secs_f64());
	}
}

/// What the owner prepared before the network started.
struct Setup {
	clock: Clock,
	data: PlainDataset,
	query: Query,
	circuit: u32,
	key_commitment: [u8; 32],
	decryptor: polkadot_sdk::sp_core::sr25519::Public,
	key_blobs: PublicKeyBlobs,
	key_manifest: Vec<BlobEntry>,
	encrypted: EncryptedDataset,
	/// A lying majority's result: the digest and blob of another question of the same shape.
	lie: (FieldBytes, Vec<u8>),
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "spawns three FHE-worker validators and a decryptor node: run with --ignored \
            (scripts/test.sh does)"]
async fn jobs_are_computed_by_independent_replicas_revealed_and_refunded_on_a_network() -> Result<()>
{
	let clock = Clock(Instant::now());
	let fast = test_runtime(test_runtimes::fast::WASM_BINARY, "fast-runtime")?;
	let dir = scratch_dir("compute-network")?;
	let spec = local_spec_with_code(&dir, fast)?;
	let node = node_binary()?.to_string_lossy().into_owned();

	// Dave's keys exist before the network does: his node loads them when it starts.
	let keys_dir = dir.join("owner-keys");
	let keys = OwnerKeys::generate().map_err(|error| anyhow!("FHE key generation: {error}"))?;
	keys.save(&keys_dir).map_err(|error| {
		anyhow!("cannot save the owner's keys in {}: {error}", keys_dir.display())
	})?;
	let key_blobs =
		keys.public.to_blobs().map_err(|error| anyhow!("key serialization: {error}"))?;
	let key_manifest = dataset::key_set_manifest(&key_blobs, max_chunk());
	check_manifest(
		&key_manifest,
		&key_pieces(&key_blobs).iter().map(Vec::as_slice).collect::<Vec<_>>(),
	)?;
	clock.log(format!(
		"owner keys generated in {}: {} pieces: server key {:.1} MB, public key {} KB, CRS {} KB",
		keys_dir.display(),
		key_manifest.len(),
		key_blobs.server_key.len() as f64 / 1e6,
		key_blobs.public_key.len() / 1000,
		key_blobs.crs.len() / 1000,
	));

	let schema = Schema::parse(SCHEMA).map_err(|error| anyhow!("schema: {error}"))?;
	let data = dataset::read_csv(patient_table().as_bytes(), &schema)
		.map_err(|error| anyhow!("the patient table: {error}"))?;
	let encrypted = dataset::encrypt(
		&keys.public,
		DATASET,
		&data,
		&EncryptOptions { rows_per_chunk: ROWS, progress: false, threads: 2 },
	)
	.map_err(|error| anyhow!("encryption: {error}"))?;
	// Dave's decryptor checks every agreed result against the table before revealing it.
	tokenfactory_fhe::keys::save_plaintext(&keys_dir, DATASET, &data.rows)
		.map_err(|error| anyhow!("cannot keep the plaintext with Dave's keys: {error}"))?;
	check_manifest(
		&encrypted.manifest(),
		&encrypted.chunks.iter().map(Vec::as_slice).collect::<Vec<_>>(),
	)?;
	clock.log(format!(
		"{} rows encrypted with proofs into {} chunk(s) of {} KB",
		data.rows.len(),
		encrypted.chunks.len(),
		encrypted.chunks.iter().map(Vec::len).sum::<usize>() / 1000
	));
	let key_commitment = keys.key_commitment();
	let decryptor = {
		use polkadot_sdk::sp_core::Pair;
		polkadot_sdk::sp_core::sr25519::Pair::from_seed(&keys.decryptor_seed()).public()
	};
	// What two lying workers will agree on: the mean of the non-diabetics, a result of the
	// same shape as the question asked, computed from the public keys and the ciphertexts.
	let lie = {
		let started = Instant::now();
		let worker = tokenfactory_fhe::Worker::new(&keys.public, 2)
			.map_err(|error| anyhow!("the liars' worker: {error}"))?;
		let verified = worker
			.verify_dataset(&encrypted.descriptor(), &encrypted.chunks)
			.map_err(|error| anyhow!("the liars' dataset: {error}"))?;
		let mut lie = mean_systolic_where_diabetic(&schema, 0)?;
		lie.min_cohort = MIN_COHORT;
		let result =
			worker.evaluate(&verified, &lie).map_err(|error| anyhow!("the lie: {error}"))?;
		clock.log(format!(
			"the liars' result (mean systolic of the non-diabetics) evaluated in {:.1} s",
			started.elapsed().as_secs_f64()
		));
		(result.digest(), result.to_bytes())
	};
	// The client key stays in the directory for Dave's node; this process needs no more of it.
	drop(keys);

	// The decryptor's first reveal would otherwise pay for the (insecure, deterministic)
	// development setup of its circuit inside the 30-block reveal window: make the proving key
	// now, where the node looks for it. `$HOME/.cache/tokenfactory/zk` is the node's own
	// default and survives runs; zombienet starts nodes without `$HOME`, so it is passed.
	let query = mean_systolic_where_diabetic(&schema, 1)?;
	let circuit = circuit_blocks(&query, &schema.widths(), data.rows.len())?;
	let zk_dir = proving_key_dir(&dir);
	let started = Instant::now();
	ProvingKeys::new(zk_dir.clone(), true).get(circuit as usize).map_err(|error| {
		anyhow!("the development proving key of the {circuit}-block circuit: {error}")
	})?;
	clock.log(format!(
		"proving key of the {circuit}-block circuit ready in {:.1} s ({})",
		started.elapsed().as_secs_f64(),
		zk_dir.display()
	));

	let keys_arg = keys_dir.to_string_lossy().into_owned();
	let zk_arg = zk_dir.to_string_lossy().into_owned();
	let network = NetworkConfigBuilder::new()
		.with_relaychain(|relay| {
			relay
				.with_chain("local")
				.with_default_command(node.as_str())
				.with_chain_spec_path(spec.clone())
				.with_validator(|v| {
					v.with_name("alice")
						.with_args(vec![("--fhe-threads", "1").into()])
						.with_keystore_key_types(VALIDATOR_KEY_TYPES.to_vec())
				})
				.with_validator(|v| {
					v.with_name("bob")
						.with_args(vec![("--fhe-threads", "1").into()])
						.with_keystore_key_types(VALIDATOR_KEY_TYPES.to_vec())
				})
				.with_validator(|v| {
					v.with_name("charlie")
						.with_args(vec![("--fhe-threads", "1").into()])
						.with_keystore_key_types(VALIDATOR_KEY_TYPES.to_vec())
				})
				.with_fullnode(|n| {
					n.with_name("dave").with_args(vec![
						("--fhe-keys", keys_arg.as_str()).into(),
						("--zk-keys", zk_arg.as_str()).into(),
					])
				})
		})
		.build()
		.map_err(|errors| anyhow!("invalid network config: {errors:?}"))?
		.spawn_native()
		.await?;
	clock.log("network spawned: alice, bob, charlie (validators, FHE workers), dave (decryptor)");

	let setup = Setup {
		clock,
		data,
		query,
		circuit,
		key_commitment,
		decryptor,
		key_blobs,
		key_manifest,
		encrypted,
		lie,
	};
	with_network(network, |network| async move {
		let result = run(&network, &setup).await;
		(network, result)
	})
	.await
}

async fn run(network: &Network<LocalFileSystem>, setup: &Setup) -> Result<()> {
	let clock = &setup.clock;
	let alice = network.get_node("alice")?;
	wait_finalized(alice, 2, START_TIMEOUT).await?;
	let client: Client = alice.wait_client().await?;
	// Every read is at Alice's best block: with a validator stopped, GRANDPA (which needs all
	// three of three voters here) stalls while Aura keeps authoring.
	let state = State::connect(alice).await?;

	// Fees go to the treasury (`ResolveTo<TreasuryAccount, Balances>` in
	// runtime/src/configs/transaction_payment.rs, which exists from genesis so no credit is
	// dropped), the treasury burns nothing (`Burn = 0`), slashes go to the treasury, and
	// settlements and refunds move held funds: the total issuance never changes, and it is
	// always the sum of every account's free and reserved (held) balance.
	let before = ledger(&state).await?;
	before.check("at the start")?;
	clock.log(format!("total issuance {} UNIT, no escrow held", before.issuance / UNIT));

	let dataset = register_and_upload(&client, &state, setup).await?;

	let eve = dev::eve();
	let eve_id = account_of(&eve);
	let secret = SealingSecret::derive(b"//Eve");
	let workers = [dev::alice(), dev::bob(), dev::charlie()].map(|keypair| account_of(&keypair));

	// 1. The happy path.
	let job = submit_job(&client, &state, &eve, dataset, &setup.query, secret.public(), false)
		.await
		.context("submitting the first job")?;
	clock.log(format!("job {job} submitted by Eve: Mean(systolic) where diabetic == 1"));
	let record = read_job(&state, job).await?;
	ensure!(
		record.workers.len() == workers.len()
			&& workers.iter().all(|w| record.workers.iter().any(|a| &a.worker == w)),
		"job {job} is not assigned to all three workers: {}",
		summary(&record)
	);
	if record.circuit_blocks != setup.circuit {
		clock.log(format!(
			"note: the runtime chose the {}-block circuit, not the {}-block one made in advance: \
			 the decryptor makes its key now",
			record.circuit_blocks, setup.circuit
		));
	}
	let record = wait_job(
		&state,
		clock,
		job,
		&format!("job {job} to be revealed, with all three results"),
		JOB_TIMEOUT,
		|record| {
			if let JobStatus::Refunded { reason } = &record.status {
				bail!(
					"job {job} was refunded ({reason:?}) instead of revealed: {}",
					summary(record)
				);
			}
			if !record.result_phase_open && !record.all_submitted() {
				bail!("a worker missed job 1's result deadline: {}", summary(record));
			}
			let revealed = matches!(record.status, JobStatus::Revealed { .. });
			Ok((revealed && record.all_submitted()).then(|| record.clone()))
		},
	)
	.await?;
	check_revealed(clock, setup, &secret, job, &record, 3)?;
	ensure!(
		escrow_of(&state, &eve_id).await? == 0,
		"Eve's escrow is still held after job {job} settled"
	);

	// 2. Charlie's node stops while job 2 is computing.
	let charlie = network.get_node("charlie")?;
	let bonds_before = bonds(&state, &workers).await?;
	let job = submit_job(&client, &state, &eve, dataset, &setup.query, secret.public(), true)
		.await
		.context("submitting the second job")?;
	charlie.pause().await.context("cannot stop charlie's node")?;
	clock.log(format!(
		"job {job} submitted; charlie's node stopped (SIGSTOP) while it computes: finality stalls, \
		 Aura goes on in Alice's and Bob's slots"
	));
	let record = read_job(&state, job).await?;
	ensure!(
		record.workers.iter().any(|a| a.worker == workers[2] && a.commitment.is_none()),
		"charlie is not assigned job {job} or committed before its node was stopped, so no fault \
		 was injected: {}",
		summary(&record)
	);
	let record = wait_job(
		&state,
		clock,
		job,
		&format!("job {job}'s results to open on Alice's and Bob's commitments"),
		JOB_TIMEOUT,
		|record| {
			if let JobStatus::Refunded { reason } = &record.status {
				bail!("job {job} was refunded ({reason:?}): {}", summary(record));
			}
			let public = record.workers.iter().any(|a| a.result.is_some());
			Ok((record.opened_at.is_some() && public).then(|| record.clone()))
		},
	)
	.await?;
	ensure!(
		record.opened_at == Some(record.commit_deadline),
		"job {job}'s results did not open at its commit deadline: {}",
		summary(&record)
	);
	lazy_copier_is_refused(&client, &state, clock, job, &record).await?;
	let record = wait_job(
		&state,
		clock,
		job,
		&format!("job {job} to be revealed on two agreeing results"),
		JOB_TIMEOUT,
		|record| match &record.status {
			JobStatus::Refunded { reason } => bail!(
				"job {job} was refunded ({reason:?}) instead of revealed: {}",
				summary(record)
			),
			JobStatus::Revealed { .. } if !record.result_phase_open => Ok(Some(record.clone())),
			_ => Ok(None),
		},
	)
	.await?;
	check_revealed(clock, setup, &secret, job, &record, 2)?;
	let bonds_after = bonds(&state, &workers).await?;
	let slash: Balance = <Runtime as pallet_compute::Config>::SlashAmount::get();
	ensure!(
		bonds_after[0] == bonds_before[0] && bonds_after[1] == bonds_before[1],
		"the bonds of alice and bob, who agreed, changed: {bonds_before:?} -> {bonds_after:?}"
	);
	ensure!(
		bonds_before[2].checked_sub(bonds_after[2]) == Some(slash),
		"charlie's bond went from {} to {}, not down by the slash amount {slash}",
		bonds_before[2],
		bonds_after[2]
	);
	clock.log(format!(
		"charlie slashed {} UNIT for missing job {job}'s commit deadline (bond {} -> {} UNIT)",
		slash / UNIT,
		bonds_before[2] / UNIT,
		bonds_after[2] / UNIT
	));
	charlie.resume().await.context("cannot resume charlie's node")?;
	let (best, _) = heights(alice).await?;
	wait_finalized(alice, best, FINALITY_TIMEOUT)
		.await
		.context("finality did not catch up after charlie's node came back")?;
	clock.log(format!("charlie's node resumed; finality caught up to #{best}"));

	// 3. Alice's and Bob's worker keys lie together.
	lying_majority_is_disputed(&client, &state, setup, dataset, &eve, &secret, &workers).await?;

	// 4. Dave's node stops: nobody can reveal job 4.
	let dave = network.get_node("dave")?;
	dave.pause().await.context("cannot stop dave's node")?;
	let free_before = free_balance(&state, &eve_id).await?;
	let job = submit_job(&client, &state, &eve, dataset, &setup.query, secret.public(), false)
		.await
		.context("submitting the fourth job")?;
	let key_set = read_job(&state, job).await?.key_set;
	let bond_before = key_set_bond(&state, key_set).await?;
	clock.log(format!("dave's node stopped; job {job} submitted"));
	let reveal_deadline = wait_job(
		&state,
		clock,
		job,
		&format!("job {job} to await its reveal"),
		JOB_TIMEOUT,
		|record| match &record.status {
			JobStatus::AwaitingReveal { reveal_deadline, .. } => Ok(Some(*reveal_deadline)),
			JobStatus::Computing => Ok(None),
			other => bail!(
				"job {job} is {:?} before any reveal could be due: {}",
				other.phase(),
				summary(record)
			),
		},
	)
	.await?;
	let reason = wait_job(
		&state,
		clock,
		job,
		&format!("job {job} to be refunded at its reveal deadline #{reveal_deadline}"),
		JOB_TIMEOUT,
		|record| match &record.status {
			JobStatus::Refunded { reason } => Ok(Some(*reason)),
			JobStatus::Revealed { .. } => bail!(
				"job {job} was revealed although the owner's node is stopped: {}",
				summary(record)
			),
			_ => Ok(None),
		},
	)
	.await?;
	ensure!(
		reason == RefundReason::RevealTimeout,
		"job {job} was refunded for {reason:?}, not RevealTimeout"
	);
	let (best, _) = state.best().await?;
	ensure!(
		best >= reveal_deadline,
		"job {job} was refunded at #{best}, before its reveal deadline #{reveal_deadline}"
	);
	ensure!(
		escrow_of(&state, &eve_id).await? == 0,
		"Eve's escrow is still held after job {job}'s refund"
	);
	// The owner's key-set bond paid Eve the reveal penalty on top of her refund.
	let bond_after = key_set_bond(&state, key_set).await?;
	let penalty = bond_before.saturating_sub(bond_after);
	ensure!(penalty > 0, "the missed reveal cost the owner nothing: its bond is {bond_after}");
	let free_after = free_balance(&state, &eve_id).await?;
	let fee = (free_before + penalty).saturating_sub(free_after);
	ensure!(
		free_after <= free_before + penalty && fee < PRICE,
		"Eve's free balance went from {free_before} to {free_after} with a penalty of {penalty}: \
		 the refund of {PRICE} is missing (only the transaction fee should be gone)"
	);
	clock.log(format!(
		"job {job} refunded (RevealTimeout) and {penalty} planck of the owner's bond paid to Eve: \
		 she is out only the fee, {fee} planck"
	));

	// Money is conserved.
	let after = ledger(&state).await?;
	after.check("at the end")?;
	ensure!(
		after.issuance == before.issuance,
		"the total issuance changed from {} to {}: tokens were created or destroyed",
		before.issuance,
		after.issuance
	);
	clock.log(format!(
		"total issuance unchanged ({} UNIT) and equal to the sum of all balances; no escrow held",
		after.issuance / UNIT
	));
	Ok(())
}

/// Dave creates a collection, registers his key set and the dataset, and uploads every blob;
/// returns the dataset's id.
async fn register_and_upload(client: &Client, state: &State, setup: &Setup) -> Result<DatasetId> {
	let clock = &setup.clock;
	let dave = dev::dave();
	let (_, at) = state.best().await?;
	let collection: u32 = state
		.read(
			at,
			&pallet_nfts::NextCollectionId::<Runtime, ()>::hashed_key(),
			"the next collection id",
		)
		.await?
		.unwrap_or(0);
	let key_set: u32 = state
		.read(at, &NextKeySetId::<Runtime>::hashed_key(), "the next key set id")
		.await?
		.unwrap_or(0);
	let dataset: DatasetId = state
		.read(at, &NextDatasetId::<Runtime>::hashed_key(), "the next dataset id")
		.await?
		.unwrap_or(0);
	ensure!(
		dataset == setup.encrypted.dataset_id,
		"the registry will give the dataset id {dataset}, but the table was encrypted (and its \
		 proofs bound) for {}",
		setup.encrypted.dataset_id
	);

	let mut calls = vec![
		create_collection(account_of(&dave)),
		RuntimeCall::DataRegistry(DataRegistryCall::register_key_set {
			parameter_set: tokenfactory_fhe::params::PARAMETER_SET_NUMBER,
			key_commitment: setup.key_commitment,
			decryptor: setup.decryptor,
			blobs: setup
				.key_manifest
				.iter()
				.map(blob_spec)
				.collect::<Result<Vec<_>>>()?
				.try_into()
				.map_err(|_| anyhow!("more key blobs than MaxKeySetBlobs"))?,
		}),
	];
	let pieces = key_pieces(&setup.key_blobs);
	for (index, piece) in pieces.iter().enumerate() {
		calls.push(upload(BlobTarget::KeySet(key_set), index, piece)?);
	}
	let columns = setup
		.data
		.schema
		.columns()
		.iter()
		.map(|column| -> Result<ColumnOf<Runtime>> {
			Ok(Column { name: bounded(column.name.as_bytes())?, width: column.width })
		})
		.collect::<Result<Vec<_>>>()?;
	let policy = |kind| ProgramPolicy { kind, min_cohort: None, max_predicates: None };
	calls.push(RuntimeCall::DataRegistry(DataRegistryCall::register {
		collection,
		key_set,
		description: DatasetDescription::<Runtime> {
			name: bounded(b"patients")?,
			description: bounded(b"zombienet 04: age, systolic pressure, diabetic")?,
			schema: columns.try_into().map_err(|_| anyhow!("more columns than MaxColumns"))?,
			rows: u32::try_from(setup.data.rows.len())?,
		},
		terms: DatasetTerms::<Runtime> {
			price: PRICE,
			programs: vec![policy(ProgramKind::Mean), policy(ProgramKind::Count)]
				.try_into()
				.map_err(|_| anyhow!("more programs than MaxPrograms"))?,
			min_cohort: MIN_COHORT,
		},
		blobs: setup
			.encrypted
			.manifest()
			.iter()
			.map(blob_spec)
			.collect::<Result<Vec<_>>>()?
			.try_into()
			.map_err(|_| anyhow!("more chunks than MaxDatasetBlobs"))?,
	}));
	for (index, chunk) in setup.encrypted.chunks.iter().enumerate() {
		calls.push(upload(BlobTarget::Dataset(dataset), index, chunk)?);
	}

	let bytes: usize = pieces.iter().map(|piece| piece.len()).sum::<usize>()
		+ setup.encrypted.chunks.iter().map(Vec::len).sum::<usize>();
	let count = calls.len();
	let started = Instant::now();
	tokio::time::timeout(UPLOAD_TIMEOUT, submit_windowed(client, &dave, calls, UPLOAD_WINDOW))
		.await
		.map_err(|_| {
			anyhow!("the registration and uploads did not finish within {UPLOAD_TIMEOUT:?}")
		})?
		.context("registering and uploading the key set and the dataset")?;
	let seconds = started.elapsed().as_secs_f64();
	clock.log(format!(
		"key set {key_set} and dataset {dataset} registered by Dave, {count} transactions, {:.1} MB \
		 uploaded and finalized in {seconds:.0} s ({:.2} MB/s)",
		bytes as f64 / 1e6,
		bytes as f64 / 1e6 / seconds.max(1e-3)
	));

	let record: pallet_data_registry::Dataset<Runtime> = state
		.read_best(&Datasets::<Runtime>::hashed_key_for(dataset), "the dataset")
		.await?
		.ok_or_else(|| anyhow!("dataset {dataset} is not registered"))?;
	ensure!(
		matches!(record.status, DatasetStatus::Active),
		"dataset {dataset} is {:?} after every blob was uploaded",
		record.status
	);
	Ok(dataset)
}

/// Submits a job of `query` on `dataset` paid from `consumer`'s free balance, waiting until it
/// is finalized, or only in a best block (`to_best_block`); returns its id.
async fn submit_job(
	client: &Client,
	state: &State,
	consumer: &Keypair,
	dataset: DatasetId,
	query: &Query,
	consumer_key: SealingKey,
	to_best_block: bool,
) -> Result<JobId> {
	let job: JobId =
		state.read_best(&NextJobId::<Runtime>::hashed_key(), "the next job id").await?.unwrap_or(0);
	let call = RuntimeCall::Compute(ComputeCall::submit_job {
		dataset,
		query: query.clone(),
		payment: Payment::FreeBalance,
		consumer_key,
	});
	let submitted = if to_best_block {
		submit_to_best_block(client, consumer, call).await
	} else {
		submit_in_order(client, consumer, vec![call]).await
	};
	submitted.context("Compute::submit_job")?;
	let record = read_job(state, job).await?;
	ensure!(
		record.consumer == account_of(consumer),
		"job {job} is not the one just submitted: its consumer is {}",
		record.consumer
	);
	// Its workers are drawn in the next block, from that block's VRF randomness.
	let started = Instant::now();
	while matches!(read_job(state, job).await?.status, JobStatus::Assigning) {
		ensure!(
			started.elapsed() < Duration::from_secs(60),
			"job {job} got no workers within a minute of its submission"
		);
		tokio::time::sleep(POLL).await;
	}
	Ok(job)
}

/// Checks a revealed job: `results` workers submitted, all with the agreed digest; the sealed
/// result opens with the consumer's key to the proven commitment; and it decodes to the query's
/// answer on the plaintext rows.
fn check_revealed(
	clock: &Clock,
	setup: &Setup,
	secret: &SealingSecret,
	job: JobId,
	record: &Job<Runtime>,
	results: usize,
) -> Result<()> {
	let JobStatus::Revealed { digest, result_commitment, sealed } = &record.status else {
		bail!("job {job} is not revealed: {}", summary(record));
	};
	let submitted: Vec<_> = record.workers.iter().filter_map(|a| a.result).collect();
	ensure!(
		submitted.len() == results && submitted.iter().all(|result| result.digest == *digest),
		"job {job}: expected {results} results with the agreed digest {}: {}",
		hex_encode(digest),
		summary(record)
	);
	ensure!(
		record.consumer_key == secret.public(),
		"job {job} carries another sealing key than Eve's"
	);
	let digits = open_reveal(secret, job, result_commitment, sealed.as_slice())
		.map_err(|error| anyhow!("Eve cannot open job {job}'s sealed result: {error}"))?;
	// The job's query carries the cohort minimum the runtime applied (the dataset's 2).
	let layout = record
		.query
		.validate(&record.schema, u64::from(record.rows))
		.map_err(|error| anyhow!("job {job}'s query does not validate: {error:?}"))?;
	let outputs = tokenfactory_fhe::compact::outputs_from_digits(
		&digits,
		&layout,
		1u64 << tokenfactory_fhe::params::BITS_PER_BLOCK,
	)
	.map_err(|error| anyhow!("job {job}'s digits do not fit the query's layout: {error}"))?;
	let answer = AggregateResult::from_outputs(&outputs);
	let expected =
		AggregateResult::from_outputs(&record.query.evaluate_plaintext(&setup.data.rows));
	ensure!(
		expected.gate_passed,
		"the test table selects too few rows for the cohort gate: {expected:?}"
	);
	ensure!(
		answer == expected,
		"job {job}: the revealed result {answer:?} is not the plaintext answer {expected:?}"
	);
	let total = answer.values.first().copied().unwrap_or(0);
	clock.log(format!(
		"job {job}: {results} agreeing digests {}…, Eve opened the proven result: {} diabetic \
		 patients, mean systolic {:.1} (sum {total}), as on the plaintext",
		hex_encode(&digest[..4]),
		answer.count,
		total as f64 / answer.count.max(1) as f64,
	));
	Ok(())
}

/// Polls job `job` at the best block until `check` yields a value (or an error), printing every
/// change of its status and results.
/// `call` as the general transaction an off-chain worker would send (no signer, no fee:
/// `AuthorizeCall` checks it), ready to validate or submit through `client`.
fn authorized(
	client: &Client,
	call: ComputeCall,
) -> zombienet_sdk::subxt::tx::SubmittableTransaction<zombienet_sdk::subxt::PolkadotConfig, Client>
{
	use tokenfactory_runtime::frame_system::offchain::CreateAuthorizedTransaction;
	let extension = <Runtime as CreateAuthorizedTransaction<RuntimeCall>>::create_extension();
	let transaction = tokenfactory_runtime::UncheckedExtrinsic::new_transaction(
		RuntimeCall::Compute(call),
		extension,
	);
	zombienet_sdk::subxt::tx::SubmittableTransaction::from_bytes(
		client.clone(),
		codec::Encode::encode(&transaction),
	)
}

/// `statement` signed by `keypair` (a development worker key).
fn worker_signature(
	keypair: &Keypair,
	statement: &impl codec::Encode,
) -> polkadot_sdk::sp_core::sr25519::Signature {
	polkadot_sdk::sp_core::sr25519::Signature::from_raw(
		codec::Encode::using_encoded(statement, |payload| keypair.sign(payload)).0,
	)
}

/// Job 3: Alice's and Bob's worker keys commit to the lie before their nodes have evaluated
/// the job, and open it once the results are open. The lie is the majority; Dave's decryptor
/// refutes it, the job is refunded (`Disputed`) and nobody is slashed.
async fn lying_majority_is_disputed(
	client: &Client,
	state: &State,
	setup: &Setup,
	dataset: DatasetId,
	eve: &Keypair,
	secret: &SealingSecret,
	workers: &[AccountId; 3],
) -> Result<()> {
	let clock = &setup.clock;
	let eve_id = account_of(eve);
	let bonds_before = bonds(state, workers).await?;
	let free_before = free_balance(state, &eve_id).await?;
	let job = submit_job(client, state, eve, dataset, &setup.query, secret.public(), true)
		.await
		.context("submitting the third job")?;
	let genesis = client.genesis_hash();
	let (digest, blob) = &setup.lie;
	let blob_hash = tokenfactory_primitives::compute::blake2_256(blob);
	let liars = [(dev::alice(), [1u8; 32]), (dev::bob(), [2u8; 32])];
	for (liar, salt) in &liars {
		let worker = account_of(liar);
		let commitment =
			ResultCommitment::new(genesis, job, &worker, *digest, blob_hash, *salt).hash();
		let call = ComputeCall::commit_result {
			job,
			worker,
			commitment,
			signature: worker_signature(liar, &CommitStatement::new(genesis, job, commitment)),
		};
		authorized(client, call).submit().await.context("a liar's commitment")?;
	}
	clock.log(format!(
		"job {job} submitted; Alice's and Bob's worker keys commit to the non-diabetics' mean \
		 before their nodes have evaluated it"
	));
	let record = wait_job(
		state,
		clock,
		job,
		&format!("job {job}'s results to open with the liars' commitments"),
		JOB_TIMEOUT,
		|record| {
			if let JobStatus::Refunded { reason } = &record.status {
				bail!(
					"job {job} was refunded ({reason:?}) before the lie opened: {}",
					summary(record)
				);
			}
			Ok(record.opened_at.is_some().then(|| record.clone()))
		},
	)
	.await?;
	for (liar, salt) in &liars {
		let worker = account_of(liar);
		let assignment = record.workers.iter().find(|a| a.worker == worker);
		let ours = ResultCommitment::new(genesis, job, &worker, *digest, blob_hash, *salt).hash();
		ensure!(
			assignment.is_some_and(|a| a.commitment == Some(ours)),
			"{}'s node committed before the lie did, so no lie was injected: {}",
			name(&worker),
			summary(&record)
		);
	}
	for (liar, salt) in &liars {
		let worker = account_of(liar);
		let call = ComputeCall::submit_result {
			job,
			worker,
			digest: *digest,
			result: bounded(blob)?,
			salt: *salt,
			signature: worker_signature(
				liar,
				&ResultStatement::new(genesis, job, *digest, blob_hash),
			),
		};
		authorized(client, call).submit().await.context("a liar's opening")?;
	}
	clock.log(format!("the liars open the lie; it is the majority of job {job}"));
	let reason = wait_job(
		state,
		clock,
		job,
		&format!("job {job} to be disputed by Dave's decryptor"),
		JOB_TIMEOUT,
		|record| match &record.status {
			JobStatus::Refunded { reason } => Ok(Some(*reason)),
			JobStatus::Revealed { .. } => {
				bail!("job {job}'s lie was revealed: {}", summary(record))
			}
			_ => Ok(None),
		},
	)
	.await?;
	ensure!(
		reason == RefundReason::Disputed,
		"job {job} was refunded for {reason:?}, not Disputed"
	);
	ensure!(
		escrow_of(state, &eve_id).await? == 0,
		"Eve's escrow is still held after job {job}'s dispute"
	);
	let free_after = free_balance(state, &eve_id).await?;
	ensure!(
		free_after <= free_before && free_before - free_after < PRICE,
		"Eve's free balance went from {free_before} to {free_after}: the refund of {PRICE} is missing"
	);
	let bonds_after = bonds(state, workers).await?;
	ensure!(
		bonds_after == bonds_before,
		"a bond changed although the owner refuted the majority: {bonds_before:?} -> {bonds_after:?}"
	);
	clock.log(format!(
		"job {job} disputed by Dave's decryptor (the agreed result is not the answer on his \
		 table): Eve refunded, nothing revealed, nobody slashed"
	));
	Ok(())
}

/// A lazy copier with Charlie's worker key (his `//Charlie` seed, as in his keystore), after
/// Alice's result of `job` is public: it commits to her digest, and it opens her digest as its
/// own. The pool (validating at the best block, as Alice's node does) refuses both: the results
/// are open, so nobody commits any more, and Charlie has no commitment to open.
async fn lazy_copier_is_refused(
	client: &Client,
	state: &State,
	clock: &Clock,
	job: JobId,
	record: &Job<Runtime>,
) -> Result<()> {
	use zombienet_sdk::subxt::tx::{TransactionInvalid, ValidationResult};
	let copier = dev::charlie();
	let charlie = account_of(&copier);
	let public = record
		.workers
		.iter()
		.find_map(|a| a.result)
		.ok_or_else(|| anyhow!("no result of job {job} is public yet"))?;
	let genesis = client.genesis_hash();
	let salt = [7u8; 32];
	let commitment =
		ResultCommitment::new(genesis, job, &charlie, public.digest, public.blob_hash, salt).hash();
	let commit = ComputeCall::commit_result {
		job,
		worker: charlie.clone(),
		commitment,
		signature: worker_signature(&copier, &CommitStatement::new(genesis, job, commitment)),
	};
	// The blob does not matter: the opening is refused before its hash is compared.
	let open = ComputeCall::submit_result {
		job,
		worker: charlie.clone(),
		digest: public.digest,
		result: Default::default(),
		salt,
		signature: worker_signature(
			&copier,
			&ResultStatement::new(genesis, job, public.digest, public.blob_hash),
		),
	};
	// Once the majority has opened too, Charlie has nothing left to do and the phase closes:
	// then both are refused as too late for the phase itself.
	use pallet_compute::Error;
	for (what, call, expected) in [
		(
			"commitment",
			commit,
			[Error::<Runtime>::CommitsClosed, Error::<Runtime>::ResultPhaseClosed],
		),
		("opening", open, [Error::<Runtime>::NotCommitted, Error::<Runtime>::ResultPhaseClosed]),
	] {
		let submittable = authorized(client, call);
		let (_, best) = state.best().await?;
		let validity = submittable.validate_at(best).await?;
		let code = match validity {
			ValidationResult::Invalid(TransactionInvalid::Custom(code)) => Some(code),
			_ => None,
		};
		let Some(refused) =
			expected.iter().find(|error| Some(codec::Encode::encode(*error)[0]) == code)
		else {
			bail!("the copier's {what} is not refused with {expected:?}: {validity:?}");
		};
		ensure!(
			submittable.submit().await.is_err(),
			"the node accepted the copier's {what} into its pool"
		);
		clock.log(format!("the copier's {what} of Alice's digest is refused: {refused:?}"));
	}
	Ok(())
}

async fn wait_job<T>(
	state: &State,
	clock: &Clock,
	job: JobId,
	what: &str,
	timeout: Duration,
	mut check: impl FnMut(&Job<Runtime>) -> Result<Option<T>>,
) -> Result<T> {
	let started = Instant::now();
	let mut last = String::new();
	loop {
		let (number, at) = state.best().await?;
		let record: Job<Runtime> = state
			.read(at, &Jobs::<Runtime>::hashed_key_for(job), "a job")
			.await?
			.ok_or_else(|| anyhow!("job {job} is not in state at #{number} (pruned?)"))?;
		let now = summary(&record);
		if now != last {
			clock.log(format!("#{number}: job {job} {now}"));
			last = now;
		}
		if let Some(value) = check(&record)? {
			clock.log(format!("{what}: after {:.0} s", started.elapsed().as_secs_f64()));
			return Ok(value);
		}
		if started.elapsed() > timeout {
			bail!(
				"timed out after {timeout:?} waiting for {what}; at #{number} job {job} is {last}"
			);
		}
		tokio::time::sleep(POLL).await;
	}
}

async fn read_job(state: &State, job: JobId) -> Result<Job<Runtime>> {
	state
		.read_best(&Jobs::<Runtime>::hashed_key_for(job), "a job")
		.await?
		.ok_or_else(|| anyhow!("job {job} is not in state"))
}

/// The bonds of `workers`, in order.
async fn bonds(state: &State, workers: &[AccountId]) -> Result<Vec<Balance>> {
	let (_, at) = state.best().await?;
	let mut bonds = Vec::with_capacity(workers.len());
	for worker in workers {
		let record: Worker<Runtime> = state
			.read(at, &Workers::<Runtime>::hashed_key_for(worker), "a worker")
			.await?
			.ok_or_else(|| anyhow!("{} is not a registered worker", name(worker)))?;
		bonds.push(record.bond);
	}
	Ok(bonds)
}

type AccountInfo = frame_system::AccountInfo<Nonce, pallet_balances::AccountData<Balance>>;
type Holds = Vec<IdAmount<RuntimeHoldReason, Balance>>;

fn job_escrow() -> RuntimeHoldReason {
	RuntimeHoldReason::Compute(pallet_compute::HoldReason::JobEscrow)
}

async fn free_balance(state: &State, account: &AccountId) -> Result<Balance> {
	let info: Option<AccountInfo> = state
		.read_best(&frame_system::Account::<Runtime>::hashed_key_for(account), "an account")
		.await?;
	Ok(info.map(|info| info.data.free).unwrap_or(0))
}

/// The bond behind key set `key_set`.
async fn key_set_bond(state: &State, key_set: u32) -> Result<Balance> {
	Ok(state
		.read_best(&KeySetBonds::<Runtime>::hashed_key_for(key_set), "a key set's bond")
		.await?
		.unwrap_or(0))
}

/// What `account` has held in job escrow.
async fn escrow_of(state: &State, account: &AccountId) -> Result<Balance> {
	let holds: Option<Holds> = state
		.read_best(&pallet_balances::Holds::<Runtime, ()>::hashed_key_for(account), "holds")
		.await?;
	let held: Balance = holds
		.unwrap_or_default()
		.iter()
		.filter(|hold| hold.id == job_escrow())
		.map(|hold| hold.amount)
		.sum();
	Ok(held)
}

/// The utility token's books at one block.
struct Ledger {
	/// `Balances::TotalIssuance`.
	issuance: Balance,
	/// The sum of every account's free and reserved (which includes held) balance.
	accounts: Balance,
	/// Everything held under `JobEscrow`.
	escrow: Balance,
}

impl Ledger {
	fn check(&self, when: &str) -> Result<()> {
		ensure!(
			self.accounts == self.issuance,
			"{when}: the accounts hold {} in total but the total issuance is {}",
			self.accounts,
			self.issuance
		);
		ensure!(self.escrow == 0, "{when}: {} is still held in job escrow", self.escrow);
		Ok(())
	}
}

async fn ledger(state: &State) -> Result<Ledger> {
	let (_, at) = state.best().await?;
	let issuance: Balance = state
		.read(
			at,
			&pallet_balances::TotalIssuance::<Runtime, ()>::hashed_key(),
			"the total issuance",
		)
		.await?
		.unwrap_or(0);
	let accounts: Vec<(Vec<u8>, AccountInfo)> = state
		.entries(at, &frame_system::Account::<Runtime>::final_prefix(), "System::Account")
		.await?;
	let mut total: Balance = 0;
	for (_, info) in &accounts {
		total = total
			.checked_add(info.data.free)
			.and_then(|total| total.checked_add(info.data.reserved))
			.ok_or_else(|| anyhow!("the sum of all balances overflows"))?;
	}
	let holds: Vec<(Vec<u8>, Holds)> = state
		.entries(at, &pallet_balances::Holds::<Runtime, ()>::final_prefix(), "Balances::Holds")
		.await?;
	let escrow: Balance = holds
		.iter()
		.flat_map(|(_, holds)| holds.iter())
		.filter(|hold| hold.id == job_escrow())
		.map(|hold| hold.amount)
		.sum();
	Ok(Ledger { issuance, accounts: total, escrow })
}

/// One line about a job: its phase, each worker's digest (or `c` for a commitment, `-` for
/// nothing), when its results opened, its deadlines.
fn summary(record: &Job<Runtime>) -> String {
	let results: Vec<String> = record
		.workers
		.iter()
		.map(|assignment| match (assignment.result, assignment.commitment) {
			(Some(result), _) => {
				format!("{}={}", name(&assignment.worker), hex_encode(&result.digest[..4]))
			}
			(None, Some(_)) => format!("{}=c", name(&assignment.worker)),
			(None, None) => format!("{}=-", name(&assignment.worker)),
		})
		.collect();
	format!(
		"{:?}, results {} (opened {:?}, commit deadline #{}, result deadline #{}{})",
		record.status.phase(),
		results.join(" "),
		record.opened_at,
		record.commit_deadline,
		record.result_deadline,
		if record.result_phase_open { "" } else { ", closed" }
	)
}

/// A development account's name.
fn name(account: &AccountId) -> String {
	[
		("alice", dev::alice()),
		("bob", dev::bob()),
		("charlie", dev::charlie()),
		("dave", dev::dave()),
		("eve", dev::eve()),
	]
	.iter()
	.find(|(_, keypair)| &account_of(keypair) == account)
	.map(|(name, _)| (*name).to_string())
	.unwrap_or_else(|| account.to_string())
}

/// The chain's largest upload.
fn max_chunk() -> usize {
	let bytes: u32 = <Runtime as pallet_data_registry::Config>::MaxChunkSize::get();
	bytes as usize
}

/// The key set's blobs in manifest order: the pieces of the server key, the public key, the CRS.
fn key_pieces(blobs: &PublicKeyBlobs) -> Vec<Vec<u8>> {
	dataset::key_set_pieces(blobs, max_chunk()).into_iter().map(|(_, bytes)| bytes).collect()
}

/// Checks that `manifest` describes `blobs` and that each fits one upload.
fn check_manifest(manifest: &[BlobEntry], blobs: &[&[u8]]) -> Result<()> {
	ensure!(
		manifest.len() == blobs.len(),
		"{} manifest entries for {} blobs",
		manifest.len(),
		blobs.len()
	);
	for (entry, blob) in manifest.iter().zip(blobs) {
		ensure!(
			entry.size == blob.len() as u64 && entry.hash == tokenfactory_fhe::blake2_256(blob),
			"manifest entry {entry:?} does not describe its blob"
		);
		ensure!(
			blob.len() <= max_chunk(),
			"the {:?} blob is {} bytes, above the chain's {}-byte upload: the registry cannot take it",
			entry.kind,
			blob.len(),
			max_chunk()
		);
	}
	Ok(())
}

/// A manifest entry of the FHE engine as the registry takes it (the kinds map one to one).
fn blob_spec(entry: &BlobEntry) -> Result<BlobSpec> {
	use tokenfactory_fhe::dataset::BlobKind as Engine;
	Ok(BlobSpec {
		kind: match entry.kind {
			Engine::ServerKeyChunk => BlobKind::ServerKeyChunk,
			Engine::PublicKey => BlobKind::PublicKey,
			Engine::ProofParameters => BlobKind::ProofParameters,
			Engine::Ciphertexts => BlobKind::Ciphertexts,
		},
		size: u32::try_from(entry.size).context("a blob above 4 GiB")?,
		hash: entry.hash,
	})
}

/// `Mean(systolic) where diabetic == 1`, with no cohort minimum of its own (the dataset's
/// applies).
fn mean_systolic_where_diabetic(schema: &Schema, diabetic: u32) -> Result<Query> {
	let column = |name: &str| {
		schema.column_index(name).ok_or_else(|| anyhow!("the schema has no column {name}"))
	};
	Ok(Query {
		program: Program::Mean { column: column("systolic")? },
		filter: BoundedList::new(vec![Predicate {
			column: column("diabetic")?,
			op: CompareOp::Eq,
			constant: diabetic,
		}])
		.map_err(|_| anyhow!("too many predicates"))?,
		min_cohort: 0,
	})
}

/// The circuit shape the runtime will pick for `query` on the table: the smallest one with a
/// (development) verifying key that holds the result's blocks.
fn circuit_blocks(query: &Query, widths: &[ColumnWidth], rows: usize) -> Result<u32> {
	let gated = Query { min_cohort: query.min_cohort.max(MIN_COHORT), ..query.clone() };
	let layout = gated
		.validate(widths, rows as u64)
		.map_err(|error| anyhow!("the query does not validate: {error:?}"))?;
	let blocks = result_blocks(&layout);
	DEV_VERIFYING_KEYS
		.iter()
		.map(|(circuit, _)| *circuit)
		.filter(|circuit| *circuit >= blocks)
		.min()
		.ok_or_else(|| anyhow!("no development circuit holds a {blocks}-block result"))
}

/// Where the decryptor's proving keys live: the node's default, or the scratch directory.
fn proving_key_dir(scratch: &Path) -> PathBuf {
	std::env::var_os("HOME")
		.map(|home| PathBuf::from(home).join(".cache/tokenfactory/zk"))
		.unwrap_or_else(|| scratch.join("zk"))
}

/// The patient table as CSV: pseudo-random ages and systolic pressures (fixed seed), every
/// third patient diabetic (three of eight, above the cohort minimum of two).
fn patient_table() -> String {
	let mut csv = String::from("age,systolic,diabetic\n");
	let mut state: u64 = 0x5EED_0004_C0DE_2025;
	for row in 0..ROWS {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		let age = 30 + state % 50;
		let systolic = 100 + (state >> 16) % 80;
		let diabetic = u8::from(row % 3 == 0);
		csv.push_str(&format!("{age},{systolic},{diabetic}\n"));
	}
	csv
}
