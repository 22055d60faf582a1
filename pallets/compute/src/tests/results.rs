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

/// `worker`'s signed opening of `result_of(1)` for `job`, dispatched straight with `origin`:
/// the call's own checks, without its authorization step.
fn dispatch_result(origin: RuntimeOrigin, worker: &str, job: JobId) -> DispatchResult {
	let (digest, blob) = result_of(1);
	Compute::submit_result(
		origin,
		job,
		account(worker),
		digest,
		blob.clone().try_into().expect("bounded"),
		salt_of(worker),
		sign_result(worker, job, digest, &blob),
	)
}

/// `worker`'s signed commitment to `result_of(1)` for `job`, dispatched straight with `origin`.
fn dispatch_commit(origin: RuntimeOrigin, worker: &str, job: JobId) -> DispatchResult {
	let crate::Call::commit_result { commitment, signature, .. } =
		commit_call(worker, worker, job, commitment_of(worker, job, 1))
	else {
		unreachable!("a commit call")
	};
	Compute::commit_result(origin, job, account(worker), commitment, signature)
}

/// A job whose three workers committed to `result_of(1)`: its results are open.
fn committed_job() -> JobId {
	let job = submit_default_job();
	for worker in WORKERS {
		assert_ok!(commit(worker, job, 1));
	}
	job
}

fn bond(name: &str) -> Balance {
	Workers::<Test>::get(account(name)).map(|worker| worker.bond).unwrap_or(0)
}

#[test]
fn a_majority_of_identical_digests_awaits_the_reveal() {
	build_and_execute(|| {
		let job = committed_job();
		assert_ok!(open("w1", job, 1));
		assert_eq!(Jobs::<Test>::get(job).map(|job| job.status), Some(JobStatus::Computing));
		assert!(!Assignments::<Test>::contains_key(account("w1"), job));
		assert_ok!(open("w2", job, 1));
		let (digest, _) = result_of(1);
		assert_eq!(
			Jobs::<Test>::get(job).map(|job| job.status),
			Some(JobStatus::AwaitingReveal { digest, reveal_deadline: 2 + REVEAL_TIMEOUT })
		);
		assert!(AwaitingReveal::<Test>::contains_key(job));
		assert!(compute_events().contains(&Event::ResultAgreed {
			job,
			digest,
			reveal_deadline: 2 + REVEAL_TIMEOUT
		}));
		assert_ok!(reveal(job, digest));
		assert_ok!(open("w3", job, 1));
		assert_eq!(bond("w3"), MIN_BOND * 2);
	});
}

#[test]
fn the_result_blob_is_indexed_under_its_hash() {
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		let job = committed_job();
		assert_ok!(open("w1", job, 1));
	});
	let (_, blob) = result_of(1);
	let key = result_offchain_key(0, &sp_io::hashing::blake2_256(&blob));
	ext.persist_offchain_overlay();
	assert_eq!(ext.offchain_db().get(&key), Some(blob));
}

#[test]
fn the_minority_is_slashed_when_the_majority_is_revealed() {
	build_and_execute(|| {
		let job = submit_default_job();
		submit_results(job, &[("w1", 9), ("w2", 1), ("w3", 1)]);
		// Not before the owner's proof shows the majority right.
		assert_eq!(bond("w1"), MIN_BOND * 2);
		let (digest, _) = result_of(1);
		assert_ok!(reveal(job, digest));
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
	});
}

#[test]
fn a_late_disagreeing_result_is_slashed() {
	build_and_execute(|| {
		let job = submit_default_job();
		let (digest, _) = result_of(1);
		for worker in WORKERS {
			assert_ok!(commit(worker, job, if worker == "w3" { 2 } else { 1 }));
		}
		assert_ok!(open("w1", job, 1));
		assert_ok!(open("w2", job, 1));
		assert_ok!(reveal(job, digest));
		// After the reveal, a disagreeing result is wrong at once.
		assert_ok!(open("w3", job, 2));
		assert_eq!(bond("w3"), MIN_BOND * 2 - SLASH);
	});
}

