use crate::{
	mock::*, Assignments, DeadlineKind, Deadlines, Error, Event, JobStatus, Jobs, PaymentSource,
};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use polkadot_sdk::*;
use tokenfactory_primitives::{
	compute::Payment,
	datasets::RevenueDestination,
	programs::{BoundedList, CompareOp, Predicate, Program, Query},
};

fn escrow_of(who: &AccountId) -> Balance {
	Balances::balance_on_hold(&crate::HoldReason::JobEscrow.into(), who)
}

fn submit(query: Query, payment: crate::PaymentOf<Test>) -> sp_runtime::DispatchResult {
	Compute::submit_job(RuntimeOrigin::signed(consumer()), 0, query, payment, consumer_key())
}

#[test]
fn a_job_paid_from_free_balance_is_escrowed_assigned_and_scheduled() {
	build_and_execute(|| {
		let job = submit_default_job();
		assert_eq!(escrow_of(&consumer()), PRICE);
		let record = Jobs::<Test>::get(job).expect("job");
		assert_eq!(record.status, JobStatus::Computing);
		assert_eq!(record.payment, PaymentSource::FreeBalance);
		assert_eq!(record.workers.len(), 3);
		// The cohort minimum is the dataset's, since the query asked for none.
		assert_eq!(record.query.min_cohort, 5);
		// Mean over 64 rows of a 16-bit column: a 1-bit gate, a 7-bit count, a 22-bit total.
		assert_eq!(record.result_blocks, 1 + 4 + 11);
		assert_eq!(record.circuit_blocks, 17);
		for assignment in record.workers.iter() {
			assert!(Assignments::<Test>::contains_key(&assignment.worker, job));
		}
		assert!(Deadlines::<Test>::get(result_deadline(1)).contains(&(job, DeadlineKind::Results)));
		assert!(Deadlines::<Test>::get(result_deadline(1) + RETENTION)
			.contains(&(job, DeadlineKind::Prune)));
		assert_eq!(MockCatalog::get(0).running_jobs, 1);
		let events = compute_events();
		assert!(events.iter().any(|event| matches!(
			event,
			Event::JobSubmitted { job: 0, dataset: 0, price: PRICE, .. }
		)));
		assert!(matches!(
			events.last(),
			Some(Event::JobAssigned { job: 0, workers, commit_deadline, result_deadline: r })
				if workers.len() == 3 && *commit_deadline == super::super::mock::commit_deadline(1)
					&& *r == result_deadline(1)
		));
		// Clean up so that conservation is checked on a finished job.
		run_to_block(result_deadline(1) + RETENTION);
		assert!(Jobs::<Test>::get(job).is_none());
	});
}

#[test]
fn a_stricter_gate_asked_by_the_consumer_is_kept() {
	build_and_execute(|| {
		let mut query = mean_query();
		query.min_cohort = 9;
		assert_ok!(submit(query, Payment::FreeBalance));
		assert_eq!(Jobs::<Test>::get(0).map(|job| job.query.min_cohort), Some(9));
	});
}

#[test]
fn assignment_is_deterministic_and_distinct() {
	let assigned = || {
		let mut ext = new_test_ext_with(3, &["w1", "w2", "w3", "w4", "w5"]);
		ext.execute_with(|| {
			let job = submit_default_job();
			Jobs::<Test>::get(job)
				.expect("job")
				.workers
				.iter()
				.map(|a| a.worker.clone())
				.collect::<Vec<_>>()
		})
	};
	let first = assigned();
	assert_eq!(first, assigned());
	assert_eq!(first.len(), 3);
	assert!(first[0] != first[1] && first[1] != first[2] && first[0] != first[2]);
}

#[test]
fn a_job_paid_by_voucher_charges_the_price_to_the_channel() {
	build_and_execute(|| {
		let (payer, channel) = open_channel(10_000);
		let owner_before = Balances::free_balance(owner());
		// The payer allows up to PRICE + 300; the job costs PRICE.
		let (voucher, signature) =
			job_voucher(&payer, channel, 1, PRICE + 300, 0, &mean_query(), &consumer_key());
		assert_ok!(submit(mean_query(), Payment::Voucher { voucher, signature }));
		let record = Jobs::<Test>::get(0).expect("job");
		assert_eq!(record.consumer, account("payer"));
		assert_eq!(record.payment, PaymentSource::Channel(channel));
		assert_eq!(escrow_of(&account("payer")), PRICE);
		assert_eq!(Balances::free_balance(owner()), owner_before);
		let channel = pallet_payment_channels::Channels::<Test>::get(channel).expect("open");
		assert_eq!((channel.settled, channel.charged, channel.job_nonce), (0, PRICE, 1));
	});
}

#[test]
fn a_voucher_below_the_price_is_refused() {
	build_and_execute(|| {
		let (payer, channel) = open_channel(10_000);
		let (voucher, signature) =
			job_voucher(&payer, channel, 1, PRICE - 1, 0, &mean_query(), &consumer_key());
		assert_noop!(
			submit(mean_query(), Payment::Voucher { voucher, signature }),
			pallet_payment_channels::Error::<Test>::PriceAboveVoucherMaximum
		);
	});
}

#[test]
fn a_voucher_the_channel_refuses_changes_nothing() {
	build_and_execute(|| {
		let (_, channel) = open_channel(10_000);
		// Signed by someone other than the payer.
		let (voucher, signature) =
			job_voucher(&pair("other"), channel, 1, PRICE, 0, &mean_query(), &consumer_key());
		assert!(submit(mean_query(), Payment::Voucher { voucher, signature }).is_err());
		assert!(Jobs::<Test>::get(0).is_none());
		assert_eq!(escrow_of(&account("payer")), 0);
	});
}

