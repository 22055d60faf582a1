//! Attacks on the compute pallet as committed. Each test asserts the secure behaviour, so each
//! FAILS on the code it was written against: the failure is the attack succeeding.

use crate::{mock::*, AwaitingReveal, JobStatus, Jobs, Workers};
use frame_support::{assert_ok, traits::fungible::InspectHold};
use polkadot_sdk::*;
use tokenfactory_primitives::{compute::Payment, programs::Program};

fn bond_held(name: &str) -> Balance {
	Balances::balance_on_hold(&crate::HoldReason::WorkerBond.into(), &account(name))
}

/// A job on which w1, w2 and w3 agreed on `result_of(1)`.
fn agreed_job() -> u64 {
	let job = submit_default_job();
	for worker in WORKERS {
		assert_ok!(submit_result(worker, job, 1));
	}
	job
}

/// The block author (or anyone watching the pool) keeps the valid proof and commitment of an
/// owner's reveal but swaps the sealed answer for junk: the proof does not bind `sealed`.
#[test]
fn block_author_swaps_the_sealed_answer() {
	build_and_execute(|| {
		let job = agreed_job();
		let (digest, _) = result_of(1);
		let commitment = [42; 32];
		let proof = MockVerifier::proof_for(&statement(job, digest, commitment));
		let result = dispatch_authorized(crate::Call::<Test>::reveal {
			job,
			result_commitment: commitment,
			sealed: vec![0xde; 3].try_into().expect("bounded"),
			proof: proof.try_into().expect("bounded"),
		});
		assert!(
			result.is_err(),
			"a reveal whose sealed bytes were swapped for junk was accepted: {result:?}"
		);
		assert!(
			matches!(
				Jobs::<Test>::get(job).map(|job| job.status),
				Some(JobStatus::AwaitingReveal { .. })
			) && AwaitingReveal::<Test>::contains_key(job),
			"the job no longer awaits its reveal after a junk reveal"
		);
	});
}

/// A voucher seen in the pool is replayed by someone else, for their own query and their own
/// sealing key: the channel pays, the attacker gets the answer.
#[test]
fn pool_watcher_spends_a_voucher_on_their_own_query() {
	build_and_execute(|| {
		let (payer, channel) = open_channel(10_000);
		let (voucher, signature) = voucher(&payer, channel, PRICE);
		let mut query = mean_query();
		query.program = Program::Count;
		// The query itself is fine: a refusal can only be about the payment.
		assert_ok!(Compute::quote(0, query.clone()));
		let result = Compute::submit_job(
			RuntimeOrigin::signed(account("other")),
			0,
			query,
			Payment::Voucher { voucher, signature },
			[9; 32],
		);
		assert!(
			result.is_err(),
			"another account spent the payer's voucher on its own query and key: {result:?}"
		);
	});
}

/// An account registers another worker's key (which it does not hold): the victim can no
/// longer register, and the key's signatures count for the squatter.
#[test]
fn squatter_registers_a_victims_worker_key() {
	build_and_execute(|| {
		let result = Compute::register_worker(
			RuntimeOrigin::signed(account("other")),
			worker_key("w4"),
			MIN_BOND,
		);
		assert!(
			result.is_err(),
			"an account registered a worker key it does not hold (no proof of possession)"
		);
	});
}

/// With an even replication factor one worker can split the vote 1–1 and force a refund.
#[test]
fn one_worker_forces_a_refund_with_an_even_split() {
	build_and_execute(|| {
		let result = Compute::set_replication_factor(RuntimeOrigin::root(), 2);
		assert!(result.is_err(), "an even replication factor (ties possible) was accepted");
	});
}

/// A worker slashed below the minimum is removed and gets the rest of its bond back at once:
/// nothing is left to slash for its faults on the jobs it still has open.
#[test]
fn slashed_out_worker_takes_its_bond_at_once() {
	build_and_execute(|| {
		// Each missed deadline costs SLASH of a 2 * MIN_BOND bond: three leave it below MIN_BOND.
		for _ in 0..3 {
			let job = submit_default_job();
			assert_ok!(submit_result("w2", job, 1));
			assert_ok!(submit_result("w3", job, 1));
			run_to_block(result_deadline(System::block_number()));
		}
		assert!(Workers::<Test>::get(account("w1")).is_none(), "w1 was not removed");
		let remainder = MIN_BOND * 2 - 3 * SLASH;
		assert_eq!(
			bond_held("w1"),
			remainder,
			"the slashed-out worker's remaining bond was released at once instead of held"
		);
	});
}

/// A worker slashed out while it still owes a result on another open job re-registers at
/// once; the old job still names it and the pallet's books no longer add up.
#[test]
fn removed_worker_re_registers_and_corrupts_open_jobs() {
	build_and_execute(|| {
		// Job 0 stays open: w1 owes it a result.
		let open = submit_default_job();
		// Three wrong results cost w1 three slashes: it is removed on the third.
		for _ in 0..3 {
			let job = submit_default_job();
			assert_ok!(submit_result("w1", job, 2));
			assert_ok!(submit_result("w2", job, 1));
			assert_ok!(submit_result("w3", job, 1));
		}
		assert!(Workers::<Test>::get(account("w1")).is_none(), "w1 was not removed");
		assert!(
			Jobs::<Test>::get(open).is_some_and(|job| job.result_phase_open),
			"the other job is still open"
		);
		let result = Compute::register_worker(
			RuntimeOrigin::signed(account("w1")),
			worker_key("w1"),
			MIN_BOND,
		);
		if result.is_ok() {
			let state = Compute::do_try_state();
			assert!(
				state.is_ok(),
				"a slashed-out worker re-registered while it still had an open job, and the \
				 invariants broke: {state:?}"
			);
		}
	});
}
