use crate::{mock::*, AwaitingReveal, Event, JobStatus, Jobs, SlashReason, Workers};
use frame_support::{assert_ok, traits::fungible::InspectHold};
use polkadot_sdk::*;
use tokenfactory_primitives::compute::RefundReason;

fn bond(name: &str) -> Balance {
	Workers::<Test>::get(account(name)).map(|worker| worker.bond).unwrap_or(0)
}

#[test]
fn no_commitments_by_the_commit_deadline_refunds_and_slashes_every_absent_worker() {
	build_and_execute(|| {
		let before = Balances::free_balance(consumer());
		let treasury_before = Balances::free_balance(TreasuryAccount::get());
		let job = submit_default_job();
		run_to_block(commit_deadline(1) - 1);
		assert_eq!(Jobs::<Test>::get(job).map(|job| job.status), Some(JobStatus::Computing));
		run_to_block(commit_deadline(1));
		assert_eq!(
			Jobs::<Test>::get(job).map(|job| job.status),
			Some(JobStatus::Refunded { reason: RefundReason::ResultTimeout })
		);
		assert_eq!(Balances::free_balance(consumer()), before);
		for worker in WORKERS {
			assert_eq!(bond(worker), MIN_BOND * 2 - SLASH);
		}
		assert_eq!(Balances::free_balance(TreasuryAccount::get()), treasury_before + 3 * SLASH);
		assert_eq!(MockCatalog::get(0).running_jobs, 0);
	});
}

#[test]
fn one_result_is_no_majority_at_the_deadline() {
	build_and_execute(|| {
		let job = submit_default_job();
		for worker in WORKERS {
			assert_ok!(commit(worker, job, 1));
		}
		assert_ok!(open("w1", job, 1));
		run_to_block(result_deadline(1));
		assert_eq!(
			Jobs::<Test>::get(job).map(|job| job.status),
			Some(JobStatus::Refunded { reason: RefundReason::ResultTimeout })
		);
		assert_eq!(bond("w1"), MIN_BOND * 2);
		// w2 and w3 committed and never opened.
		assert_eq!(bond("w2"), MIN_BOND * 2 - SLASH);
		assert_eq!(bond("w3"), MIN_BOND * 2 - SLASH);
	});
}

#[test]
fn two_of_three_complete_the_job_and_the_absent_worker_is_slashed_at_the_deadline() {
	build_and_execute(|| {
		let job = submit_default_job();
		for worker in WORKERS {
			assert_ok!(commit(worker, job, 1));
		}
		assert_ok!(open("w1", job, 1));
		assert_ok!(open("w2", job, 1));
		let (digest, _) = result_of(1);
		assert_ok!(reveal(job, digest));
		assert_eq!(bond("w3"), MIN_BOND * 2);
		run_to_block(result_deadline(1));
		assert_eq!(bond("w3"), MIN_BOND * 2 - SLASH);
		assert!(compute_events().contains(&Event::WorkerSlashed {
			worker: account("w3"),
			job,
			amount: SLASH,
			reason: SlashReason::MissedDeadline
		}));
		assert!(matches!(
			Jobs::<Test>::get(job).map(|job| job.status),
			Some(JobStatus::Revealed { .. })
		));
		assert_eq!(Workers::<Test>::get(account("w3")).map(|w| w.open_jobs), Some(0));
	});
}

#[test]
fn no_reveal_by_the_deadline_refunds_the_consumer() {
	build_and_execute(|| {
		let before = Balances::free_balance(consumer());
		let job = submit_default_job();
		all_agree(job, 1);
		run_to_block(2 + REVEAL_TIMEOUT);
		assert_eq!(
			Jobs::<Test>::get(job).map(|job| job.status),
			Some(JobStatus::Refunded { reason: RefundReason::RevealTimeout })
		);
		assert!(!AwaitingReveal::<Test>::contains_key(job));
		// The price back, and the penalty out of the owner's bond on top.
		assert_eq!(Balances::free_balance(consumer()), before + REVEAL_PENALTY);
		assert_eq!(Balances::balance_on_hold(&crate::HoldReason::JobEscrow.into(), &consumer()), 0);
		// The workers did their part: nobody is slashed.
		for worker in WORKERS {
			assert_eq!(bond(worker), MIN_BOND * 2);
		}
	});
}

#[test]
fn a_voucher_paid_job_is_refunded_into_its_channel() {
	build_and_execute(|| {
		let (payer, channel) = open_channel(10_000);
		let (voucher, signature) =
			job_voucher(&payer, channel, 1, PRICE, 0, &mean_query(), &consumer_key());
		assert_ok!(Compute::submit_job(
			RuntimeOrigin::signed(consumer()),
			0,
			mean_query(),
			tokenfactory_primitives::compute::Payment::Voucher { voucher, signature },
			consumer_key()
		));
		run_to_block(result_deadline(1));
		let channel = pallet_payment_channels::Channels::<Test>::get(channel).expect("channel");
		assert_eq!(channel.unsettled(), 10_000);
	});
}

#[test]
fn a_job_is_forgotten_after_its_retention_period() {
	build_and_execute(|| {
		let job = submit_default_job();
		all_agree(job, 1);
		let (digest, _) = result_of(1);
		assert_ok!(reveal(job, digest));
		run_to_block(result_deadline(1) + RETENTION - 1);
		assert!(Jobs::<Test>::get(job).is_some());
		run_to_block(result_deadline(1) + RETENTION);
		assert!(Jobs::<Test>::get(job).is_none());
		assert!(compute_events().contains(&Event::JobPruned { job }));
	});
}

#[test]
fn deadlines_slide_to_the_next_block_with_room() {
	build_and_execute(|| {
		// The job's result-deadline block already holds the most entries the mock allows (for
		// jobs long gone): its result deadline slides one block (and its commit deadline, four
		// blocks before, does not).
		let full: frame_support::BoundedVec<_, _> = (0..u64::from(MAX_DEADLINES))
			.map(|old| (1_000 + old, crate::DeadlineKind::Prune))
			.collect::<Vec<_>>()
			.try_into()
			.expect("at the bound");
		crate::Deadlines::<Test>::insert(result_deadline(1), full);
		let job = submit_default_job();
		let record = Jobs::<Test>::get(job).expect("job");
		assert_eq!(record.result_deadline, result_deadline(1) + 1);
		assert_eq!(record.commit_deadline, commit_deadline(1));
		run_to_block(result_deadline(1) + RETENTION + 2);
		assert_eq!(Jobs::<Test>::iter().count(), 0);
	});
}