#[test]
fn a_consumer_who_cannot_pay_is_refused() {
	build_and_execute(|| {
		MockCatalog::update(0, |dataset| dataset.price = INITIAL_BALANCE * 2);
		assert!(submit(mean_query(), Payment::FreeBalance).is_err());
		assert!(Jobs::<Test>::get(0).is_none());
	});
}

#[test]
fn unknown_dataset() {
	build_and_execute(|| {
		assert_noop!(
			Compute::submit_job(
				RuntimeOrigin::signed(consumer()),
				9,
				mean_query(),
				Payment::FreeBalance,
				[0; 32]
			),
			Error::<Test>::UnknownDataset
		);
	});
}

#[test]
fn dataset_not_active() {
	build_and_execute(|| {
		MockCatalog::update(0, |dataset| dataset.active = false);
		assert_noop!(submit(mean_query(), Payment::FreeBalance), Error::<Test>::DatasetNotActive);
	});
}

#[test]
fn program_not_allowed() {
	build_and_execute(|| {
		let query = Query {
			program: Program::Sum { column: 1 },
			filter: BoundedList::empty(),
			min_cohort: 0,
		};
		assert_noop!(submit(query, Payment::FreeBalance), Error::<Test>::ProgramNotAllowed);
	});
}

#[test]
fn dataset_has_no_owner() {
	build_and_execute(|| {
		MockCatalog::update(0, |dataset| dataset.has_owner = false);
		assert_noop!(submit(mean_query(), Payment::FreeBalance), Error::<Test>::DatasetHasNoOwner);
	});
}

#[test]
fn too_many_predicates() {
	build_and_execute(|| {
		MockCatalog::update(0, |dataset| dataset.max_predicates = Some(1));
		assert_noop!(submit(mean_query(), Payment::FreeBalance), Error::<Test>::TooManyPredicates);
	});
}

#[test]
fn invalid_query() {
	build_and_execute(|| {
		let query = Query {
			program: Program::Mean { column: 1 },
			filter: BoundedList::new(vec![Predicate {
				column: 0,
				op: CompareOp::Lt,
				constant: 300,
			}])
			.expect("one predicate"),
			min_cohort: 0,
		};
		assert_noop!(submit(query, Payment::FreeBalance), Error::<Test>::InvalidQuery);
	});
}

#[test]
fn no_circuit_for_result() {
	build_and_execute(|| {
		// Twelve buckets of a 7-bit count and more: beyond the 17-block shape.
		let query = Query {
			program: Program::Histogram {
				column: 0,
				edges: BoundedList::new((1..=12).map(|edge| edge * 10).collect())
					.expect("12 edges"),
			},
			filter: BoundedList::empty(),
			min_cohort: 0,
		};
		assert_noop!(submit(query, Payment::FreeBalance), Error::<Test>::NoCircuitForResult);
	});
}

#[test]
fn not_enough_workers() {
	build_and_execute(|| {
		assert_ok!(Compute::unbond(RuntimeOrigin::signed(account("w1"))));
		assert_noop!(submit(mean_query(), Payment::FreeBalance), Error::<Test>::NotEnoughWorkers);
	});
}

#[test]
fn deadline_queue_full() {
	build_and_execute(|| {
		// Fill every block a result deadline could slide to.
		for offset in 0..16u64 {
			Deadlines::<Test>::insert(
				result_deadline(1) + offset,
				frame_support::BoundedVec::truncate_from(vec![
					(99, DeadlineKind::Prune);
					MAX_DEADLINES as usize
				]),
			);
		}
		// The job is paid for, but the next block cannot schedule it: it is refunded there.
		assert_ok!(submit(mean_query(), Payment::FreeBalance));
		assert_eq!(escrow_of(&consumer()), PRICE);
		assign_jobs();
		assert_eq!(
			Jobs::<Test>::get(0).map(|job| job.status),
			Some(JobStatus::Refunded {
				reason: tokenfactory_primitives::compute::RefundReason::Unassignable
			})
		);
		assert_eq!(escrow_of(&consumer()), 0);
		assert!(Assignments::<Test>::iter().next().is_none(), "nobody was assigned");
		// Its prune (due at 2 + RETENTION) slid past the full blocks.
		assert!(Deadlines::<Test>::get(result_deadline(1) + 16).contains(&(0, DeadlineKind::Prune)));
		for offset in 0..16u64 {
			Deadlines::<Test>::remove(result_deadline(1) + offset);
		}
		run_to_block(result_deadline(1) + 16);
		assert!(Jobs::<Test>::get(0).is_none());
	});
}

#[test]
fn job_ids_exhausted() {
	build_and_execute(|| {
		crate::NextJobId::<Test>::put(u64::MAX);
		assert_noop!(submit(mean_query(), Payment::FreeBalance), Error::<Test>::Overflow);
	});
}

#[test]
fn revenue_destination_is_fixed_when_the_job_is_bought() {
	build_and_execute(|| {
		MockDividends::create_class(4);
		MockCatalog::update(0, |dataset| dataset.revenue = RevenueDestination::EquityClass(4));
		let job = submit_default_job();
		assert_eq!(
			Jobs::<Test>::get(job).map(|job| job.revenue),
			Some(RevenueDestination::EquityClass(4))
		);
	});
}
