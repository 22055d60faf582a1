//! FRAME benchmarks (v2) of every call, the two authorizations and the deadline handlers.

use super::*;
use crate::pallet::{
	ActiveWorkers, Assignments, AwaitingReveal, Call, Config, Jobs, NextJobId, Pallet,
	ReplicationFactor, VerifyingKeys, Workers,
};
use alloc::vec;
use alloc::vec::Vec;
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::TransactionSource,
	traits::{fungible::Mutate, Authorize, Get},
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::{Bounded, Saturating};
use tokenfactory_primitives::{
	compute::{
		DecryptorKey, FieldBytes, JobId, Payment, RefundReason, ResultCommitment, ResultStatement,
		RevealStatement, WorkerKey, WorkerKeyProof, WORKER_KEY_TYPE,
	},
	programs::{BoundedList, Program, Query},
};

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
	who
}

/// The benchmark decryptor's key (in the benchmark keystore, under the worker key type).
fn decryptor_key() -> DecryptorKey {
	sp_io::crypto::sr25519_generate(WORKER_KEY_TYPE, Some(b"//bench-decryptor".to_vec()))
}

fn worker_key(index: u32) -> WorkerKey {
	sp_io::crypto::sr25519_generate(
		WORKER_KEY_TYPE,
		Some(alloc::format!("//bench-worker-{index}").into_bytes()),
	)
}

/// `n` more active workers (fewer if the active set would overflow, e.g. with genesis workers),
/// each with a generated key in the benchmark keystore.
fn workers<T: Config>(n: u32) -> Vec<(T::AccountId, WorkerKey)> {
	let room = T::MaxWorkers::get().saturating_sub(ActiveWorkers::<T>::get().len() as u32);
	(0..n.min(room))
		.map(|index| {
			let who = funded::<T>("worker", index);
			let key = worker_key(index);
			let bond = T::MinWorkerBond::get().saturating_mul(10u32.into());
			assert!(
				Pallet::<T>::do_register_worker(who.clone(), key, bond, None).is_ok(),
				"register"
			);
			(who, key)
		})
		.collect()
}

fn mean_query() -> Query {
	Query { program: Program::Mean { column: 0 }, filter: BoundedList::empty(), min_cohort: 0 }
}

fn wide_verifying_keys<T: Config>() {
	let (key, blocks, _, _) = T::BenchmarkHelper::valid_reveal();
	let key: VerifyingKeyOf<T> = key.try_into().unwrap_or_default();
	// Every shape from the helper's up to the limit, so any small result has a circuit.
	for offset in 0..T::MaxCircuits::get() {
		VerifyingKeys::<T>::insert(blocks.saturating_add(offset * 8), key.clone());
	}
}

/// A submitted job with `k` workers assigned among `workers`.
fn job<T: Config>(k: u32, workers: u32) -> (JobId, Vec<(T::AccountId, WorkerKey)>) {
	let active = self::workers::<T>(workers);
	// Only the benchmark's own workers, whose keys are in the benchmark keystore (a chain's
	// genesis workers are not).
	let accounts: Vec<T::AccountId> = active.iter().map(|(who, _)| who.clone()).collect();
	ActiveWorkers::<T>::put(frame_support::BoundedVec::truncate_from(accounts));
	ReplicationFactor::<T>::put(k);
	wide_verifying_keys::<T>();
	let owner = funded::<T>("owner", 0);
	let dataset = T::BenchmarkHelper::active_dataset(&owner, decryptor_key());
	let consumer = funded::<T>("consumer", 0);
	let id =
		Pallet::<T>::do_submit_job(consumer, dataset, mean_query(), Payment::FreeBalance, [7; 32])
			.unwrap_or_else(|error| panic!("benchmark job: {error:?}"));
	// Its workers are drawn after the next block's inherents.
	Pallet::<T>::assign_queued();
	(id, active)
}

fn signed_result<T: Config>(
	job: JobId,
	key: &WorkerKey,
	digest: FieldBytes,
	blob: &[u8],
) -> tokenfactory_primitives::compute::WorkerSignature {
	let statement = ResultStatement::new(
		Pallet::<T>::genesis_hash(),
		job,
		digest,
		sp_io::hashing::blake2_256(blob),
	);
	statement
		.using_encoded(|payload| sp_io::crypto::sr25519_sign(WORKER_KEY_TYPE, key, payload))
		.unwrap_or_else(|| panic!("benchmark keystore signs"))
}

