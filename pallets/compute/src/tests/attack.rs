//! What a hostile party tries against compute jobs, one test per attack. Each ran against the
//! code before the fix and failed there.

use crate::{mock::*, Error, Event, JobStatus, Jobs, PaymentSource, WorkerStatus, Workers};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use polkadot_sdk::*;
use tokenfactory_primitives::{
	compute::Payment,
	programs::{BoundedList, Program, Query},
};

/// A job on which w1, w2 and w3 agreed on `result_of(1)`.
fn agreed_job() -> u64 {
	let job = submit_default_job();
	all_agree(job, 1);
	job
}

fn awaiting(job: u64) -> bool {
	matches!(Jobs::<Test>::get(job).map(|job| job.status), Some(JobStatus::AwaitingReveal { .. }))
}

fn bond_held(name: &str) -> Balance {
	Balances::balance_on_hold(&crate::HoldReason::WorkerBond.into(), &account(name))
}

fn count_query() -> Query {
	Query { program: Program::Count, filter: BoundedList::empty(), min_cohort: 0 }
}

// --- The reveal --------------------------------------------------------------------------------

#[test]
fn block_author_swaps_the_sealed_answer() {
	build_and_execute(|| {
		let job = agreed_job();
		let (digest, _) = result_of(1);
		// The owner's reveal, seen in the pool, resubmitted with junk instead of the answer.
		let swapped = reveal_call(job, digest, &[0xde, 0xad, 0xbe], &[1, 2, 3]);
		assert_noop!(dispatch_authorized(swapped), refused(Error::<Test>::BadRevealSignature));
		assert!(awaiting(job));
		// The owner's own reveal still goes through, and the consumer gets the signed bytes.
		assert_ok!(reveal(job, digest));
		assert!(matches!(
			Jobs::<Test>::get(job).map(|job| job.status),
			Some(JobStatus::Revealed { sealed, .. }) if sealed.to_vec() == vec![1, 2, 3]
		));
	});
}

#[test]
fn stranger_reveals_with_a_valid_proof_and_its_own_signature() {
	build_and_execute(|| {
		let job = agreed_job();
		let (digest, _) = result_of(1);
		let mut call = reveal_call(job, digest, &[1, 2, 3], &[1, 2, 3]);
		if let crate::Call::reveal { signature, proof, .. } = &mut call {
			*signature =
				sign_reveal(&pair("other"), job, [42; 32], &[1, 2, 3], &proof[..], consumer_key());
		}
		assert_noop!(dispatch_authorized(call), refused(Error::<Test>::BadRevealSignature));
		assert!(awaiting(job));
		run_to_block(1 + REVEAL_TIMEOUT);
	});
}

#[test]
fn pool_watcher_resubmits_the_signed_reveal_with_a_junk_proof() {
	build_and_execute(|| {
		let job = agreed_job();
		let (digest, _) = result_of(1);
		let mut call = reveal_call(job, digest, &[1, 2, 3], &[1, 2, 3]);
		if let crate::Call::reveal { proof, .. } = &mut call {
			*proof = vec![0; 192].try_into().expect("bounded");
		}
		let before = MockVerifier::verifications();
		assert_noop!(dispatch_authorized(call), refused(Error::<Test>::BadRevealSignature));
		assert_eq!(MockVerifier::verifications(), before, "no pairing check for a junk proof");
		assert_ok!(reveal(job, digest));
	});
}

#[test]
fn stranger_makes_every_node_verify_a_junk_proof() {
	build_and_execute(|| {
		let job = agreed_job();
		let before = MockVerifier::verifications();
		// Junk proof and junk signature: refused on the signature, before any pairing.
		let junk = crate::Call::<Test>::reveal {
			job,
			result_commitment: [42; 32],
			sealed: vec![1].try_into().expect("bounded"),
			proof: vec![0; 192].try_into().expect("bounded"),
			signature: sp_core::sr25519::Signature::from_raw([0; 64]),
		};
		assert_noop!(dispatch_authorized(junk), refused(Error::<Test>::BadRevealSignature));
		assert_eq!(MockVerifier::verifications(), before, "no proof was verified");
		run_to_block(1 + REVEAL_TIMEOUT);
	});
}

#[test]
fn consumer_pays_for_a_dataset_nobody_can_reveal() {
	build_and_execute(|| {
		MockCatalog::set_decryptor(None);
		assert_noop!(
			Compute::submit_job(
				RuntimeOrigin::signed(consumer()),
				0,
				mean_query(),
				Payment::FreeBalance,
				consumer_key()
			),
			Error::<Test>::NoDecryptor
		);
	});
}