#[test]
fn no_majority_refunds_the_consumer_and_slashes_nobody() {
	build_and_execute(|| {
		let before = Balances::free_balance(consumer());
		let job = submit_default_job();
		submit_results(job, &[("w1", 1), ("w2", 2), ("w3", 3)]);
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
		let call = RuntimeCall::Compute(commit_call("w1", "w1", job, commitment_of("w1", job, 1)));
		let (validity, _) =
			call.authorize(TransactionSource::External).expect("authorized call").expect("valid");
		assert_eq!(validity.provides.len(), 1);
		assert!(validity.longevity <= RESULT_TIMEOUT);
		for worker in WORKERS {
			assert_ok!(commit(worker, job, 1));
		}
		let call = RuntimeCall::Compute(open_call("w1", job, 1, salt_of("w1")));
		let (opening, _) =
			call.authorize(TransactionSource::External).expect("authorized call").expect("valid");
		assert_eq!(opening.provides.len(), 1);
		assert_ne!(opening.provides, validity.provides, "a commit and an opening are two tags");
		assert!(opening.longevity <= RESULT_TIMEOUT + OPEN_TIMEOUT);
	});
}

#[test]
fn bad_signature() {
	build_and_execute(|| {
		let job = submit_default_job();
		// w2's key signs w1's commitment.
		let call = commit_call("w1", "w2", job, commitment_of("w1", job, 1));
		assert_noop!(dispatch_authorized(call), refused(Error::<Test>::BadSignature));
		for worker in WORKERS {
			assert_ok!(commit(worker, job, 1));
		}
		let (digest, blob) = result_of(1);
		// w2's key signs w1's opening.
		let mut call = open_call("w1", job, 1, salt_of("w1"));
		if let crate::Call::submit_result { signature, .. } = &mut call {
			*signature = sign_result("w2", job, digest, &blob);
		}
		assert_noop!(dispatch_authorized(call), refused(Error::<Test>::BadSignature));
		// A signature of another digest is as bad.
		let mut call = open_call("w1", job, 1, salt_of("w1"));
		if let crate::Call::submit_result { signature, .. } = &mut call {
			*signature = sign_result("w1", job, [2; 32], &blob);
		}
		assert_noop!(dispatch_authorized(call), refused(Error::<Test>::BadSignature));
	});
}

#[test]
fn unknown_job() {
	build_and_execute(|| {
		assert_noop!(commit("w1", 5, 1), refused(Error::<Test>::UnknownJob));
		assert_noop!(dispatch_commit(authorized(), "w1", 5), Error::<Test>::UnknownJob);
		assert_noop!(open("w1", 5, 1), refused(Error::<Test>::UnknownJob));
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
		assert_noop!(commit("w4", job, 1), refused(Error::<Test>::NotAssigned));
		assert_noop!(dispatch_commit(authorized(), "w4", job), Error::<Test>::NotAssigned);
		for worker in WORKERS {
			assert_ok!(commit(worker, job, 1));
		}
		assert_noop!(open("w4", job, 1), refused(Error::<Test>::NotAssigned));
		assert_noop!(dispatch_result(authorized(), "w4", job), Error::<Test>::NotAssigned);
	});
}

#[test]
fn already_submitted() {
	build_and_execute(|| {
		let job = submit_default_job();
		assert_ok!(commit("w1", job, 1));
		assert_noop!(commit("w1", job, 1), refused(Error::<Test>::AlreadyCommitted));
		assert_noop!(dispatch_commit(authorized(), "w1", job), Error::<Test>::AlreadyCommitted);
		for worker in ["w2", "w3"] {
			assert_ok!(commit(worker, job, 1));
		}
		assert_ok!(open("w1", job, 1));
		assert_noop!(open("w1", job, 1), refused(Error::<Test>::AlreadySubmitted));
		assert_noop!(dispatch_result(authorized(), "w1", job), Error::<Test>::AlreadySubmitted);
	});
}

