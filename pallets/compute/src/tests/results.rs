use crate::{
	mock::*, Assignments, AwaitingReveal, Error, Event, JobStatus, Jobs, SlashReason, Workers,
};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;
use sp_runtime::DispatchResult;
use tokenfactory_primitives::compute::{result_offchain_key, JobId, RefundReason};

fn authorized() -> RuntimeOrigin {
	frame_system::RawOrigin::Authorized.into()
}

/// `worker`'s signed result (digest `[1; 32]`, empty blob) for `job`, dispatched straight with
/// `origin`: the call's own checks, without its authorization step.
fn dispatch_result(origin: RuntimeOrigin, worker: &str, job: JobId) -> DispatchResult {
	Compute::submit_result(
		origin,
		job,
		account(worker),
		[1; 32],
		Default::default(),
		sign_result(worker, job, [1; 32], &[]),
	)
}

fn bond(name: &str) -> Balance {
	Workers::<Test>::get(account(name)).map(|worker| worker.bond).unwrap_or(0)
}

#[test]
fn a_majority_of_identical_digests_awaits_the_reveal() {
	build_and_execute(|| {
		let job = submit_default_job();
		assert_ok!(submit_result("w1", job, 1));
		assert_eq!(Jobs::<Test>::get(job).map(|job| job.status), Some(JobStatus::Computing));
		assert!(!Assignments::<Test>::contains_key(account("w1"), job));
		assert_ok!(submit_result("w2", job, 1));
		let (digest, _) = result_of(1);
		assert_eq!(
			Jobs::<Test>::get(job).map(|job| job.status),
			Some(JobStatus::AwaitingReveal { digest, reveal_deadline: 1 + REVEAL_TIMEOUT })
		);
		assert!(AwaitingReveal::<Test>::contains_key(job));
		assert!(compute_events().contains(&Event::ResultAgreed {
			job,
			digest,
			reveal_deadline: 1 + REVEAL_TIMEOUT
		}));
		assert_ok!(reveal(job, digest));
		assert_ok!(submit_result("w3", job, 1));
		assert_eq!(bond("w3"), MIN_BOND * 2);
	});
}

#[test]
fn the_result_blob_is_indexed_under_its_hash() {
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		let job = submit_default_job();
		assert_ok!(submit_result("w1", job, 1));
	});
	let (_, blob) = result_of(1);
	let key = result_offchain_key(0, &sp_io::hashing::blake2_256(&blob));
	ext.persist_offchain_overlay();
	assert_eq!(ext.offchain_db().get(&key), Some(blob));
}

#[test]
fn the_minority_is_slashed_when_the_majority_forms() {
	build_and_execute(|| {
		let job = submit_default_job();
		assert_ok!(submit_result("w1", job, 9));
		assert_ok!(submit_result("w2", job, 1));
		assert_ok!(submit_result("w3", job, 1));
		assert_eq!(bond("w1"), MIN_BOND * 2 - SLASH);
		assert!(compute_events().contains(&Event::WorkerSlashed {
			worker: account("w1"),
			job,
			amount: SLASH,
			reason: SlashReason::WrongResult
		}));
		assert_eq!(bond("w2"), MIN_BOND * 2);
		// Every worker submitted: the result phase is closed.
		assert_eq!(Jobs::<Test>::get(job).map(|job| job.result_phase_open), Some(false));
		let (digest, _) = result_of(1);
		assert_ok!(reveal(job, digest));
	});
}

#[test]
fn a_late_disagreeing_result_is_slashed() {
	build_and_execute(|| {
		let job = submit_default_job();
		assert_ok!(submit_result("w1", job, 1));
		assert_ok!(submit_result("w2", job, 1));
		assert_ok!(submit_result("w3", job, 2));
		assert_eq!(bond("w3"), MIN_BOND * 2 - SLASH);
		run_to_block(1 + REVEAL_TIMEOUT);
	});
}

#[test]
fn no_majority_refunds_the_consumer_and_slashes_nobody() {
	build_and_execute(|| {
		let before = Balances::free_balance(consumer());
		let job = submit_default_job();
		assert_ok!(submit_result("w1", job, 1));
		assert_ok!(submit_result("w2", job, 2));
		assert_ok!(submit_result("w3", job, 3));
		assert_eq!(
			Jobs::<Test>::get(job).map(|job| job.status),
			Some(JobStatus::Refunded { reason: RefundReason::NoMajority })
		);
		assert_eq!(Balances::free_balance(consumer()), before);
		for worker in WORKERS {
			assert_eq!(bond(worker), MIN_BOND * 2);
		}
		assert_eq!(MockCatalog::get(0).running_jobs, 0);
	});
}

