//! The off-chain worker: workers evaluate their jobs, decryptors reveal their owners' results.
//!
//! Nothing here blocks for the length of a job. Each block, the worker asks the node's executor
//! ([`tokenfactory_executor`]) where each of its tasks stands: unknown tasks are submitted,
//! finished ones are turned into authorized transactions: first a commitment to the result
//! (with a fresh secret salt, kept with the task), then, once the job's results are open, the
//! result itself, opening that commitment. Progress lives in the node's
//! persistent offchain storage (finished outputs and when each transaction went out), so a
//! restarted node resubmits what it lost and never sends a transaction twice within
//! [`RESEND_AFTER`] blocks; the chain itself (a submitted result leaves [`Assignments`], a
//! reveal leaves [`AwaitingReveal`]) and the pool's `provides` tags do the rest.
//!
//! Every task, here and in the executor, is keyed by the hash of its request
//! ([`TaskId`]), never by the job id alone: after a reorg, a job that took another's id is a
//! different task and never gets the other's output. A task that failed is retried less and
//! less often (after [`RETRY_FAILED_AFTER`] blocks, then twice as long each time, up to
//! [`MAX_RETRY_WAIT`]), and never past the job's own life: its progress is forgotten once the
//! job no longer needs this node (result submitted or phase closed, revealed, refunded).

use crate::*;
use alloc::vec::Vec;
use codec::{Decode, Encode};
use frame_system::{offchain::SubmitTransaction, pallet_prelude::BlockNumberFor};
use sp_runtime::{
	offchain::{
		storage::StorageValueRef,
		storage_lock::{StorageLock, Time},
	},
	traits::UniqueSaturatedInto,
};
use tokenfactory_primitives::{
	compute::{CommitStatement, ResultCommitment, ResultStatement, WORKER_KEY_TYPE},
	datasets::{blob_offchain_key, BlobKind, BlobTarget, DataCatalog},
	executor::{
		tokenfactory_executor, BlobRef, EvalOutput, EvalRequest, ExecutorError, KeySetBlobs,
		RevealOutput, RevealRequest, TaskId, TaskStatus,
	},
};

/// Blocks after which a transaction that has not taken effect is sent again.
pub const RESEND_AFTER: u32 = 10;
/// Blocks after which a failed task is tried again.
pub const RETRY_FAILED_AFTER: u32 = 10;
/// The longest wait between two tries of a failing task.
pub const MAX_RETRY_WAIT: u32 = 320;

/// Blocks to wait after the `failures`-th failure before trying again.
pub fn retry_wait(failures: u8) -> u32 {
	RETRY_FAILED_AFTER
		.saturating_mul(1u32 << u32::from(failures.saturating_sub(1)).min(16))
		.min(MAX_RETRY_WAIT)
}
/// The most jobs with local progress a node keeps track of (older entries are forgotten).
const MAX_LOCAL_JOBS: usize = 1024;

/// The persistent-storage key of the lock that makes off-chain worker runs one at a time.
const LOCK_KEY: &[u8] = b"tokenfactory/ocw/lock";
/// How long a run may hold the lock before another may take it (a run takes milliseconds).
const LOCK_DEADLINE_MS: u64 = 20_000;

/// The prefix of this pallet's keys in the node's persistent offchain storage.
const LOCAL_PREFIX: &[u8] = b"tokenfactory/ocw/";

/// What a node remembers of one task.
#[derive(Encode, Decode)]
struct LocalTask<Output> {
	/// The finished output, once the executor delivered it.
	output: Option<Output>,
	/// The secret salt of this node's commitment to the output (evaluations only).
	salt: Option<[u8; 32]>,
	/// The block the commitment last went out at (evaluations only).
	committed_at: Option<u32>,
	/// The block the transaction (the opening, for an evaluation) last went out at.
	sent_at: Option<u32>,
	/// The block the executor last reported a failure at.
	failed_at: Option<u32>,
	/// How many times the executor failed it.
	failures: u8,
}