#[test]
fn lying_majority_gets_paid_for_a_result_the_owner_refutes() {
	build_and_execute(|| {
		let job = agreed_job();
		let (digest, _) = result_of(1);
		let workers_before: Vec<Balance> =
			WORKERS.iter().map(|w| Balances::free_balance(account(w))).collect();
		let consumer_before = Balances::free_balance(consumer());
		// The owner's decryptor found the agreed result is not the answer on its data.
		assert_ok!(dispatch_authorized(crate::Call::<Test>::dispute {
			job,
			signature: sign_dispute(&decryptor_pair(), job, digest),
		}));
		assert!(matches!(
			Jobs::<Test>::get(job).map(|job| job.status),
			Some(JobStatus::Refunded {
				reason: tokenfactory_primitives::compute::RefundReason::Disputed
			})
		));
		assert!(compute_events().contains(&Event::JobDisputed { job, digest }));
		assert_eq!(Balances::free_balance(consumer()), consumer_before + PRICE);
		let workers_after: Vec<Balance> =
			WORKERS.iter().map(|w| Balances::free_balance(account(w))).collect();
		assert_eq!(workers_after, workers_before, "the workers are not paid");
		// Nothing can be revealed afterwards.
		assert_noop!(reveal(job, digest), refused(Error::<Test>::NotAwaitingReveal));
	});
}

#[test]
fn lying_majority_gets_the_honest_minority_slashed() {
	build_and_execute(|| {
		let job = submit_default_job();
		// w1 and w2 agree on a lie; w3 computed the answer.
		submit_results(job, &[("w1", 9), ("w2", 9), ("w3", 1)]);
		let (lie, _) = result_of(9);
		// The owner's decryptor refutes the majority.
		assert_ok!(dispatch_authorized(crate::Call::<Test>::dispute {
			job,
			signature: sign_dispute(&decryptor_pair(), job, lie),
		}));
		run_to_block(result_deadline(1));
		assert_eq!(
			bond_held("w3"),
			MIN_BOND * 2,
			"the honest worker was slashed for disagreeing with a refuted majority"
		);
		// Nor for one that is never revealed.
		let job = submit_default_job();
		submit_results(job, &[("w1", 9), ("w2", 9), ("w3", 1)]);
		run_to_block(Jobs::<Test>::get(job).expect("job").result_deadline + REVEAL_TIMEOUT);
		assert_eq!(bond_held("w3"), MIN_BOND * 2);
	});
}

#[test]
fn stranger_disputes_someone_elses_job() {
	build_and_execute(|| {
		let job = agreed_job();
		let (digest, _) = result_of(1);
		for signature in [
			sign_dispute(&pair("other"), job, digest),
			sign_dispute(&decryptor_pair(), job, [9; 32]),
		] {
			assert_noop!(
				dispatch_authorized(crate::Call::<Test>::dispute { job, signature }),
				refused(Error::<Test>::BadDisputeSignature)
			);
		}
		assert!(awaiting(job));
		let computing = submit_default_job();
		assert_noop!(
			dispatch_authorized(crate::Call::<Test>::dispute {
				job: computing,
				signature: sign_dispute(&decryptor_pair(), computing, digest),
			}),
			refused(Error::<Test>::NotAwaitingReveal)
		);
		run_to_block(result_deadline(1) + RETENTION);
	});
}

// --- Vouchers ----------------------------------------------------------------------------------

#[test]
fn pool_watcher_spends_a_voucher_on_their_own_query() {
	build_and_execute(|| {
		let (payer, channel) = open_channel(10_000);
		let (voucher, signature) =
			job_voucher(&payer, channel, 1, PRICE, 0, &mean_query(), &consumer_key());
		let attacker = RuntimeOrigin::signed(account("other"));
		// Another query, or the attacker's own sealing key: the voucher pays for neither.
		for (query, key) in [(count_query(), consumer_key()), (mean_query(), [9; 32])] {
			assert_noop!(
				Compute::submit_job(
					attacker.clone(),
					0,
					query,
					Payment::Voucher { voucher, signature: signature.clone() },
					key
				),
				pallet_payment_channels::Error::<Test>::VoucherForAnotherJob
			);
		}
		// Submitting it as the payer signed it helps the payer only: the payer is the
		// consumer and the answer is sealed to the payer's key.
		assert_ok!(Compute::submit_job(
			attacker,
			0,
			mean_query(),
			Payment::Voucher { voucher, signature },
			consumer_key()
		));
		let job = Jobs::<Test>::get(0).expect("job");
		assert_eq!(job.consumer, account("payer"));
		assert_eq!(job.consumer_key, consumer_key());
		assert_eq!(job.payment, PaymentSource::Channel(channel));
		run_to_block(result_deadline(1) + RETENTION);
	});
}

