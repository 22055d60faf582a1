use crate::{mock::*, AwaitingReveal, Error, Event, JobStatus, Jobs, VerifyingKeys};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use polkadot_sdk::*;
use tokenfactory_primitives::datasets::RevenueDestination;

/// A job on which w1, w2 and w3 agreed on `result_of(1)`.
fn agreed_job() -> u64 {
	let job = submit_default_job();
	all_agree(job, 1);
	job
}

fn escrow_of(who: &AccountId) -> Balance {
	Balances::balance_on_hold(&crate::HoldReason::JobEscrow.into(), who)
}

#[test]
fn a_valid_reveal_settles_the_escrow_exactly() {
	build_and_execute(|| {
		let owner_before = Balances::free_balance(owner());
		let treasury_before = Balances::free_balance(TreasuryAccount::get());
		let workers_before: Vec<Balance> =
			WORKERS.iter().map(|w| Balances::free_balance(account(w))).collect();
		let job = agreed_job();
		let (digest, _) = result_of(1);
		assert_ok!(reveal(job, digest));

		// 30% to the workers (100 each), 10% to the treasury, 60% to the owner.
		assert_eq!(escrow_of(&consumer()), 0);
		for (worker, before) in WORKERS.iter().zip(workers_before) {
			assert_eq!(Balances::free_balance(account(worker)), before + 100);
		}
		assert_eq!(Balances::free_balance(TreasuryAccount::get()), treasury_before + 100);
		assert_eq!(Balances::free_balance(owner()), owner_before + 600);
		assert!(compute_events().contains(&Event::JobSettled {
			job,
			to_owner: 600,
			to_dividends: 0,
			to_workers: 300,
			to_treasury: 100
		}));
		assert!(matches!(
			Jobs::<Test>::get(job).map(|job| job.status),
			Some(JobStatus::Revealed { result_commitment, .. }) if result_commitment == [42; 32]
		));
		assert!(!AwaitingReveal::<Test>::contains_key(job));
		// Until the job is pruned, the consumer can still complain about the seal.
		assert_eq!(MockCatalog::get(0).running_jobs, 1);
		assert!(compute_events().iter().any(|event| matches!(
			event,
			Event::ResultRevealed { job: 0, result_commitment, sealed, .. }
				if result_commitment == &[42; 32] && sealed == &vec![1, 2, 3]
		)));
	});
}

#[test]
fn rounding_dust_goes_to_the_owner() {
	build_and_execute(|| {
		MockCatalog::update(0, |dataset| dataset.price = 1_001);
		let owner_before = Balances::free_balance(owner());
		let job = agreed_job();
		let (digest, _) = result_of(1);
		assert_ok!(reveal(job, digest));
		// Workers: floor(30% of 1001) = 300, 100 each; treasury floor(10%) = 100; owner the rest.
		assert_eq!(Balances::free_balance(owner()), owner_before + 601);
	});
}

#[test]
fn only_agreeing_workers_are_paid() {
	build_and_execute(|| {
		let job = submit_default_job();
		for worker in WORKERS {
			assert_ok!(commit(worker, job, 1));
		}
		assert_ok!(open("w1", job, 1));
		assert_ok!(open("w2", job, 1));
		let w3_before = Balances::free_balance(account("w3"));
		let (digest, _) = result_of(1);
		assert_ok!(reveal(job, digest));
		// Two agreeing workers split 300.
		assert!(compute_events().contains(&Event::JobSettled {
			job,
			to_owner: 600,
			to_dividends: 0,
			to_workers: 300,
			to_treasury: 100
		}));
		assert_eq!(Balances::free_balance(account("w3")), w3_before);
		run_to_block(result_deadline(1));
	});
}

#[test]
fn revenue_routed_to_an_equity_class_becomes_dividends() {
	build_and_execute(|| {
		MockDividends::create_class(4);
		MockCatalog::update(0, |dataset| dataset.revenue = RevenueDestination::EquityClass(4));
		let owner_before = Balances::free_balance(owner());
		let job = agreed_job();
		let (digest, _) = result_of(1);
		assert_ok!(reveal(job, digest));
		assert_eq!(MockDividends::paid(4), 600);
		assert_eq!(Balances::free_balance(owner()), owner_before);
		assert_eq!(escrow_of(&consumer()), 0);
	});
}