impl<Output> Default for LocalTask<Output> {
	fn default() -> Self {
		Self {
			output: None,
			salt: None,
			committed_at: None,
			sent_at: None,
			failed_at: None,
			failures: 0,
		}
	}
}

fn local_key(kind: &[u8], task: &TaskId) -> Vec<u8> {
	let mut key = LOCAL_PREFIX.to_vec();
	key.extend_from_slice(kind);
	key.extend_from_slice(task);
	key
}

type JobIdOf = tokenfactory_primitives::compute::JobId;

/// Which local task a key is for.
const EVAL: &[u8] = b"eval/";
const REVEAL: &[u8] = b"reveal/";
const INDEX: &[u8] = b"index";

impl<T: Config> Pallet<T> {
	/// The off-chain worker's entry point (see the module doc).
	pub(crate) fn run_offchain_worker(now: BlockNumberFor<T>) {
		if !tokenfactory_executor::is_available() {
			return;
		}
		// One run at a time: the node also runs off-chain workers when the executor finishes a
		// task, and two runs must not both pick a salt for the same commitment.
		let mut lock = StorageLock::<Time>::with_deadline(
			LOCK_KEY,
			sp_runtime::offchain::Duration::from_millis(LOCK_DEADLINE_MS),
		);
		let Ok(_guard) = lock.try_lock() else {
			log::debug!(target: LOG_TARGET, "another off-chain worker run is in progress");
			return;
		};
		let now: u32 = now.unique_saturated_into();
		let mut touched: Vec<(Vec<u8>, TaskId)> = Vec::new();
		Self::work_as_worker(now, &mut touched);
		Self::work_as_decryptor(now, &mut touched);
		Self::forget_finished(&touched);
	}

	/// Evaluates and submits the results this node's worker keys owe.
	fn work_as_worker(now: u32, touched: &mut Vec<(Vec<u8>, TaskId)>) {
		for key in sp_io::crypto::sr25519_public_keys(WORKER_KEY_TYPE) {
			let Some(worker) = WorkerKeys::<T>::get(key) else { continue };
			// Oldest first: the executor runs them in the order their deadlines fall.
			let mut jobs: Vec<JobIdOf> = Assignments::<T>::iter_key_prefix(&worker).collect();
			jobs.sort_unstable();
			// A job waiting for the next block's draw, when that draw cannot leave this worker
			// out (every worker with room is drawn) and it owes nothing else (so its room is
			// the whole `MaxOpenJobsPerWorker`): its evaluation
			// starts now, so the block the draw waits for costs no time. It commits only once
			// assigned (the request, hence the task, is the same); if the draw goes otherwise
			// after all (a deadline freed another worker), the result is forgotten unused.
			if jobs.is_empty() && Self::surely_drawn(&worker) {
				// The draw goes in id order and fills this worker's room: the first ones.
				let room =
					<T::MaxOpenJobsPerWorker as frame_support::traits::Get<u32>>::get() as usize;
				jobs.extend(Unassigned::<T>::get().into_iter().take(room));
			}
			for job in jobs {
				let Some(record) = Jobs::<T>::get(job) else { continue };
				let Some(request) = Self::evaluation_request(job, &record) else { continue };
				let id = request.task_id();
				touched.push((EVAL.to_vec(), id));
				Self::work_on_evaluation(now, job, &record, id, request, &worker, &key);
			}
		}
	}

	/// Whether the next draw assigns `worker` to every queued job as things stand: the
	/// workers with room are exactly the replication factor's number, `worker` among them.
	fn surely_drawn(worker: &T::AccountId) -> bool {
		!Unassigned::<T>::get().is_empty()
			&& Self::candidates().is_ok_and(|candidates| {
				candidates.len() == ReplicationFactor::<T>::get() as usize
					&& candidates.contains(worker)
			})
	}