#[test]
fn replayer_submits_a_job_voucher_twice() {
	build_and_execute(|| {
		let (payer, channel) = open_channel(10_000);
		let (voucher, signature) =
			job_voucher(&payer, channel, 1, PRICE, 0, &mean_query(), &consumer_key());
		let submit = |signature| {
			Compute::submit_job(
				RuntimeOrigin::signed(account("other")),
				0,
				mean_query(),
				Payment::Voucher { voucher, signature },
				consumer_key(),
			)
		};
		assert_ok!(submit(signature.clone()));
		assert_noop!(submit(signature), pallet_payment_channels::Error::<Test>::JobNonceSpent);
		run_to_block(result_deadline(1) + RETENTION);
	});
}

#[test]
fn owner_raises_the_price_after_the_voucher_was_signed() {
	build_and_execute(|| {
		let (payer, channel) = open_channel(10_000);
		let (voucher, signature) =
			job_voucher(&payer, channel, 1, PRICE, 0, &mean_query(), &consumer_key());
		MockCatalog::update(0, |dataset| dataset.price = PRICE + 1);
		assert_noop!(
			Compute::submit_job(
				RuntimeOrigin::signed(account("payer")),
				0,
				mean_query(),
				Payment::Voucher { voucher, signature },
				consumer_key()
			),
			pallet_payment_channels::Error::<Test>::PriceAboveVoucherMaximum
		);
	});
}

// --- Replicas ----------------------------------------------------------------------------------

/// Whether `worker` was paid anything for `job` at settlement (its free balance grew).
fn paid(worker: &str, before: Balance) -> bool {
	Balances::free_balance(account(worker)) > before
}

#[test]
fn lazy_worker_copies_a_digest() {
	build_and_execute(|| {
		let job = submit_default_job();
		assert_ok!(commit("w1", job, 1));
		assert_ok!(commit("w3", job, 1));
		// w2 computed nothing: it must commit before any result is public, so it commits to
		// a guess.
		assert_ok!(commit("w2", job, 7));
		assert_ok!(open("w1", job, 1));
		// w1's digest and blob are public now: w2 copies them, with its own salt or w1's.
		let (digest, blob) = result_of(1);
		for salt in [salt_of("w2"), salt_of("w1")] {
			let copied = crate::Call::<Test>::submit_result {
				job,
				worker: account("w2"),
				digest,
				result: blob.clone().try_into().expect("bounded"),
				salt,
				signature: sign_result("w2", job, digest, &blob),
			};
			assert_noop!(dispatch_authorized(copied), refused(Error::<Test>::CommitmentMismatch));
		}
		assert_ok!(open("w3", job, 1));
		let before = Balances::free_balance(account("w2"));
		assert_ok!(reveal(job, digest));
		assert!(!paid("w2", before), "a worker that computed nothing was paid");
		run_to_block(result_deadline(1));
		assert_eq!(bond_held("w2"), MIN_BOND * 2 - SLASH, "the copier is slashed");
	});
}

#[test]
fn lazy_worker_copies_a_commitment() {
	build_and_execute(|| {
		let job = submit_default_job();
		let theirs = commitment_of("w1", job, 1);
		assert_ok!(commit("w1", job, 1));
		// w2 takes w1's commitment from the pool as its own...
		assert_ok!(dispatch_authorized(commit_call("w2", "w2", job, theirs)));
		assert_ok!(commit("w3", job, 1));
		assert_ok!(open("w1", job, 1));
		// ...and opens it with w1's digest, blob and salt: the commitment names w1.
		assert_noop!(
			dispatch_authorized(open_call("w2", job, 1, salt_of("w1"))),
			refused(Error::<Test>::CommitmentMismatch)
		);
		assert_ok!(open("w3", job, 1));
		let before = Balances::free_balance(account("w2"));
		assert_ok!(reveal(job, result_of(1).0));
		assert!(!paid("w2", before));
		run_to_block(result_deadline(1));
		assert_eq!(bond_held("w2"), MIN_BOND * 2 - SLASH);
	});
}

#[test]
fn lazy_worker_waits_to_commit_until_a_digest_is_public() {
	build_and_execute(|| {
		let job = submit_default_job();
		assert_ok!(commit("w1", job, 1));
		assert_ok!(commit("w3", job, 1));
		// No result opens while a worker may still commit: until the commit deadline.
		assert_noop!(open("w1", job, 1), refused(Error::<Test>::ResultsNotOpen));
		run_to_block(commit_deadline(1));
		assert_ok!(open("w1", job, 1));
		// The digest is public: too late to commit to it.
		assert_noop!(commit("w2", job, 1), refused(Error::<Test>::CommitsClosed));
		assert_ok!(open("w3", job, 1));
		let before = Balances::free_balance(account("w2"));
		assert_ok!(reveal(job, result_of(1).0));
		assert!(!paid("w2", before));
		assert_eq!(bond_held("w2"), MIN_BOND * 2 - SLASH, "it missed its commit deadline");
	});
}

