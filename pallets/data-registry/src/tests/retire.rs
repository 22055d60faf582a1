use crate::{mock::*, DataCatalog, DatasetStatus, Datasets, Error, Event, HoldReason, KeySets};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use polkadot_sdk::*;
use tokenfactory_primitives::datasets::{blob_offchain_key, BlobTarget, ProgramKind};

#[test]
fn retire_then_reap_after_the_grace_period_returns_everything() {
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		let (dataset, collection) = active_dataset(&hospital());
		let key_set = Datasets::<Test>::get(dataset).expect("exists").key_set;
		assert_ok!(DataRegistry::retire(RuntimeOrigin::signed(hospital()), dataset));
		assert_eq!(
			Datasets::<Test>::get(dataset).expect("exists").status,
			DatasetStatus::Retired(1)
		);
		assert!(
			registry_events().contains(&Event::DatasetRetired { dataset, reapable_at: 1 + GRACE })
		);
		assert_eq!(
			DataRegistry::job_terms(dataset, ProgramKind::Count),
			Err(crate::JobRefusal::NotActive)
		);

		run_to_block(1 + GRACE);
		assert_ok!(DataRegistry::reap(RuntimeOrigin::signed(bob()), dataset));
		assert!(Datasets::<Test>::get(dataset).is_none());
		assert_eq!(nft_owner(collection, dataset), None);
		assert_eq!(Balances::balance_on_hold(&HoldReason::DatasetDeposit.into(), &hospital()), 0);
		assert_eq!(KeySets::<Test>::get(key_set).expect("exists").datasets, 0);
		assert!(registry_events()
			.contains(&Event::DatasetReaped { dataset, deposit_returned_to: hospital() }));
		// Now the key set can go too.
		assert_ok!(DataRegistry::retire_key_set(RuntimeOrigin::signed(hospital()), key_set));
		DataRegistry::do_try_state().expect("invariants hold");
	});
	ext.persist_offchain_overlay();
	assert_eq!(ext.offchain_db().get(&blob_offchain_key(BlobTarget::Dataset(0), 0)), None);
}

#[test]
fn running_jobs_finish_before_the_dataset_is_reaped() {
	build_and_execute(|| {
		let (dataset, _) = active_dataset(&hospital());
		DataRegistry::job_started(dataset);
		assert_ok!(DataRegistry::retire(RuntimeOrigin::signed(hospital()), dataset));
		run_to_block(1 + GRACE);
		assert_noop!(
			DataRegistry::reap(RuntimeOrigin::signed(bob()), dataset),
			Error::<Test>::JobsStillRunning
		);
		DataRegistry::job_finished(dataset);
		assert_ok!(DataRegistry::reap(RuntimeOrigin::signed(bob()), dataset));
	});
}

#[test]
fn a_dataset_that_never_finished_uploading_can_be_retired_and_reaped() {
	build_and_execute(|| {
		let (dataset, _) = registered_dataset(&hospital());
		assert_ok!(DataRegistry::retire(RuntimeOrigin::signed(hospital()), dataset));
		run_to_block(1 + GRACE);
		assert_ok!(DataRegistry::reap(RuntimeOrigin::signed(hospital()), dataset));
	});
}

mod reject {
	use super::*;

	#[test]
	fn retiring_twice() {
		build_and_execute(|| {
			let (dataset, _) = active_dataset(&hospital());
			assert_ok!(DataRegistry::retire(RuntimeOrigin::signed(hospital()), dataset));
			assert_noop!(
				DataRegistry::retire(RuntimeOrigin::signed(hospital()), dataset),
				Error::<Test>::DatasetRetired
			);
		});
	}

	#[test]
	fn reaping_a_dataset_that_is_not_retired() {
		build_and_execute(|| {
			let (dataset, _) = active_dataset(&hospital());
			assert_noop!(
				DataRegistry::reap(RuntimeOrigin::signed(bob()), dataset),
				Error::<Test>::NotRetired
			);
		});
	}

	#[test]
	fn reaping_before_the_grace_period_ends() {
		build_and_execute(|| {
			let (dataset, _) = active_dataset(&hospital());
			assert_ok!(DataRegistry::retire(RuntimeOrigin::signed(hospital()), dataset));
			run_to_block(GRACE);
			assert_noop!(
				DataRegistry::reap(RuntimeOrigin::signed(bob()), dataset),
				Error::<Test>::GracePeriodNotOver
			);
		});
	}

	#[test]
	fn reaping_an_unknown_dataset() {
		build_and_execute(|| {
			assert_noop!(
				DataRegistry::reap(RuntimeOrigin::signed(bob()), 3),
				Error::<Test>::UnknownDataset
			);
			assert_noop!(
				DataRegistry::retire(RuntimeOrigin::signed(bob()), 3),
				Error::<Test>::UnknownDataset
			);
		});
	}
}
