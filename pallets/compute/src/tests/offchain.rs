//! The off-chain worker against a stand-in executor: what it asks the executor, what it sends
//! to the pool, and that it never sends a transaction twice.

use crate::{mock::*, offchain::RESEND_AFTER, Assignments, AwaitingReveal};
use codec::Decode;
use frame_support::{assert_ok, traits::Hooks};
use polkadot_sdk::*;
use sp_core::offchain::{testing, OffchainDbExt, OffchainWorkerExt, TransactionPoolExt};
use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
use std::{
	collections::BTreeMap,
	sync::{Arc, Mutex},
};
use tokenfactory_primitives::{
	compute::{FieldBytes, WORKER_KEY_TYPE},
	executor::{
		EvalOutput, EvalRequest, Executor, ExecutorError, ExecutorExt, RevealOutput, RevealRequest,
		TaskId, TaskStatus,
	},
};

/// An executor that records requests and answers what the test says.
#[derive(Default)]
struct StandIn {
	evaluations: Mutex<BTreeMap<TaskId, TaskStatus<EvalOutput>>>,
	eval_requests: Mutex<Vec<EvalRequest>>,
	reveals: Mutex<BTreeMap<TaskId, TaskStatus<RevealOutput>>>,
	reveal_requests: Mutex<Vec<RevealRequest>>,
	keys: Vec<FieldBytes>,
}

impl Executor for StandIn {
	fn submit_evaluation(&self, request: EvalRequest) -> Result<(), ExecutorError> {
		self.evaluations.lock().expect("lock").insert(request.task_id(), TaskStatus::Running);
		self.eval_requests.lock().expect("lock").push(request);
		Ok(())
	}
	fn evaluation_status(&self, task: TaskId) -> TaskStatus<EvalOutput> {
		self.evaluations.lock().expect("lock").get(&task).cloned().unwrap_or(TaskStatus::Unknown)
	}
	fn evaluation_status_of_job(
		&self,
		_job: tokenfactory_primitives::compute::JobId,
	) -> TaskStatus<EvalOutput> {
		TaskStatus::Unknown
	}
	fn decryption_keys(&self) -> Vec<FieldBytes> {
		self.keys.clone()
	}
	fn submit_reveal(&self, request: RevealRequest) -> Result<(), ExecutorError> {
		self.reveals.lock().expect("lock").insert(request.task_id(), TaskStatus::Running);
		self.reveal_requests.lock().expect("lock").push(request);
		Ok(())
	}
	fn reveal_status(&self, task: TaskId) -> TaskStatus<RevealOutput> {
		self.reveals.lock().expect("lock").get(&task).cloned().unwrap_or(TaskStatus::Unknown)
	}
}

struct Harness {
	ext: sp_io::TestExternalities,
	pool: Arc<parking_lot::RwLock<testing::PoolState>>,
	executor: Arc<StandIn>,
}