	/// Moves this node's evaluation of `job` on: the executor's output, then a commitment to
	/// it, then (once the results are open) its opening.
	fn work_on_evaluation(
		now: u32,
		job: JobIdOf,
		record: &Job<T>,
		id: TaskId,
		request: EvalRequest,
		worker: &T::AccountId,
		key: &tokenfactory_primitives::compute::WorkerKey,
	) {
		let storage_key = local_key(EVAL, &id);
		let store = StorageValueRef::persistent(&storage_key);
		let mut task: LocalTask<EvalOutput> = store.get().ok().flatten().unwrap_or_default();
		let Some(output) =
			Self::poll(now, job, id, &mut task, tokenfactory_executor::evaluation_status, || {
				tokenfactory_executor::submit_evaluation(request)
			})
		else {
			store.set(&task);
			return;
		};
		let Some(assignment) = record.workers.iter().find(|a| &a.worker == worker) else {
			return;
		};
		let blob_hash = sp_io::hashing::blake2_256(&output.result);
		// Never commit to a result the chain would not take: its opening would fail.
		let Ok(result) = ResultBlobOf::<T>::try_from(output.result.clone()) else {
			log::error!(target: LOG_TARGET, "job {job}: the result exceeds MaxResultSize");
			store.set(&task);
			return;
		};
		let salt = *task.salt.get_or_insert_with(sp_io::offchain::random_seed);
		let commitment = ResultCommitment::new(
			Self::genesis_hash(),
			job,
			worker,
			output.digest,
			blob_hash,
			salt,
		)
		.hash();
		let (call, what) = match (record.results_open(), assignment.commitment) {
			// Committed, and the others have not all (nor has the commit deadline passed); or
			// the results opened without this node's commitment: it is out of the job.
			(false, Some(_)) | (true, None) => {
				store.set(&task);
				return;
			}
			(false, None) if record.committed().saturating_add(1) < record.workers.len() => {
				if task.committed_at.is_some_and(|sent| now < sent.saturating_add(RESEND_AFTER)) {
					store.set(&task);
					return;
				}
				let statement = CommitStatement::new(Self::genesis_hash(), job, commitment);
				let Some(signature) = Self::sign(job, key, statement) else { return };
				task.committed_at = Some(now);
				(
					Call::<T>::commit_result { job, worker: worker.clone(), commitment, signature },
					"commitment",
				)
			}
			// The results are open, or this node's commitment would open them: the last
			// worker to commit opens at once.
			(_, committed) => {
				if committed.is_some_and(|committed| committed != commitment) {
					log::error!(
						target: LOG_TARGET,
						"job {job}: the commitment on chain is not to this node's result (its salt \
						 was lost): it cannot be opened"
					);
					store.set(&task);
					return;
				}
				if task.sent_at.is_some_and(|sent| now < sent.saturating_add(RESEND_AFTER)) {
					store.set(&task);
					return;
				}
				let statement =
					ResultStatement::new(Self::genesis_hash(), job, output.digest, blob_hash);
				let Some(signature) = Self::sign(job, key, statement) else { return };
				task.sent_at = Some(now);
				(
					Call::<T>::submit_result {
						job,
						worker: worker.clone(),
						digest: output.digest,
						result,
						salt,
						signature,
					},
					"result",
				)
			}
		};
		// Kept before the transaction goes out: a commitment must never lose its salt.
		store.set(&task);
		Self::send(job, what, call);
	}

	/// `statement` signed with the worker key `key` from the node's keystore.
	fn sign(
		job: JobIdOf,
		key: &tokenfactory_primitives::compute::WorkerKey,
		statement: impl Encode,
	) -> Option<tokenfactory_primitives::compute::WorkerSignature> {
		let signature = statement
			.using_encoded(|payload| sp_io::crypto::sr25519_sign(WORKER_KEY_TYPE, key, payload));
		if signature.is_none() {
			log::error!(target: LOG_TARGET, "job {job}: the keystore cannot sign with the worker key");
		}
		signature
	}