#[test]
fn hostile_worker_commits_garbage_first_to_force_a_refund() {
	build_and_execute(|| {
		let job = submit_default_job();
		// w1 computes nothing and commits at once; w2 is fast; w3 has a queue.
		assert_ok!(commit("w1", job, 9));
		assert_ok!(commit("w2", job, 1));
		// A majority of commitments does not open the results: w3 would be shut out, and
		// w1's garbage against w2's answer would be no majority, refunded, nobody slashed.
		run_to_block(commit_deadline(1) - 1);
		assert_noop!(open("w1", job, 9), refused(Error::<Test>::ResultsNotOpen));
		assert_ok!(commit("w3", job, 1));
		for (worker, byte) in [("w1", 9), ("w2", 1), ("w3", 1)] {
			assert_ok!(open(worker, job, byte));
		}
		assert_ok!(reveal(job, result_of(1).0));
		assert!(matches!(
			Jobs::<Test>::get(job).map(|job| job.status),
			Some(JobStatus::Revealed { .. })
		));
		assert_eq!(bond_held("w1"), MIN_BOND * 2 - SLASH, "the garbage is slashed");
	});
}

// --- Workers -----------------------------------------------------------------------------------

#[test]
fn squatter_registers_a_victims_worker_key() {
	build_and_execute(|| {
		let squatter = account("other");
		// Without the key, the squatter can only sign with its own key...
		let own = {
			use codec::Encode;
			use sp_core::Pair;
			tokenfactory_primitives::compute::WorkerKeyProof::new(
				Compute::genesis_hash(),
				&squatter,
			)
			.using_encoded(|payload| pair("other").sign(payload))
		};
		// ...or replay the victim's proof, which names the victim's account.
		for proof in [own, key_proof("w4")] {
			assert_noop!(
				Compute::register_worker(
					RuntimeOrigin::signed(squatter.clone()),
					worker_key("w4"),
					MIN_BOND,
					proof
				),
				Error::<Test>::BadKeyProof
			);
		}
		// The victim registers its own key.
		assert_ok!(Compute::register_worker(
			RuntimeOrigin::signed(account("w4")),
			worker_key("w4"),
			MIN_BOND,
			key_proof("w4")
		));
	});
}

#[test]
fn one_worker_forces_a_refund_with_an_even_split() {
	build_and_execute(|| {
		for even in [2, 4] {
			assert_noop!(
				Compute::set_replication_factor(RuntimeOrigin::root(), even),
				Error::<Test>::EvenReplicationFactor
			);
		}
	});
}

/// Three missed deadlines take w1 below the minimum bond while a fourth job, submitted a block
/// after the third, stays open for it. Returns the open job.
fn slash_w1_out_with_a_job_still_open() -> u64 {
	for _ in 0..2 {
		let job = submit_default_job();
		w1_never_opens(job);
		run_to_block(result_deadline(System::block_number()));
	}
	let third = submit_default_job();
	w1_never_opens(third);
	let deadline = result_deadline(System::block_number());
	run_to_block(System::block_number() + 1);
	let open = submit_default_job();
	run_to_block(deadline);
	assert!(matches!(
		Workers::<Test>::get(account("w1")).map(|w| w.status),
		Some(WorkerStatus::Unbonding { .. })
	));
	open
}

#[test]
fn slashed_out_worker_takes_its_bond_at_once() {
	build_and_execute(|| {
		for _ in 0..3 {
			let job = submit_default_job();
			w1_never_opens(job);
			run_to_block(result_deadline(System::block_number()));
		}
		assert!(matches!(
			Workers::<Test>::get(account("w1")).map(|w| w.status),
			Some(WorkerStatus::Unbonding { .. })
		));
		assert_eq!(bond_held("w1"), MIN_BOND * 2 - 3 * SLASH, "the rest of the bond stays held");
		assert_noop!(
			Compute::withdraw(RuntimeOrigin::signed(account("w1"))),
			Error::<Test>::UnbondingNotOver
		);
	});
}

#[test]
fn removed_worker_re_registers_and_corrupts_open_jobs() {
	build_and_execute(|| {
		let open = slash_w1_out_with_a_job_still_open();
		// w1 is out of the active set but still owes `open`.
		assert!(!crate::ActiveWorkers::<Test>::get().contains(&account("w1")));
		assert!(crate::Assignments::<Test>::contains_key(account("w1"), open));
		assert_noop!(
			Compute::register_worker(
				RuntimeOrigin::signed(account("w1")),
				worker_key("w1"),
				MIN_BOND,
				key_proof("w1")
			),
			Error::<Test>::AlreadyWorker
		);
		Compute::do_try_state().expect("open-job counts still match");
		// It answers for the open job like any worker: its result counts.
		all_agree(open, 1);
		assert!(compute_events().iter().any(|event| matches!(
			event,
			Event::ResultSubmitted { job, worker, .. } if *job == open && *worker == account("w1")
		)));
	});
}

