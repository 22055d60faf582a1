//! Storage migrations, run on storage written in the old format.

use crate::{
	migrations::v2::{self, OldAssignment, OldJob},
	mock::*,
	Assignments, Job, JobStatus, Jobs, Workers,
};
use frame_support::{
	assert_ok,
	traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
};
use polkadot_sdk::*;
use tokenfactory_primitives::compute::{JobId, RefundReason};

/// Writes `job` back in the version-1 format, with `results` as its workers' results.
fn downgrade(id: JobId, job: Job<Test>) {
	let old = OldJob::<Test> {
		dataset: job.dataset,
		consumer: job.consumer,
		payment: job.payment,
		price: job.price,
		owner: job.owner,
		revenue: job.revenue,
		key_set: job.key_set,
		key_commitment: job.key_commitment,
		schema: job.schema,
		rows: job.rows,
		query: job.query,
		result_blocks: job.result_blocks,
		circuit_blocks: job.circuit_blocks,
		consumer_key: job.consumer_key,
		workers: frame_support::BoundedVec::truncate_from(
			job.workers
				.into_iter()
				.map(|a| OldAssignment { worker: a.worker, result: a.result })
				.collect(),
		),
		submitted_at: job.submitted_at,
		result_deadline: job.result_deadline,
		result_phase_open: job.result_phase_open,
		status: job.status,
	};
	frame_support::storage::unhashed::put(&Jobs::<Test>::hashed_key_for(id), &old);
}

#[test]
fn v2_refunds_computing_jobs_and_releases_every_worker_without_a_slash() {
	build_and_execute(|| {
		let consumer_before = Balances::free_balance(consumer());
		// A job computing at the upgrade, and one agreed on by two workers with w1 to come.
		let computing = submit_default_job();
		let agreed = submit_default_job();
		for worker in WORKERS {
			assert_ok!(commit(worker, agreed, 1));
		}
		assert_ok!(open("w2", agreed, 1));
		assert_ok!(open("w3", agreed, 1));
		StorageVersion::new(1).put::<Compute>();
		for id in [computing, agreed] {
			downgrade(id, Jobs::<Test>::get(id).expect("job"));
		}

		v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();

		assert_eq!(Compute::on_chain_storage_version(), StorageVersion::new(2));
		let computing = Jobs::<Test>::get(computing).expect("decodes in the new format");
		assert_eq!(computing.status, JobStatus::Refunded { reason: RefundReason::Upgraded });
		let agreed_job = Jobs::<Test>::get(agreed).expect("decodes in the new format");
		assert!(matches!(agreed_job.status, JobStatus::AwaitingReveal { .. }));
		for job in [&computing, &agreed_job] {
			assert!(!job.result_phase_open);
			assert!(job.workers.iter().all(|a| a.commitment.is_none()));
		}
		assert_eq!(agreed_job.workers.iter().filter(|a| a.result.is_some()).count(), 2);
		assert!(Assignments::<Test>::iter().next().is_none());
		for worker in WORKERS {
			let record = Workers::<Test>::get(account(worker)).expect("worker");
			assert_eq!((record.bond, record.open_jobs), (MIN_BOND * 2, 0));
		}
		// The agreed job goes on to its reveal; the computing one's price is back.
		assert_ok!(reveal(agreed, result_of(1).0));
		assert_eq!(Balances::free_balance(consumer()), consumer_before - 2 * JobFee::get() - PRICE);
		run_to_block(result_deadline(1) + RETENTION);
	});
}

#[test]
fn v2_does_not_slash_again_a_minority_that_version_1_slashed() {
	build_and_execute(|| {
		let job = submit_default_job();
		submit_results(job, &[("w1", 9), ("w2", 1), ("w3", 1)]);
		// Version 1 slashed w1 when the majority formed; its record still shows w1's digest.
		StorageVersion::new(1).put::<Compute>();
		downgrade(job, Jobs::<Test>::get(job).expect("job"));

		v2::MigrateV1ToV2::<Test>::on_runtime_upgrade();

		let migrated = Jobs::<Test>::get(job).expect("decodes in the new format");
		let w1 = migrated.workers.iter().find(|a| a.worker == account("w1")).expect("assigned");
		assert_eq!(w1.result, None);
		assert_ok!(reveal(job, result_of(1).0));
		let bond = Workers::<Test>::get(account("w1")).expect("worker").bond;
		assert_eq!(bond, MIN_BOND * 2, "the reveal slashed the old minority a second time");
	});
}

#[test]
fn v3_keeps_a_job_revealed_before_the_upgrade_open_until_its_prune() {
	build_and_execute(|| {
		let job = submit_default_job();
		all_agree(job, 1);
		assert_ok!(reveal(job, result_of(1).0));
		// Version 2 released the dataset at the reveal.
		MockCatalog::update(0, |dataset| dataset.running_jobs = 0);
		StorageVersion::new(2).put::<Compute>();

		crate::migrations::v3::MigrateV2ToV3::<Test>::on_runtime_upgrade();

		assert_eq!(Compute::on_chain_storage_version(), StorageVersion::new(3));
		assert_eq!(MockCatalog::get(0).running_jobs, 1);
		// The prune releases it once (the mock panics on a release below zero).
		run_to_block(result_deadline(1) + RETENTION);
		assert_eq!(MockCatalog::get(0).running_jobs, 0);
	});
}