	/// The executor's request for `job`, from the job and the registry's manifests.
	fn evaluation_request(job: JobIdOf, record: &Job<T>) -> Option<EvalRequest> {
		let key_set_target = BlobTarget::KeySet(record.key_set);
		let mut server_key = Vec::new();
		let mut public_key = Vec::new();
		let mut proof_parameters = Vec::new();
		for (index, info) in T::Catalog::manifest(key_set_target).into_iter().enumerate() {
			let blob = BlobRef {
				key: blob_offchain_key(key_set_target, index as u32),
				hash: info.spec.hash,
				size: info.spec.size,
			};
			match info.spec.kind {
				BlobKind::ServerKeyChunk => server_key.push(blob),
				BlobKind::PublicKey => public_key.push(blob),
				BlobKind::ProofParameters => proof_parameters.push(blob),
				BlobKind::Ciphertexts => {}
			}
		}
		let dataset_target = BlobTarget::Dataset(record.dataset);
		let chunks = T::Catalog::manifest(dataset_target)
			.into_iter()
			.enumerate()
			.map(|(index, info)| BlobRef {
				key: blob_offchain_key(dataset_target, index as u32),
				hash: info.spec.hash,
				size: info.spec.size,
			})
			.collect();
		if server_key.is_empty() || public_key.is_empty() || proof_parameters.is_empty() {
			log::error!(target: LOG_TARGET, "job {job}: key set {} lacks key material", record.key_set);
			return None;
		}
		Some(EvalRequest {
			job,
			key_set: KeySetBlobs { id: record.key_set, server_key, public_key, proof_parameters },
			dataset: record.dataset,
			widths: record.schema.to_vec(),
			rows: record.rows,
			chunks,
			query: record.query.clone(),
		})
	}

	/// Reveals the jobs awaiting a reveal that this node's decryption keys can decrypt.
	fn work_as_decryptor(now: u32, touched: &mut Vec<(Vec<u8>, TaskId)>) {
		let keys = tokenfactory_executor::decryption_keys();
		if keys.is_empty() {
			return;
		}
		for (job, ()) in AwaitingReveal::<T>::iter() {
			let Some(record) = Jobs::<T>::get(job) else { continue };
			if !keys.contains(&record.key_commitment) {
				continue;
			}
			let Some(request) = Self::reveal_request(job, &record) else { continue };
			let id = request.task_id();
			touched.push((REVEAL.to_vec(), id));
			Self::work_on_reveal(now, job, id, request);
		}
	}

	/// The decryptor's request for `job`, awaiting its reveal.
	fn reveal_request(job: JobIdOf, record: &Job<T>) -> Option<RevealRequest> {
		let JobStatus::AwaitingReveal { digest, .. } = record.status else { return None };
		let results = record
			.workers
			.iter()
			.filter_map(|assignment| assignment.result)
			.filter(|result| result.digest == digest)
			.map(|result| BlobRef {
				key: tokenfactory_primitives::compute::result_offchain_key(job, &result.blob_hash),
				hash: result.blob_hash,
				size: 0,
			})
			.collect();
		Some(RevealRequest {
			job,
			key_commitment: record.key_commitment,
			digest,
			results,
			circuit_blocks: record.circuit_blocks,
			consumer_key: record.consumer_key,
			genesis_hash: Self::genesis_bytes(),
			dataset: record.dataset,
			widths: record.schema.to_vec(),
			rows: record.rows,
			query: record.query.clone(),
		})
	}

	fn work_on_reveal(now: u32, job: JobIdOf, id: TaskId, request: RevealRequest) {
		let storage_key = local_key(REVEAL, &id);
		let store = StorageValueRef::persistent(&storage_key);
		let mut task: LocalTask<RevealOutput> = store.get().ok().flatten().unwrap_or_default();
		let Some(output) =
			Self::poll(now, job, id, &mut task, tokenfactory_executor::reveal_status, || {
				tokenfactory_executor::submit_reveal(request)
			})
		else {
			store.set(&task);
			return;
		};
		if task.sent_at.is_some_and(|sent| now < sent.saturating_add(RESEND_AFTER)) {
			store.set(&task);
			return;
		}
		let (call, what) = match output {
			RevealOutput::Revealed { result_commitment, sealed, proof, signature } => {
				let (Ok(sealed), Ok(proof)) =
					(SealedOf::<T>::try_from(sealed), ProofOf::<T>::try_from(proof))
				else {
					log::error!(target: LOG_TARGET, "job {job}: the reveal exceeds the chain's size limits");
					return;
				};
				let signature =
					tokenfactory_primitives::compute::DecryptorSignature::from_raw(signature);
				(Call::<T>::reveal { job, result_commitment, sealed, proof, signature }, "reveal")
			}
			RevealOutput::Disputed { signature } => {
				log::error!(
					target: LOG_TARGET,
					"job {job}: the agreed result is NOT the query's answer on the owner's data: \
					 nothing revealed, disputing"
				);
				let signature =
					tokenfactory_primitives::compute::DecryptorSignature::from_raw(signature);
				(Call::<T>::dispute { job, signature }, "dispute")
			}
		};
		Self::send(job, what, call);
		task.sent_at = Some(now);
		store.set(&task);
	}

