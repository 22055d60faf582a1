//! Random sequences of submissions, commitments, openings, reveals and time: funds are conserved, the
//! invariants hold after every step, and every job ends settled or refunded.

use crate::{mock::*, JobStatus, Jobs};
use polkadot_sdk::*;
use proptest::prelude::*;
use tokenfactory_primitives::compute::Payment;

#[derive(Clone, Debug)]
enum Step {
	/// Submit a job, paid from free balance or by voucher.
	Submit { by_voucher: bool },
	/// Worker `worker` commits to digest `digest` for the job `job % jobs`, or opens it if it
	/// has committed.
	Result { job: u8, worker: u8, digest: u8 },
	/// Reveal the job `job % jobs` with its agreed digest (or a wrong one).
	Reveal { job: u8, honest: bool },
	/// Let `blocks` blocks pass.
	Wait { blocks: u8 },
}

fn step() -> impl Strategy<Value = Step> {
	prop_oneof![
		any::<bool>().prop_map(|by_voucher| Step::Submit { by_voucher }),
		(any::<u8>(), 0..3u8, 1..3u8).prop_map(|(job, worker, digest)| Step::Result {
			job,
			worker,
			digest
		}),
		(any::<u8>(), any::<bool>()).prop_map(|(job, honest)| Step::Reveal { job, honest }),
		(1..12u8).prop_map(|blocks| Step::Wait { blocks }),
	]
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

	#[test]
	fn funds_are_conserved_and_every_job_ends(steps in proptest::collection::vec(step(), 1..40)) {
		new_test_ext().execute_with(|| {
			let total = total_funds();
			let (payer, channel) = open_channel(100_000);
			let mut nonce = 0;
			let mut jobs = 0u64;
			for step in steps {
				match step {
					Step::Submit { by_voucher } => {
						let payment = if by_voucher {
							let (voucher, signature) = job_voucher(
								&payer, channel, nonce + 1, PRICE, 0, &mean_query(), &consumer_key(),
							);
							Payment::Voucher { voucher, signature }
						} else {
							Payment::FreeBalance
						};
						let submitted = Compute::submit_job(
							RuntimeOrigin::signed(consumer()), 0, mean_query(), payment, consumer_key(),
						);
						if submitted.is_ok() {
							jobs += 1;
							if by_voucher {
								nonce += 1;
							}
						}
					}
					Step::Result { job, worker, digest } if jobs > 0 => {
						let (worker, job) = (WORKERS[usize::from(worker)], u64::from(job) % jobs);
						let _ = commit(worker, job, digest).or_else(|_| open(worker, job, digest));
					}
					Step::Reveal { job, honest } if jobs > 0 => {
						let job = u64::from(job) % jobs;
						let digest = match Jobs::<Test>::get(job).map(|job| job.status) {
							Some(JobStatus::AwaitingReveal { digest, .. }) if honest => digest,
							_ => [0xaa; 32],
						};
						let _ = reveal(job, digest);
					}
					Step::Wait { blocks } => run_to_block(System::block_number() + u64::from(blocks)),
					_ => {}
				}
				Compute::do_try_state().expect("invariants hold after every step");
				assert_eq!(total_funds(), total);
			}
			// Every job ends: after its retention period nothing is left (a job submitted in the
			// last step gets its deadlines in the next block).
			assign_jobs();
			let last_deadline = Jobs::<Test>::iter_values()
				.map(|job| job.result_deadline)
				.max()
				.unwrap_or_default()
				.max(System::block_number());
			run_to_block(last_deadline + RETENTION + 20);
			assert_eq!(Jobs::<Test>::iter().count(), 0);
			assert_eq!(
				pallet_balances::Holds::<Test>::iter()
					.flat_map(|(_, holds)| holds.into_iter())
					.filter(|hold| hold.id == RuntimeHoldReason::Compute(crate::HoldReason::JobEscrow))
					.map(|hold| hold.amount)
					.sum::<Balance>(),
				0,
				"no escrow is left held"
			);
			Compute::do_try_state().expect("invariants hold at the end");
			assert_eq!(total_funds(), total);
		});
	}
}