// --- Flooding ----------------------------------------------------------------------------------

#[test]
fn flooder_gets_every_job_on_a_free_dataset_refunded() {
	build_and_execute(|| {
		JobFee::set(&5);
		MockCatalog::update(0, |dataset| dataset.price = 0);
		let before = Balances::free_balance(consumer());
		let treasury = Balances::free_balance(TreasuryAccount::get());
		let job = submit_default_job();
		// Nobody works on it; at the result deadline the (zero) price is refunded...
		run_to_block(Jobs::<Test>::get(job).expect("job").result_deadline);
		assert!(matches!(
			Jobs::<Test>::get(job).map(|job| job.status),
			Some(JobStatus::Refunded { .. })
		));
		// ...but the fee is not: the flood cost the flooder.
		assert_eq!(Balances::free_balance(consumer()), before - 5);
		assert!(Balances::free_balance(TreasuryAccount::get()) >= treasury + 5);
	});
}

#[test]
fn flooder_queues_more_jobs_than_a_worker_can_finish() {
	build_and_execute(|| {
		MaxOpenJobsPerWorker::set(&2);
		submit_default_job();
		submit_default_job();
		// Every worker has two open jobs: a third is refused, nothing is taken.
		let before = Balances::free_balance(consumer());
		assert_noop!(
			Compute::submit_job(
				RuntimeOrigin::signed(consumer()),
				0,
				mean_query(),
				Payment::FreeBalance,
				consumer_key()
			),
			Error::<Test>::WorkersBusy
		);
		assert_eq!(Balances::free_balance(consumer()), before);
		run_to_block(result_deadline(1) * 2 + RETENTION);
	});
}

#[test]
fn flooder_gets_an_honest_worker_slashed_for_its_backlog() {
	build_and_execute(|| {
		// Three jobs in one block: each worker has them queued one after the other.
		let jobs: Vec<u64> = (0..3).map(|_| submit_default_job()).collect();
		let deadlines: Vec<u64> =
			jobs.iter().map(|job| Jobs::<Test>::get(job).expect("job").commit_deadline).collect();
		// Each job's commitments are due a full allowance after the one before it.
		assert_eq!(deadlines[0], commit_deadline(1));
		assert!(deadlines[1] >= deadlines[0] + RESULT_TIMEOUT);
		assert!(deadlines[2] >= deadlines[1] + RESULT_TIMEOUT);
		// A worker that works through its queue at the allowed pace meets every deadline.
		for (job, deadline) in jobs.iter().zip(&deadlines) {
			run_to_block(deadline - 1);
			all_agree(*job, 1);
			assert_ok!(reveal(*job, result_of(1).0));
		}
		assert!(!compute_events().iter().any(|event| matches!(event, Event::WorkerSlashed { .. })));
	});
}

// --- The owner's duties ------------------------------------------------------------------------

mod owner {
	use super::*;
	use sp_runtime::DispatchResult;
	use tokenfactory_primitives::{
		compute::RefundReason,
		seal::{self, Opening},
	};

	fn opening(last: u64) -> Opening {
		Opening { digits: vec![1, 0, 3, last], blinding: seal::fr_from_bytes(&[9; 32]).unwrap() }
	}

	fn commitment_of(job: u64, opening: &Opening) -> [u8; 32] {
		seal::fr_to_bytes(&seal::result_commitment(
			&seal::poseidon_config(),
			job,
			&opening.digits,
			&opening.blinding,
		))
	}

	fn sealed(job: u64, opening: &Opening) -> Vec<u8> {
		seal::seal(&consumer_key(), job, opening, &[5; 32]).unwrap()
	}

	/// The owner's decryptor reveals `job` (agreed on `result_of(1)`) with `commitment` proven
	/// and `sealed` for the consumer.
	fn reveal_with(job: u64, commitment: [u8; 32], sealed: &[u8]) -> DispatchResult {
		let (digest, _) = result_of(1);
		let proof = MockVerifier::proof_for(&statement(job, digest, commitment));
		let signature =
			sign_reveal(&decryptor_pair(), job, commitment, sealed, &proof, consumer_key());
		dispatch_authorized(crate::Call::<Test>::reveal {
			job,
			result_commitment: commitment,
			sealed: sealed.to_vec().try_into().unwrap(),
			proof: proof.try_into().unwrap(),
			signature,
		})
	}