/// The salt of every benchmark commitment.
const SALT: [u8; 32] = [5; 32];

/// Commits `worker` to `digest` and `blob` for `job` (the last commitment opens the results).
fn commit<T: Config>(job: JobId, worker: &T::AccountId, digest: FieldBytes, blob: &[u8]) {
	let commitment = ResultCommitment::new(
		Pallet::<T>::genesis_hash(),
		job,
		worker,
		digest,
		sp_io::hashing::blake2_256(blob),
		SALT,
	)
	.hash();
	assert!(Pallet::<T>::do_commit_result(job, worker.clone(), commitment).is_ok(), "commit");
}

/// Commits every worker of `job` to `[1; 32]` and an 8-byte blob, then opens each: the job
/// awaits its reveal.
fn agree<T: Config>(job: JobId) {
	let assigned: Vec<T::AccountId> = Jobs::<T>::get(job)
		.map(|job| job.workers.iter().map(|a| a.worker.clone()).collect())
		.unwrap_or_default();
	for worker in &assigned {
		commit::<T>(job, worker, [1; 32], &[1; 8]);
	}
	for worker in assigned {
		assert!(Pallet::<T>::do_submit_result(job, worker, [1; 32], vec![1; 8], SALT).is_ok());
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_worker() {
		let who = funded::<T>("worker", 0);
		let key = worker_key(0);
		let bond = T::MinWorkerBond::get();
		let proof = WorkerKeyProof::new(Pallet::<T>::genesis_hash(), &who)
			.using_encoded(|payload| sp_io::crypto::sr25519_sign(WORKER_KEY_TYPE, &key, payload))
			.unwrap_or_else(|| panic!("benchmark keystore signs"));
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), key, bond, proof);
		assert!(Workers::<T>::contains_key(&who));
	}

	#[benchmark]
	fn bond_extra() {
		let (who, _) = workers::<T>(1).remove(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), T::MinWorkerBond::get());
		assert!(Workers::<T>::get(&who).is_some());
	}

	#[benchmark]
	fn unbond() {
		let (who, _) = workers::<T>(T::MaxWorkers::get()).remove(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!ActiveWorkers::<T>::get().contains(&who));
	}

	#[benchmark]
	fn withdraw() {
		let (who, _) = workers::<T>(1).remove(0);
		assert!(Pallet::<T>::do_unbond(who.clone()).is_ok());
		frame_system::Pallet::<T>::set_block_number(
			frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingDelay::get()),
		);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Workers::<T>::contains_key(&who));
	}

	#[benchmark]
	fn submit_job(n: Linear<1, { T::MaxWorkers::get() }>, k: Linear<1, { T::MaxReplicas::get() }>) {
		let n = n.max(k);
		let _ = workers::<T>(n);
		ReplicationFactor::<T>::put(k);
		wide_verifying_keys::<T>();
		let owner = funded::<T>("owner", 0);
		let dataset = T::BenchmarkHelper::active_dataset(&owner, decryptor_key());
		let consumer = funded::<T>("consumer", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(consumer), dataset, mean_query(), Payment::FreeBalance, [7; 32]);
		assert!(Jobs::<T>::contains_key(0));
	}

	// The draw of one queued job's workers, in the block after its submission.
	#[benchmark]
	fn assign_job(n: Linear<1, { T::MaxWorkers::get() }>, k: Linear<1, { T::MaxReplicas::get() }>) {
		let n = n.max(k);
		let _ = workers::<T>(n);
		ReplicationFactor::<T>::put(k);
		wide_verifying_keys::<T>();
		let owner = funded::<T>("owner", 0);
		let dataset = T::BenchmarkHelper::active_dataset(&owner, decryptor_key());
		let consumer = funded::<T>("consumer", 0);
		let id = Pallet::<T>::do_submit_job(
			consumer,
			dataset,
			mean_query(),
			Payment::FreeBalance,
			[7; 32],
		)
		.unwrap_or_else(|error| panic!("benchmark job: {error:?}"));
		#[block]
		{
			Pallet::<T>::assign_queued();
		}
		assert!(Jobs::<T>::get(id).is_some_and(|job| job.workers.len() == k as usize));
	}

	// The submission that makes the majority and slashes the minority: the worst case.
	#[benchmark]
	fn submit_result(
		k: Linear<1, { T::MaxReplicas::get() }>,
		b: Linear<1, { T::MaxResultSize::get() }>,
	) {
		let (id, active) = job::<T>(k, k);
		let assigned: Vec<T::AccountId> = Jobs::<T>::get(id)
			.map(|job| job.workers.iter().map(|a| a.worker.clone()).collect())
			.unwrap_or_default();
		let majority = (k / 2 + 1) as usize;
		let blob = vec![1u8; b as usize];
		// Everyone commits (the results open); those before the deciding one open theirs: all
		// but one agree, and the rest disagree.
		let digest_of = |position: usize| if position < majority { [1; 32] } else { [2; 32] };
		for (position, worker) in assigned.iter().enumerate() {
			if position == 0 {
				commit::<T>(id, worker, [1; 32], &blob);
			} else {
				commit::<T>(id, worker, digest_of(position), &[position as u8; 8]);
			}
		}
		for (position, worker) in assigned.iter().enumerate().skip(1) {
			assert!(Pallet::<T>::do_submit_result(
				id,
				worker.clone(),
				digest_of(position),
				vec![position as u8; 8],
				SALT
			)
			.is_ok());
		}
		let decider = assigned[0].clone();
		let key = active
			.iter()
			.find(|(who, _)| who == &decider)
			.map(|(_, key)| *key)
			.unwrap_or(worker_key(0));
		let signature = signed_result::<T>(id, &key, [1; 32], &blob);
		let blob: ResultBlobOf<T> = blob.try_into().unwrap_or_default();
		#[extrinsic_call]
		_(RawOrigin::Authorized, id, decider, [1; 32], blob, SALT, signature);
		assert!(
			Jobs::<T>::get(id).is_some_and(|job| !matches!(job.status, JobStatus::Computing))
				|| k == 2
		);
	}

	#[benchmark]
	fn authorize_submit_result(
		b: Linear<1, { T::MaxResultSize::get() }>,
	) -> Result<(), BenchmarkError> {
		let (id, active) = job::<T>(1, 1);
		let (worker, key) = active.first().cloned().ok_or("a benchmark worker")?;
		let blob = vec![1u8; b as usize];
		commit::<T>(id, &worker, [1; 32], &blob);
		let signature = signed_result::<T>(id, &key, [1; 32], &blob);
		let call = Call::<T>::submit_result {
			job: id,
			worker,
			digest: [1; 32],
			result: blob.try_into().unwrap_or_default(),
			salt: SALT,
			signature,
		};
		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or("submit_result is an authorized call")?
				.map_err(|_| "the result is authorized")?;
		}
		Ok(())
	}

	#[benchmark]
	fn reveal(k: Linear<1, { T::MaxReplicas::get() }>) {
		let (id, _) = job::<T>(k, k);
		agree::<T>(id);
		#[extrinsic_call]
		_(
			RawOrigin::Authorized,
			id,
			[42; 32],
			vec![0u8; T::MaxSealedSize::get() as usize].try_into().unwrap_or_default(),
			Default::default(),
		);
		assert!(
			Jobs::<T>::get(id).is_some_and(|job| matches!(job.status, JobStatus::Revealed { .. }))
		);
	}

	#[benchmark]
	fn authorize_reveal() -> Result<(), BenchmarkError> {
		let (key, blocks, statement, proof) = T::BenchmarkHelper::valid_reveal();
		let (id, _) = job::<T>(1, 1);
		// Put the job where the helper's statement is true: its id, key and agreed digest.
		let mut record = Jobs::<T>::take(id).ok_or("job")?;
		record.key_commitment = statement.key_commitment;
		record.circuit_blocks = blocks;
		record.status = JobStatus::AwaitingReveal {
			digest: statement.ciphertext_digest,
			reveal_deadline: BlockNumberFor::<T>::max_value(),
		};
		Jobs::<T>::insert(statement.job_id, record);
		AwaitingReveal::<T>::insert(statement.job_id, ());
		NextJobId::<T>::put(statement.job_id.saturating_add(1));
		VerifyingKeys::<T>::insert(
			blocks,
			VerifyingKeyOf::<T>::try_from(key).map_err(|_| "key size")?,
		);
		let sealed: SealedOf<T> = Default::default();
		let consumer_key = Jobs::<T>::get(statement.job_id).ok_or("job")?.consumer_key;
		let signature = RevealStatement::new(
			Pallet::<T>::genesis_hash(),
			statement.job_id,
			statement.result_commitment,
			&sealed,
			&proof,
			consumer_key,
		)
		.using_encoded(|payload| {
			sp_io::crypto::sr25519_sign(WORKER_KEY_TYPE, &decryptor_key(), payload)
		})
		.ok_or("benchmark keystore signs")?;
		let call = Call::<T>::reveal {
			job: statement.job_id,
			result_commitment: statement.result_commitment,
			sealed,
			proof: proof.try_into().map_err(|_| "proof size")?,
			signature,
		};
		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or("reveal is an authorized call")?
				.map_err(|_| "the proof verifies")?;
		}
		Ok(())
	}

	#[benchmark]
	fn set_verifying_key() {
		let (key, _, _, _) = T::BenchmarkHelper::valid_reveal();
		let key: VerifyingKeyOf<T> = key.try_into().unwrap_or_default();
		#[extrinsic_call]
		_(RawOrigin::Root, 65, Some(key));
		assert!(VerifyingKeys::<T>::contains_key(65));
	}

	#[benchmark]
	fn set_replication_factor() {
		#[extrinsic_call]
		_(RawOrigin::Root, 1);
		assert_eq!(ReplicationFactor::<T>::get(), 1);
	}

	// Every worker absent: all slashed, the consumer refunded.
	#[benchmark]
	fn on_result_deadline(k: Linear<1, { T::MaxReplicas::get() }>) {
		let (id, _) = job::<T>(k, k);
		#[block]
		{
			Pallet::<T>::on_result_deadline(id);
		}
		assert!(Jobs::<T>::get(id).is_some_and(|job| !job.result_phase_open));
	}

	#[benchmark]
	fn on_reveal_deadline() {
		let (id, _) = job::<T>(1, 1);
		agree::<T>(id);
		#[block]
		{
			Pallet::<T>::on_reveal_deadline(id);
		}
		assert!(!AwaitingReveal::<T>::contains_key(id));
	}

	// The worst case: the seal opens (X25519, HKDF, ChaCha20-Poly1305) to the most digits an
	// opening may carry (or the sealed bound allows), whose Poseidon commitment (the
	// parameters generated, then up to 20 hashes) is not the proven one; the owner's bond pays.
	#[benchmark]
	fn complain() -> Result<(), BenchmarkError> {
		use tokenfactory_primitives::seal;
		let (id, _) = job::<T>(1, 1);
		agree::<T>(id);
		let secret = [9u8; 32];
		// As many digits as an opening may carry and the sealed bound holds (88 bytes of a
		// seal are its header, tag, count and blinding).
		let digits =
			seal::MAX_DIGITS.min((T::MaxSealedSize::get() as usize).saturating_sub(88) / 8);
		let opening = seal::Opening {
			digits: vec![3; digits],
			blinding: seal::fr_from_bytes(&[1; 32]).ok_or("blinding")?,
		};
		let sealed = seal::seal(&seal::sealing_public(&secret), id, &opening, &[4; 32])
			.map_err(|_| "seal")?;
		let mut record = Jobs::<T>::get(id).ok_or("job")?;
		record.consumer_key = seal::sealing_public(&secret);
		Jobs::<T>::insert(id, record);
		Pallet::<T>::do_reveal(id, [0; 32], sealed.try_into().map_err(|_| "sealed size")?)
			.map_err(|_| "reveal")?;
		#[extrinsic_call]
		_(RawOrigin::Signed(funded::<T>("anyone", 0)), id, secret);
		assert!(Jobs::<T>::get(id).is_some_and(|job| matches!(
			job.status,
			JobStatus::Refunded { reason: RefundReason::SealRefuted }
		)));
		Ok(())
	}

	#[benchmark]
	fn prune_job() {
		let (id, _) = job::<T>(1, 1);
		Pallet::<T>::on_result_deadline(id);
		#[block]
		{
			Pallet::<T>::prune(id);
		}
		assert!(!Jobs::<T>::contains_key(id));
		assert!(Assignments::<T>::iter().next().is_none());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