#[test]
fn result_phase_closed() {
	build_and_execute(|| {
		let job = submit_default_job();
		run_to_block(commit_deadline(1));
		assert_noop!(commit("w1", job, 1), refused(Error::<Test>::ResultPhaseClosed));
		assert_noop!(dispatch_commit(authorized(), "w1", job), Error::<Test>::ResultPhaseClosed);
		assert_noop!(open("w1", job, 1), refused(Error::<Test>::ResultPhaseClosed));
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
		assert_noop!(commit("w1", job, 1), refused(Error::<Test>::NotWorker));
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
		let job = committed_job();
		assert_noop!(
			dispatch_commit(RuntimeOrigin::signed(account("w1")), "w1", job),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_noop!(
			dispatch_result(RuntimeOrigin::signed(account("w1")), "w1", job),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

// --- Commit and open ---------------------------------------------------------------------------

fn opened_at(job: JobId) -> Option<u64> {
	Jobs::<Test>::get(job).and_then(|job| job.opened_at)
}

#[test]
fn the_results_open_when_every_worker_has_committed() {
	build_and_execute(|| {
		let job = submit_default_job();
		assert_ok!(commit("w1", job, 1));
		assert_ok!(commit("w2", job, 1));
		assert_eq!(opened_at(job), None);
		// Nothing of a result is public before the results open: opening is refused.
		assert_noop!(open("w1", job, 1), refused(Error::<Test>::ResultsNotOpen));
		assert_noop!(dispatch_result(authorized(), "w1", job), Error::<Test>::ResultsNotOpen);
		assert_ok!(commit("w3", job, 1));
		assert_eq!(opened_at(job), Some(2));
		assert!(compute_events().contains(&Event::ResultsOpened { job, committed: 3 }));
		assert_noop!(commit("w1", job, 1), refused(Error::<Test>::CommitsClosed));
		for worker in WORKERS {
			assert_ok!(open(worker, job, 1));
		}
		assert!(matches!(
			Jobs::<Test>::get(job).map(|job| job.status),
			Some(JobStatus::AwaitingReveal { .. })
		));
		run_to_block(2 + REVEAL_TIMEOUT);
	});
}

#[test]
fn a_straggler_may_commit_until_its_commit_deadline() {
	build_and_execute(|| {
		let job = submit_default_job();
		assert_ok!(commit("w1", job, 1));
		assert_ok!(commit("w2", job, 1));
		// A majority has committed; the results stay closed while w3 may still commit.
		run_to_block(commit_deadline(1) - 1);
		assert_eq!(opened_at(job), None);
		assert_ok!(commit("w3", job, 1));
		assert_eq!(opened_at(job), Some(commit_deadline(1) - 1));
		assert!(compute_events().contains(&Event::ResultsOpened { job, committed: 3 }));
		for worker in WORKERS {
			assert_ok!(open(worker, job, 1));
		}
		assert_ok!(reveal(job, result_of(1).0));
		for worker in WORKERS {
			assert_eq!(bond(worker), MIN_BOND * 2);
		}
	});
}

#[test]
fn the_results_open_at_the_commit_deadline_and_a_worker_without_a_commitment_is_slashed() {
	build_and_execute(|| {
		let job = submit_default_job();
		run_to_block(commit_deadline(1) - 1);
		assert_ok!(commit("w1", job, 1));
		assert_ok!(commit("w2", job, 1));
		run_to_block(commit_deadline(1));
		assert_eq!(opened_at(job), Some(commit_deadline(1)));
		assert_noop!(commit("w3", job, 1), refused(Error::<Test>::CommitsClosed));
		assert_ok!(open("w1", job, 1));
		assert_ok!(open("w2", job, 1));
		// w3 had its whole commit deadline: it is slashed.
		assert_eq!(bond("w3"), MIN_BOND * 2 - SLASH);
		assert!(compute_events().contains(&Event::WorkerSlashed {
			worker: account("w3"),
			job,
			amount: SLASH,
			reason: SlashReason::MissedDeadline
		}));
		let (digest, _) = result_of(1);
		assert_ok!(reveal(job, digest));
	});
}

#[test]
fn fewer_than_a_majority_committed_refunds_and_spares_the_committed_worker() {
	build_and_execute(|| {
		let before = Balances::free_balance(consumer());
		let job = submit_default_job();
		assert_ok!(commit("w1", job, 1));
		run_to_block(commit_deadline(1));
		assert_eq!(
			Jobs::<Test>::get(job).map(|job| (job.status, job.result_phase_open)),
			Some((JobStatus::Refunded { reason: RefundReason::ResultTimeout }, false))
		);
		assert_eq!(Balances::free_balance(consumer()), before);
		assert_eq!(bond("w1"), MIN_BOND * 2);
		assert_eq!(bond("w2"), MIN_BOND * 2 - SLASH);
		assert_eq!(bond("w3"), MIN_BOND * 2 - SLASH);
	});
}

#[test]
fn a_committed_worker_that_never_opens_is_slashed_at_the_result_deadline() {
	build_and_execute(|| {
		let job = committed_job();
		assert_ok!(open("w1", job, 1));
		assert_ok!(open("w2", job, 1));
		let (digest, _) = result_of(1);
		assert_ok!(reveal(job, digest));
		run_to_block(result_deadline(1) - 1);
		assert_eq!(bond("w3"), MIN_BOND * 2);
		run_to_block(result_deadline(1));
		assert_eq!(bond("w3"), MIN_BOND * 2 - SLASH);
	});
}

#[test]
fn an_opening_that_does_not_match_the_commitment_is_refused() {
	build_and_execute(|| {
		let job = committed_job();
		// Another digest than committed to.
		assert_noop!(open("w1", job, 2), refused(Error::<Test>::CommitmentMismatch));
		// The right digest with another salt.
		assert_noop!(
			dispatch_authorized(open_call("w1", job, 1, [0; 32])),
			refused(Error::<Test>::CommitmentMismatch)
		);
		let (digest, blob) = result_of(1);
		assert_noop!(
			Compute::submit_result(
				authorized(),
				job,
				account("w1"),
				digest,
				blob.clone().try_into().expect("bounded"),
				[0; 32],
				sign_result("w1", job, digest, &blob),
			),
			Error::<Test>::CommitmentMismatch
		);
		assert_ok!(open("w1", job, 1));
		run_to_block(result_deadline(1));
	});
}

#[test]
fn a_worker_without_a_commitment_has_nothing_to_open() {
	build_and_execute(|| {
		let job = submit_default_job();
		assert_ok!(commit("w1", job, 1));
		assert_ok!(commit("w2", job, 1));
		run_to_block(commit_deadline(1));
		assert_noop!(open("w3", job, 1), refused(Error::<Test>::NotCommitted));
		run_to_block(result_deadline(1));
	});
}

#[test]
fn the_last_worker_to_commit_may_open_at_once() {
	build_and_execute(|| {
		let job = submit_default_job();
		assert_ok!(commit("w1", job, 1));
		// Two workers have not committed: neither may show its result yet.
		assert_noop!(open("w2", job, 1), refused(Error::<Test>::ResultsNotOpen));
		assert_ok!(commit("w2", job, 1));
		// w3's opening is its commitment: every other result is hidden, the results open.
		assert_ok!(open("w3", job, 1));
		assert_eq!(opened_at(job), Some(2));
		let record = Jobs::<Test>::get(job).expect("job");
		let w3 = record.workers.iter().find(|a| a.worker == account("w3")).expect("assigned");
		assert_eq!(w3.commitment, Some(commitment_of("w3", job, 1)));
		assert_ok!(open("w1", job, 1));
		assert!(matches!(
			Jobs::<Test>::get(job).map(|job| job.status),
			Some(JobStatus::AwaitingReveal { .. })
		));
		assert_ok!(open("w2", job, 1));
		assert_ok!(reveal(job, result_of(1).0));
	});
}

#[test]
fn a_single_replica_opens_without_a_commit_round() {
	new_test_ext_with(1, &["w1"]).execute_with(|| {
		let job = submit_default_job();
		assert_ok!(open("w1", job, 1));
		assert!(matches!(
			Jobs::<Test>::get(job).map(|job| job.status),
			Some(JobStatus::AwaitingReveal { .. })
		));
		assert_ok!(reveal(job, result_of(1).0));
		Compute::do_try_state().expect("invariants hold");
	});
}