	/// `who` buys the default call on dataset 0, paid from its free balance.
	fn submit_as(who: AccountId) -> DispatchResult {
		Compute::submit_job(
			RuntimeOrigin::signed(who),
			0,
			mean_query(),
			Payment::FreeBalance,
			consumer_key(),
		)
	}

	fn complain(secret: [u8; 32]) -> DispatchResult {
		Compute::complain(RuntimeOrigin::signed(account("other")), 0, secret)
	}

	fn penalized(amount: Balance, reason: RefundReason) -> bool {
		compute_events().contains(&Event::OwnerPenalized {
			job: 0,
			key_set: KEY_SET,
			consumer: consumer(),
			amount,
			reason,
		})
	}

	#[test]
	fn owner_misses_the_reveal_at_no_cost() {
		build_and_execute(|| {
			let job = agreed_job();
			let before = Balances::free_balance(consumer());
			let Some(JobStatus::AwaitingReveal { reveal_deadline, .. }) =
				Jobs::<Test>::get(job).map(|job| job.status)
			else {
				panic!("awaiting its reveal")
			};
			run_to_block(reveal_deadline);
			// The escrow back, and the penalty out of the owner's bond.
			assert_eq!(Balances::free_balance(consumer()), before + PRICE + REVEAL_PENALTY);
			assert_eq!(MockCatalog::bond(), INITIAL_BOND - REVEAL_PENALTY);
			assert!(penalized(REVEAL_PENALTY, RefundReason::RevealTimeout));
		});
	}

	#[test]
	fn owner_seals_garbage_and_keeps_the_payment() {
		build_and_execute(|| {
			let job = agreed_job();
			let honest = opening(2);
			assert_ok!(reveal_with(
				job,
				commitment_of(job, &honest),
				b"TFS1 nothing anyone can open"
			));
			let before = Balances::free_balance(consumer());
			// The consumer publishes the job's sealing secret; anyone may carry it.
			assert_ok!(complain(CONSUMER_SECRET));
			assert_eq!(Balances::free_balance(consumer()), before + PRICE + REVEAL_PENALTY);
			assert_eq!(MockCatalog::bond(), INITIAL_BOND - PRICE - REVEAL_PENALTY);
			assert!(penalized(PRICE + REVEAL_PENALTY, RefundReason::SealRefuted));
			assert!(matches!(
				Jobs::<Test>::get(job).map(|job| job.status),
				Some(JobStatus::Refunded { reason: RefundReason::SealRefuted })
			));
		});
	}

	#[test]
	fn owner_seals_an_answer_the_proof_does_not_commit_to() {
		build_and_execute(|| {
			let job = agreed_job();
			// Proves the decryption of the agreed result, seals another value.
			assert_ok!(reveal_with(
				job,
				commitment_of(job, &opening(2)),
				&sealed(job, &opening(3))
			));
			let before = Balances::free_balance(consumer());
			assert_ok!(complain(CONSUMER_SECRET));
			assert_eq!(Balances::free_balance(consumer()), before + PRICE + REVEAL_PENALTY);
		});
	}

	#[test]
	fn consumer_complains_about_an_honest_seal() {
		build_and_execute(|| {
			let job = agreed_job();
			let honest = opening(2);
			assert_ok!(reveal_with(job, commitment_of(job, &honest), &sealed(job, &honest)));
			assert_noop!(complain(CONSUMER_SECRET), Error::<Test>::SealIsValid);
			assert_eq!(MockCatalog::bond(), INITIAL_BOND);
		});
	}

	#[test]
	fn stranger_complains_with_another_key() {
		build_and_execute(|| {
			let job = agreed_job();
			assert_ok!(reveal_with(job, commitment_of(job, &opening(2)), b"TFS1 garbage"));
			assert_noop!(complain([8; 32]), Error::<Test>::WrongSealingSecret);
		});
	}

	#[test]
	fn consumer_is_compensated_twice_for_one_bad_seal() {
		build_and_execute(|| {
			let job = agreed_job();
			assert_ok!(reveal_with(job, commitment_of(job, &opening(2)), b"TFS1 garbage"));
			assert_ok!(complain(CONSUMER_SECRET));
			assert_noop!(complain(CONSUMER_SECRET), Error::<Test>::NotRevealed);
		});
	}

	#[test]
	fn consumer_complains_before_the_reveal() {
		build_and_execute(|| {
			agreed_job();
			assert_noop!(complain(CONSUMER_SECRET), Error::<Test>::NotRevealed);
		});
	}