/// Test externalities in which this node holds `worker`'s key and, if `decryptor`, the mock
/// dataset's decryption key.
fn harness(worker: &str, decryptor: bool) -> Harness {
	let mut ext = new_test_ext();
	let (offchain, _) = testing::TestOffchainExt::new();
	let (pool, pool_state) = testing::TestTransactionPoolExt::new();
	let keystore = MemoryKeystore::new();
	keystore
		.sr25519_generate_new(WORKER_KEY_TYPE, Some(&format!("//{worker}//worker")))
		.expect("worker key");
	let executor = Arc::new(StandIn {
		keys: if decryptor { vec![KEY_COMMITMENT] } else { vec![] },
		..Default::default()
	});
	ext.register_extension(OffchainWorkerExt::new(offchain.clone()));
	ext.register_extension(OffchainDbExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	ext.register_extension(KeystoreExt::new(keystore));
	ext.register_extension(ExecutorExt::new(executor.clone()));
	Harness { ext, pool: pool_state, executor }
}

fn pool_calls(pool: &parking_lot::RwLock<testing::PoolState>) -> Vec<crate::Call<Test>> {
	pool.write()
		.transactions
		.drain(..)
		.map(|bytes| {
			let xt = Extrinsic::decode(&mut &bytes[..]).expect("an extrinsic");
			match xt.function {
				RuntimeCall::Compute(call) => call,
				other => panic!("unexpected call {other:?}"),
			}
		})
		.collect()
}

#[test]
fn a_worker_commits_to_its_result_and_opens_it_once_the_others_have_committed() {
	let Harness { mut ext, pool, executor } = harness("w1", false);
	ext.execute_with(|| {
		let job = submit_default_job();
		Compute::offchain_worker(1);
		let requests = executor.eval_requests.lock().expect("lock").clone();
		assert_eq!(requests.len(), 1);
		let request = &requests[0];
		assert_eq!(request.job, job);
		assert_eq!(request.key_set.server_key.len(), 2);
		assert_eq!(request.key_set.public_key[0].hash, [3; 32]);
		assert_eq!(request.chunks.len(), 1);
		assert_eq!(request.query.min_cohort, 5);
		assert_eq!(request.rows, 64);
		assert!(pool_calls(&pool).is_empty());

		// Still running: nothing is sent, nothing is resubmitted.
		Compute::offchain_worker(2);
		assert_eq!(executor.eval_requests.lock().expect("lock").len(), 1);
		assert!(pool_calls(&pool).is_empty());

		let (digest, blob) = result_of(1);
		executor.evaluations.lock().expect("lock").insert(
			request.task_id(),
			TaskStatus::Done(EvalOutput { digest, result: blob.clone() }),
		);
		Compute::offchain_worker(3);
		// Only the commitment goes out: nothing of the result is public yet.
		let calls = pool_calls(&pool);
		assert_eq!(calls.len(), 1);
		let crate::Call::commit_result { job: 0, worker, commitment, .. } = &calls[0] else {
			panic!("a commitment first, not {:?}", calls[0]);
		};
		assert_eq!(worker, &account("w1"));
		let commitment = *commitment;

		// Not taken yet, but sent recently: not sent again.
		Compute::offchain_worker(4);
		assert!(pool_calls(&pool).is_empty());
		// The node forgets what the executor knew (a restart): the stored output and salt are
		// used, so the commitment is the same.
		executor.evaluations.lock().expect("lock").clear();
		Compute::offchain_worker(3 + u64::from(RESEND_AFTER));
		let resent = pool_calls(&pool);
		assert!(matches!(
			resent.as_slice(),
			[crate::Call::commit_result { commitment: again, .. }] if *again == commitment
		));
		assert_eq!(executor.eval_requests.lock().expect("lock").len(), 1);
		assert_ok!(dispatch_authorized(resent.into_iter().next().expect("one call")));

		// Committed, the others have not: the worker waits.
		Compute::offchain_worker(20);
		assert!(pool_calls(&pool).is_empty());
		assert_ok!(commit("w2", job, 1));
		assert_ok!(commit("w3", job, 1));
		// The results are open: the worker opens its commitment.
		Compute::offchain_worker(21);
		let calls = pool_calls(&pool);
		assert!(matches!(
			calls.as_slice(),
			[crate::Call::submit_result { job: 0, worker, digest: d, .. }]
				if worker == &account("w1") && d == &digest
		));
		assert_ok!(dispatch_authorized(calls.into_iter().next().expect("one call")));
		assert!(!Assignments::<Test>::contains_key(account("w1"), job));
		Compute::offchain_worker(40);
		assert!(pool_calls(&pool).is_empty());
	});
}

#[test]
fn a_worker_surely_drawn_starts_before_the_draw_and_commits_after_it() {
	let Harness { mut ext, pool, executor } = harness("w1", false);
	ext.execute_with(|| {
		// Three workers with room, three drawn: the draw in the next block cannot leave w1 out.
		assert_ok!(submit_mean_job());
		Compute::offchain_worker(1);
		let requests = executor.eval_requests.lock().expect("lock").clone();
		assert_eq!(requests.len(), 1, "the evaluation starts before the draw");
		let (digest, blob) = result_of(1);
		executor
			.evaluations
			.lock()
			.expect("lock")
			.insert(requests[0].task_id(), TaskStatus::Done(EvalOutput { digest, result: blob }));
		// Done, but not assigned yet: nothing goes out.
		Compute::offchain_worker(1);
		assert!(pool_calls(&pool).is_empty());
		// Drawn: the same task's result is committed at once, without a second evaluation.
		assign_jobs();
		Compute::offchain_worker(2);
		assert!(matches!(
			pool_calls(&pool).as_slice(),
			[crate::Call::commit_result { job: 0, .. }]
		));
		assert_eq!(executor.eval_requests.lock().expect("lock").len(), 1);
	});
}

#[test]
fn a_worker_that_may_not_be_drawn_waits_for_the_draw() {
	let Harness { mut ext, pool, executor } = harness("w1", false);
	ext.execute_with(|| {
		// Four workers with room for three places: w1 may be left out.
		assert_ok!(Compute::register_worker(
			RuntimeOrigin::signed(account("w4")),
			worker_key("w4"),
			MIN_BOND,
			key_proof_for("w4", &account("w4"))
		));
		assert_ok!(submit_mean_job());
		Compute::offchain_worker(1);
		assert!(executor.eval_requests.lock().expect("lock").is_empty());
		assert!(pool_calls(&pool).is_empty());
	});
}

#[test]
fn a_worker_left_out_of_the_opening_sends_nothing() {
	let Harness { mut ext, pool, executor } = harness("w1", false);
	ext.execute_with(|| {
		let job = submit_default_job();
		Compute::offchain_worker(1);
		let request = executor.eval_requests.lock().expect("lock")[0].clone();
		// The others commit and the commit deadline passes while w1 still computes.
		assert_ok!(commit("w2", job, 1));
		assert_ok!(commit("w3", job, 1));
		run_to_block(commit_deadline(1));
		let (digest, blob) = result_of(1);
		executor
			.evaluations
			.lock()
			.expect("lock")
			.insert(request.task_id(), TaskStatus::Done(EvalOutput { digest, result: blob }));
		Compute::offchain_worker(5);
		assert!(pool_calls(&pool).is_empty(), "nothing to commit to, nothing to open");
		run_to_block(result_deadline(1));
	});
}

#[test]
fn a_decryptor_reveals_the_jobs_of_its_keys() {
	let Harness { mut ext, pool, executor } = harness("w4", true);
	ext.execute_with(|| {
		let job = submit_default_job();
		all_agree(job, 1);
		Compute::offchain_worker(2);
		let requests = executor.reveal_requests.lock().expect("lock").clone();
		assert_eq!(requests.len(), 1);
		let (digest, blob) = result_of(1);
		assert_eq!(requests[0].digest, digest);
		assert_eq!(requests[0].results.len(), 3);
		assert_eq!(requests[0].results[0].hash, sp_io::hashing::blake2_256(&blob));
		assert_eq!(requests[0].circuit_blocks, 17);
		assert_eq!(requests[0].consumer_key, consumer_key());

		let commitment = [42; 32];
		let proof = MockVerifier::proof_for(&statement(job, digest, commitment));
		let sealed = vec![5; 40];
		let signature =
			sign_reveal(&decryptor_pair(), job, commitment, &sealed, &proof, consumer_key()).0;
		assert_eq!(requests[0].dataset, 0);
		assert_eq!(requests[0].query.min_cohort, 5);
		executor.reveals.lock().expect("lock").insert(
			requests[0].task_id(),
			TaskStatus::Done(RevealOutput::Revealed {
				result_commitment: commitment,
				sealed,
				proof,
				signature,
			}),
		);
		Compute::offchain_worker(3);
		let calls = pool_calls(&pool);
		assert_eq!(calls.len(), 1);
		assert_ok!(dispatch_authorized(calls.into_iter().next().expect("one call")));
		assert!(!AwaitingReveal::<Test>::contains_key(job));
		Compute::offchain_worker(4);
		assert!(pool_calls(&pool).is_empty());
	});
}

#[test]
fn a_decryptor_disputes_a_result_that_is_not_the_answer() {
	let Harness { mut ext, pool, executor } = harness("w4", true);
	ext.execute_with(|| {
		let job = submit_default_job();
		all_agree(job, 1);
		Compute::offchain_worker(2);
		let request = executor.reveal_requests.lock().expect("lock")[0].clone();
		let signature = sign_dispute(&decryptor_pair(), job, request.digest).0;
		executor
			.reveals
			.lock()
			.expect("lock")
			.insert(request.task_id(), TaskStatus::Done(RevealOutput::Disputed { signature }));
		Compute::offchain_worker(3);
		let calls = pool_calls(&pool);
		assert!(matches!(calls.as_slice(), [crate::Call::dispute { .. }]));
		assert_ok!(dispatch_authorized(calls.into_iter().next().expect("one call")));
		assert!(!AwaitingReveal::<Test>::contains_key(job));
	});
}

#[test]
fn a_node_without_decryption_keys_reveals_nothing() {
	let Harness { mut ext, pool, executor } = harness("w4", false);
	ext.execute_with(|| {
		let job = submit_default_job();
		all_agree(job, 1);
		Compute::offchain_worker(2);
		assert!(executor.reveal_requests.lock().expect("lock").is_empty());
		assert!(pool_calls(&pool).is_empty());
	});
}

#[test]
fn without_an_executor_the_offchain_worker_does_nothing() {
	new_test_ext().execute_with(|| {
		submit_default_job();
		// No executor extension, no keystore: must not panic.
		Compute::offchain_worker(2);
	});
}

#[test]
fn a_failed_evaluation_is_retried_after_a_while() {
	let Harness { mut ext, pool, executor } = harness("w1", false);
	ext.execute_with(|| {
		submit_default_job();
		Compute::offchain_worker(1);
		let task = executor.eval_requests.lock().expect("lock")[0].task_id();
		executor
			.evaluations
			.lock()
			.expect("lock")
			.insert(task, TaskStatus::Failed(b"blob missing".to_vec()));
		Compute::offchain_worker(2);
		// The executor forgets the failure (as the node's does once reported).
		executor.evaluations.lock().expect("lock").clear();
		Compute::offchain_worker(3);
		assert_eq!(executor.eval_requests.lock().expect("lock").len(), 1);
		Compute::offchain_worker(2 + u64::from(crate::offchain::RETRY_FAILED_AFTER));
		assert_eq!(executor.eval_requests.lock().expect("lock").len(), 2);
		assert!(pool_calls(&pool).is_empty());
	});
}

#[test]
fn a_failing_evaluation_is_retried_less_and_less_often() {
	let Harness { mut ext, pool, executor } = harness("w1", false);
	ext.execute_with(|| {
		submit_default_job();
		let mut block = 1;
		for failure in 1..=3u8 {
			Compute::offchain_worker(block);
			assert_eq!(executor.eval_requests.lock().expect("lock").len(), usize::from(failure));
			let task = executor.eval_requests.lock().expect("lock").last().expect("sent").task_id();
			executor
				.evaluations
				.lock()
				.expect("lock")
				.insert(task, TaskStatus::Failed(b"bad blob".to_vec()));
			Compute::offchain_worker(block + 1);
			executor.evaluations.lock().expect("lock").clear();
			let wait = u64::from(crate::offchain::retry_wait(failure));
			// Not before the wait is over...
			Compute::offchain_worker(block + wait);
			assert_eq!(executor.eval_requests.lock().expect("lock").len(), usize::from(failure));
			block += 1 + wait;
		}
		assert_eq!(crate::offchain::retry_wait(1), crate::offchain::RETRY_FAILED_AFTER);
		assert_eq!(crate::offchain::retry_wait(2), 2 * crate::offchain::RETRY_FAILED_AFTER);
		assert_eq!(crate::offchain::retry_wait(30), crate::offchain::MAX_RETRY_WAIT);
		assert!(pool_calls(&pool).is_empty());
	});
}

mod attack {
	use super::*;

	#[test]
	fn reorg_reuses_a_stale_output_for_another_job_with_the_same_id() {
		let Harness { mut ext, pool, executor } = harness("w1", false);
		ext.execute_with(|| {
			// Job 0 on one fork: evaluated, its output stored locally and by the executor.
			let job = submit_default_job();
			Compute::offchain_worker(1);
			let first = executor.eval_requests.lock().expect("lock")[0].clone();
			let (digest, blob) = result_of(1);
			executor
				.evaluations
				.lock()
				.expect("lock")
				.insert(first.task_id(), TaskStatus::Done(EvalOutput { digest, result: blob }));
			Compute::offchain_worker(2);
			assert_eq!(pool_calls(&pool).len(), 1);

			// A reorg: on the other fork, job 0 is another consumer's job with another query.
			let mut record = crate::Jobs::<Test>::get(job).expect("job");
			record.query.min_cohort = 9;
			crate::Jobs::<Test>::insert(job, record);
			Compute::offchain_worker(3 + u64::from(RESEND_AFTER));
			// The new job is a new task: evaluated afresh, the stale result never sent.
			let requests = executor.eval_requests.lock().expect("lock").clone();
			assert_eq!(requests.len(), 2);
			assert_ne!(requests[1].task_id(), first.task_id());
			assert_eq!(requests[1].query.min_cohort, 9);
			assert!(pool_calls(&pool).is_empty());
		});
	}
}

#[test]
fn a_second_run_while_another_holds_the_lock_does_nothing() {
	use sp_runtime::offchain::{
		storage_lock::{StorageLock, Time},
		Duration,
	};
	let Harness { mut ext, pool, executor } = harness("w1", false);
	ext.execute_with(|| {
		submit_default_job();
		// A run in progress (the node also runs off-chain workers when a task finishes).
		let mut lock = StorageLock::<Time>::with_deadline(
			b"tokenfactory/ocw/lock",
			Duration::from_millis(20_000),
		);
		let guard = lock.try_lock().expect("the lock is free");
		Compute::offchain_worker(1);
		assert!(executor.eval_requests.lock().expect("lock").is_empty());
		drop(guard);
		Compute::offchain_worker(1);
		assert_eq!(executor.eval_requests.lock().expect("lock").len(), 1);
		assert!(pool_calls(&pool).is_empty());
	});
}