#[test]
fn revenue_to_a_class_that_is_gone_goes_to_the_owner() {
	build_and_execute(|| {
		MockCatalog::update(0, |dataset| dataset.revenue = RevenueDestination::EquityClass(4));
		let owner_before = Balances::free_balance(owner());
		let job = agreed_job();
		let (digest, _) = result_of(1);
		assert_ok!(reveal(job, digest));
		assert_eq!(Balances::free_balance(owner()), owner_before + 600);
	});
}

#[test]
fn a_job_paid_by_voucher_settles_from_the_payer_escrow() {
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
		assign_jobs();
		all_agree(0, 1);
		let owner_before = Balances::free_balance(owner());
		let (digest, _) = result_of(1);
		assert_ok!(reveal(0, digest));
		assert_eq!(escrow_of(&account("payer")), 0);
		assert_eq!(Balances::free_balance(owner()), owner_before + 600);
	});
}

#[test]
fn invalid_proof() {
	build_and_execute(|| {
		let job = agreed_job();
		// A proof of the statement for another digest, commitment or job does not verify.
		for (proof_job, proof_digest) in [(job, [9; 32]), (job + 1, result_of(1).0)] {
			let proof = MockVerifier::proof_for(&statement(proof_job, proof_digest, [42; 32]));
			assert_noop!(
				dispatch_authorized(crate::Call::<Test>::reveal {
					job,
					result_commitment: [42; 32],
					sealed: Default::default(),
					proof: proof.clone().try_into().expect("bounded"),
					signature: sign_reveal(
						&decryptor_pair(),
						job,
						[42; 32],
						&[],
						&proof,
						consumer_key()
					),
				}),
				refused(Error::<Test>::InvalidProof)
			);
		}
		let proof = MockVerifier::proof_for(&statement(job, result_of(1).0, [42; 32]));
		assert_noop!(
			dispatch_authorized(crate::Call::<Test>::reveal {
				job,
				result_commitment: [43; 32],
				sealed: Default::default(),
				proof: proof.clone().try_into().expect("bounded"),
				signature: sign_reveal(
					&decryptor_pair(),
					job,
					[43; 32],
					&[],
					&proof,
					consumer_key()
				),
			}),
			refused(Error::<Test>::InvalidProof)
		);
		run_to_block(1 + REVEAL_TIMEOUT);
	});
}

#[test]
fn not_awaiting_reveal() {
	build_and_execute(|| {
		let job = submit_default_job();
		let (digest, _) = result_of(1);
		assert_noop!(reveal(job, digest), refused(Error::<Test>::NotAwaitingReveal));
		assert_noop!(reveal(7, digest), refused(Error::<Test>::UnknownJob));
		all_agree(job, 1);
		assert_ok!(reveal(job, digest));
		// A second reveal of a settled job.
		assert_noop!(reveal(job, digest), refused(Error::<Test>::NotAwaitingReveal));
		assert_noop!(
			Compute::reveal(
				frame_system::RawOrigin::Authorized.into(),
				job,
				[42; 32],
				Default::default(),
				Default::default(),
				sign_reveal(&decryptor_pair(), job, [42; 32], &[], &[], consumer_key())
			),
			Error::<Test>::NotAwaitingReveal
		);
	});
}

#[test]
fn no_verifying_key() {
	build_and_execute(|| {
		let job = agreed_job();
		VerifyingKeys::<Test>::remove(17);
		let (digest, _) = result_of(1);
		assert_noop!(reveal(job, digest), refused(Error::<Test>::NoVerifyingKey));
		run_to_block(1 + REVEAL_TIMEOUT);
	});
}

#[test]
fn a_signed_origin_cannot_reveal() {
	build_and_execute(|| {
		let job = agreed_job();
		assert_noop!(
			Compute::reveal(
				RuntimeOrigin::signed(owner()),
				job,
				[42; 32],
				Default::default(),
				Default::default(),
				sign_reveal(&decryptor_pair(), job, [42; 32], &[], &[], consumer_key())
			),
			sp_runtime::DispatchError::BadOrigin
		);
		run_to_block(1 + REVEAL_TIMEOUT);
	});
}