	/// Moves a task on: returns its output once there is one (remembered locally), submits it
	/// to the executor when the executor does not know it, retries failures after a while.
	fn poll<Output: Clone>(
		now: u32,
		job: JobIdOf,
		id: TaskId,
		task: &mut LocalTask<Output>,
		status: impl Fn(TaskId) -> TaskStatus<Output>,
		submit: impl FnOnce() -> Result<(), ExecutorError>,
	) -> Option<Output> {
		if let Some(output) = &task.output {
			return Some(output.clone());
		}
		match status(id) {
			TaskStatus::Done(output) => {
				task.output = Some(output.clone());
				Some(output)
			}
			TaskStatus::Running => None,
			TaskStatus::Failed(reason) => {
				if task.failed_at.is_none() {
					task.failures = task.failures.saturating_add(1);
					log::error!(
						target: LOG_TARGET,
						"job {job}: the executor failed (failure {}, next try in {} blocks): {}",
						task.failures,
						retry_wait(task.failures),
						core::str::from_utf8(&reason).unwrap_or("(not UTF-8)")
					);
					task.failed_at = Some(now);
				}
				None
			}
			TaskStatus::Unknown => {
				if task
					.failed_at
					.is_some_and(|failed| now < failed.saturating_add(retry_wait(task.failures)))
				{
					return None;
				}
				task.failed_at = None;
				match submit() {
					Ok(()) => log::info!(target: LOG_TARGET, "job {job}: handed to the executor"),
					Err(error) => {
						log::warn!(target: LOG_TARGET, "job {job}: the executor refused: {error:?}")
					}
				}
				None
			}
		}
	}

	/// The genesis hash as the executor takes it (the same 32 bytes it encodes to).
	fn genesis_bytes() -> [u8; 32] {
		let mut bytes = [0u8; 32];
		let hash = Self::genesis_hash();
		let hash: &[u8] = hash.as_ref();
		let len = hash.len().min(32);
		bytes[..len].copy_from_slice(&hash[..len]);
		bytes
	}

	/// Submits `call` as an authorized transaction.
	fn send(job: JobIdOf, what: &str, call: Call<T>) {
		let transaction = T::create_authorized_transaction(call.into());
		match SubmitTransaction::<T, Call<T>>::submit_transaction(transaction) {
			Ok(()) => log::info!(target: LOG_TARGET, "job {job}: {what} submitted"),
			Err(()) => log::warn!(target: LOG_TARGET, "job {job}: the pool refused the {what}"),
		}
	}

	/// Keeps an index of the jobs with local progress, and clears the progress of those this
	/// node no longer works on (submitted and taken, refunded, pruned).
	fn forget_finished(touched: &[(Vec<u8>, TaskId)]) {
		let index_key = local_key(INDEX, &[0; 32]);
		let index_store = StorageValueRef::persistent(&index_key);
		let known: Vec<(Vec<u8>, TaskId)> = index_store.get().ok().flatten().unwrap_or_default();
		for (kind, task) in known.iter().filter(|entry| !touched.contains(entry)) {
			StorageValueRef::persistent(&local_key(kind, task)).clear();
		}
		let mut current: Vec<(Vec<u8>, TaskId)> = touched.to_vec();
		current.truncate(MAX_LOCAL_JOBS);
		index_store.set(&current);
	}
}