	#[test]
	fn owner_reaps_the_dataset_before_the_consumer_can_complain() {
		build_and_execute(|| {
			let job = agreed_job();
			assert_ok!(reveal_with(job, commitment_of(job, &opening(2)), b"TFS1 garbage"));
			// The dataset (and so the key set and its bond) cannot go while a complaint can come.
			assert_eq!(MockCatalog::get(0).running_jobs, 1);
			let prune = Jobs::<Test>::get(job).unwrap().result_deadline + RETENTION;
			run_to_block(prune);
			assert_eq!(MockCatalog::get(0).running_jobs, 0);
			assert_noop!(complain(CONSUMER_SECRET), Error::<Test>::UnknownJob);
		});
	}

	/// What one job sets aside of the owner's bond.
	const EXPOSURE: Balance = PRICE + REVEAL_PENALTY;

	#[test]
	fn owner_whose_bond_is_spent_keeps_selling() {
		build_and_execute(|| {
			MockCatalog::set_bond(EXPOSURE - 1);
			assert_noop!(submit_as(consumer()), Error::<Test>::OwnerBondTooLow);
		});
	}

	#[test]
	fn owner_sells_more_calls_at_once_than_its_bond_backs() {
		build_and_execute(|| {
			MockCatalog::set_bond(2 * EXPOSURE);
			let first = submit_default_job();
			submit_default_job();
			assert_eq!(MockCatalog::reserved(), 2 * EXPOSURE);
			assert_noop!(submit_as(consumer()), Error::<Test>::OwnerBondTooLow);
			// A job that ends gives its reservation back.
			run_to_block(Jobs::<Test>::get(first).unwrap().result_deadline);
			assert_eq!(MockCatalog::reserved(), PRICE + REVEAL_PENALTY);
			submit_default_job();
		});
	}

	#[test]
	fn owner_drains_its_bond_with_its_own_missed_jobs_before_the_consumer_complains() {
		build_and_execute(|| {
			MockCatalog::set_bond(2 * EXPOSURE);
			// The consumer's job, revealed with a seal nobody can open.
			let job = agreed_job();
			assert_ok!(reveal_with(job, commitment_of(job, &opening(2)), b"TFS1 garbage"));
			// The owner buys a call on its own dataset and never reveals it: the penalty goes
			// to itself, out of that job's own reservation.
			let own = crate::NextJobId::<Test>::get();
			assert_ok!(submit_as(owner()));
			assign_jobs();
			all_agree(own, 1);
			let Some(JobStatus::AwaitingReveal { reveal_deadline, .. }) =
				Jobs::<Test>::get(own).map(|job| job.status)
			else {
				panic!("awaiting its reveal")
			};
			run_to_block(reveal_deadline);
			assert_eq!(MockCatalog::bond(), 2 * EXPOSURE - REVEAL_PENALTY);
			// The consumer's compensation was set aside for it: it is paid in full.
			let before = Balances::free_balance(consumer());
			assert_ok!(complain(CONSUMER_SECRET));
			assert_eq!(Balances::free_balance(consumer()), before + EXPOSURE);
			assert_eq!(MockCatalog::reserved(), 0);
		});
	}

	#[test]
	fn owner_lets_the_reveal_deadline_slide_to_the_prune() {
		build_and_execute(|| {
			// A reveal deadline that found no room before the prune is handled by the prune.
			let job = agreed_job();
			let before = Balances::free_balance(consumer());
			Compute::prune(job);
			assert_eq!(Balances::free_balance(consumer()), before + PRICE + REVEAL_PENALTY);
			assert!(penalized(REVEAL_PENALTY, RefundReason::RevealTimeout));
		});
	}
}

/// Who draws a job's workers: the randomness of the block after the one that includes it.
mod assignment {
	use super::*;
	use crate::{Assignments, Unassigned};
	use tokenfactory_primitives::compute::RefundReason;

	/// Registers w4 and w5 too: five workers, three drawn per job.
	fn five_workers() {
		for name in ["w4", "w5"] {
			assert_ok!(Compute::register_worker(
				RuntimeOrigin::signed(account(name)),
				worker_key(name),
				MIN_BOND,
				key_proof_for(name, &account(name))
			));
		}
	}

	/// The workers drawn for a job submitted in block 1 under `parent` (the hash a block
	/// author can grind) when block 2's VRF gives `seed`.
	fn drawn(parent: [u8; 32], seed: u64) -> Vec<AccountId> {
		let mut ext = new_test_ext();
		ext.execute_with(|| {
			five_workers();
			System::set_parent_hash(parent.into());
			let job = crate::NextJobId::<Test>::get();
			assert_ok!(submit_mean_job());
			BlockSeed::set(&seed);
			assign_jobs();
			let record = Jobs::<Test>::get(job).expect("job");
			let mut workers: Vec<AccountId> =
				record.workers.iter().map(|a| a.worker.clone()).collect();
			workers.sort();
			workers
		})
	}