#[test]
fn authorization_accepts_a_signed_result_and_provides_one_tag_per_worker() {
	build_and_execute(|| {
		use frame_support::{pallet_prelude::TransactionSource, traits::Authorize};
		let job = submit_default_job();
		let (digest, blob) = result_of(1);
		let call = RuntimeCall::Compute(crate::Call::submit_result {
			job,
			worker: account("w1"),
			digest,
			result: blob.clone().try_into().expect("bounded"),
			signature: sign_result("w1", job, digest, &blob),
		});
		let (validity, _) =
			call.authorize(TransactionSource::External).expect("authorized call").expect("valid");
		assert_eq!(validity.provides.len(), 1);
		assert!(validity.longevity <= RESULT_TIMEOUT);
	});
}

#[test]
fn bad_signature() {
	build_and_execute(|| {
		let job = submit_default_job();
		let (digest, blob) = result_of(1);
		// w2's key signs w1's submission.
		let call = crate::Call::<Test>::submit_result {
			job,
			worker: account("w1"),
			digest,
			result: blob.clone().try_into().expect("bounded"),
			signature: sign_result("w2", job, digest, &blob),
		};
		assert_noop!(dispatch_authorized(call), refused(Error::<Test>::BadSignature));
		// A signature of another digest is as bad.
		let call = crate::Call::<Test>::submit_result {
			job,
			worker: account("w1"),
			digest: [2; 32],
			result: blob.clone().try_into().expect("bounded"),
			signature: sign_result("w1", job, digest, &blob),
		};
		assert_noop!(dispatch_authorized(call), refused(Error::<Test>::BadSignature));
	});
}

#[test]
fn unknown_job() {
	build_and_execute(|| {
		assert_noop!(submit_result("w1", 5, 1), refused(Error::<Test>::UnknownJob));
		assert_noop!(dispatch_result(authorized(), "w1", 5), Error::<Test>::UnknownJob);
	});
}

#[test]
fn not_assigned() {
	build_and_execute(|| {
		let job = submit_default_job();
		assert_ok!(Compute::register_worker(
			RuntimeOrigin::signed(account("w4")),
			worker_key("w4"),
			MIN_BOND,
			key_proof_for("w4", &account("w4"))
		));
		assert_noop!(submit_result("w4", job, 1), refused(Error::<Test>::NotAssigned));
		assert_noop!(dispatch_result(authorized(), "w4", job), Error::<Test>::NotAssigned);
	});
}

#[test]
fn already_submitted() {
	build_and_execute(|| {
		let job = submit_default_job();
		assert_ok!(submit_result("w1", job, 1));
		assert_noop!(submit_result("w1", job, 1), refused(Error::<Test>::AlreadySubmitted));
		assert_noop!(dispatch_result(authorized(), "w1", job), Error::<Test>::AlreadySubmitted);
	});
}

#[test]
fn result_phase_closed() {
	build_and_execute(|| {
		let job = submit_default_job();
		run_to_block(result_deadline(1));
		assert_noop!(submit_result("w1", job, 1), refused(Error::<Test>::ResultPhaseClosed));
		assert_noop!(dispatch_result(authorized(), "w1", job), Error::<Test>::ResultPhaseClosed);
	});
}

#[test]
fn not_worker() {
	build_and_execute(|| {
		let job = submit_default_job();
		// w1 is slashed out between assignment and submission.
		Workers::<Test>::remove(account("w1"));
		crate::WorkerKeys::<Test>::remove(worker_key("w1"));
		assert_noop!(submit_result("w1", job, 1), refused(Error::<Test>::NotWorker));
		// Put it back the way it was for the invariants.
		Workers::<Test>::insert(
			account("w1"),
			crate::Worker {
				key: worker_key("w1"),
				bond: MIN_BOND * 2,
				status: crate::WorkerStatus::Active,
				open_jobs: 1,
			},
		);
		crate::WorkerKeys::<Test>::insert(worker_key("w1"), account("w1"));
	});
}

#[test]
fn a_signed_origin_cannot_submit_results() {
	build_and_execute(|| {
		let job = submit_default_job();
		assert_noop!(
			dispatch_result(RuntimeOrigin::signed(account("w1")), "w1", job),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}