	#[test]
	fn block_author_grinds_the_parent_hash_to_pick_the_workers() {
		// Before: the parent hash drew the workers, and its author could try hash after hash
		// (reordering, resealing) until its own workers came up. Now it changes nothing.
		let first = drawn([0; 32], 7);
		for byte in 1..16u8 {
			assert_eq!(drawn([byte; 32], 7), first, "the parent hash does not decide");
		}
	}

	#[test]
	fn block_author_knows_the_workers_of_the_jobs_it_includes() {
		build_and_execute(|| {
			five_workers();
			assert_ok!(submit_mean_job());
			// In the including block nothing is drawn yet.
			let record = Jobs::<Test>::get(0).expect("job");
			assert_eq!(record.status, JobStatus::Assigning);
			assert!(record.workers.is_empty());
			assert!(Assignments::<Test>::iter().next().is_none());
			assert_eq!(Unassigned::<Test>::get().into_inner(), vec![0]);
			assign_jobs();
			assert_eq!(Jobs::<Test>::get(0).map(|job| job.workers.len()), Some(3));
			assert!(Unassigned::<Test>::get().is_empty());
		});
		// ... and the next block's randomness, which its author alone knows, decides.
		let draws: std::collections::BTreeSet<Vec<AccountId>> =
			(0..12).map(|seed| drawn([0; 32], seed)).collect();
		assert!(draws.len() > 1, "the next block's randomness decides the workers");
	}

	#[test]
	fn lazy_worker_commits_before_it_is_drawn() {
		build_and_execute(|| {
			assert_ok!(submit_mean_job());
			assert_noop!(commit("w1", 0, 1), refused(Error::<Test>::NotYetAssigned));
			assert_noop!(open("w1", 0, 1), refused(Error::<Test>::NotYetAssigned));
			assign_jobs();
			assert_ok!(commit("w1", 0, 1));
		});
	}

	#[test]
	fn consumer_floods_one_block_with_jobs() {
		build_and_execute(|| {
			for _ in 0..MAX_JOBS_PER_BLOCK {
				assert_ok!(submit_mean_job());
			}
			assert_noop!(submit_mean_job(), Error::<Test>::JobQueueFull);
			assign_jobs();
			assert_ok!(submit_mean_job());
			assign_jobs();
			assert_eq!(
				Jobs::<Test>::iter_values()
					.filter(|job| job.status == JobStatus::Computing)
					.count(),
				MAX_JOBS_PER_BLOCK as usize + 1
			);
			run_to_block(result_deadline(2) + RETENTION + 10);
		});
	}

	#[test]
	fn consumer_overbooks_the_workers_in_one_block() {
		build_and_execute(|| {
			// Three workers, all drawn, room for two jobs each: a third job in the same block
			// could not be drawn. It is refused before its fee is taken.
			MaxOpenJobsPerWorker::set(&2);
			JobFee::set(&7);
			assert_ok!(submit_mean_job());
			assert_ok!(submit_mean_job());
			assert_noop!(submit_mean_job(), Error::<Test>::WorkersBusy);
			assign_jobs();
			assert_eq!(
				Jobs::<Test>::iter_values()
					.filter(|job| job.status == JobStatus::Computing)
					.count(),
				2
			);
			assert_noop!(submit_mean_job(), Error::<Test>::WorkersBusy);
		});
	}

	#[test]
	fn workers_leave_between_the_submission_and_the_draw() {
		build_and_execute(|| {
			JobFee::set(&7);
			let treasury = Balances::free_balance(crate::mock::TreasuryAccount::get());
			let before = Balances::free_balance(consumer());
			assert_ok!(submit_mean_job());
			assert_eq!(MockCatalog::reserved(), PRICE + REVEAL_PENALTY);
			assert_ok!(Compute::unbond(RuntimeOrigin::signed(account("w1"))));
			assign_jobs();
			assert_eq!(
				Jobs::<Test>::get(0).map(|job| job.status),
				Some(JobStatus::Refunded { reason: RefundReason::Unassignable })
			);
			// The price comes back; the fee does not (it paid for the block space).
			assert_eq!(Balances::free_balance(consumer()), before - 7);
			assert_eq!(Balances::free_balance(crate::mock::TreasuryAccount::get()), treasury + 7);
			assert_eq!(MockCatalog::reserved(), 0);
			assert_eq!(MockCatalog::get(0).running_jobs, 0);
			assert!(Assignments::<Test>::iter().next().is_none());
			run_to_block(2 + RETENTION);
			assert!(Jobs::<Test>::get(0).is_none(), "forgotten after the retention period");
		});
	}
}
