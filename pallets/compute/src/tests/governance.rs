use crate::{mock::*, Error, Event, ReplicationFactor, VerifyingKeys};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;
use sp_runtime::DispatchError;

fn key(bytes: &[u8]) -> crate::VerifyingKeyOf<Test> {
	bytes.to_vec().try_into().expect("bounded")
}

#[test]
fn root_sets_and_removes_a_verifying_key() {
	build_and_execute(|| {
		assert_ok!(Compute::set_verifying_key(RuntimeOrigin::root(), 25, Some(key(&[1, 2]))));
		assert_eq!(VerifyingKeys::<Test>::get(25), Some(key(&[1, 2])));
		assert!(compute_events()
			.contains(&Event::VerifyingKeySet { circuit_blocks: 25, present: true }));
		assert_ok!(Compute::set_verifying_key(RuntimeOrigin::root(), 25, None));
		assert_eq!(VerifyingKeys::<Test>::get(25), None);
	});
}

#[test]
fn replacing_a_key_does_not_count_against_the_limit() {
	build_and_execute(|| {
		assert_ok!(Compute::set_verifying_key(RuntimeOrigin::root(), 25, Some(key(&[1]))));
		// Three shapes are the mock's limit; replacing one of them is fine.
		assert_ok!(Compute::set_verifying_key(RuntimeOrigin::root(), 9, Some(key(&[2]))));
	});
}

#[test]
fn too_many_circuits() {
	build_and_execute(|| {
		assert_ok!(Compute::set_verifying_key(RuntimeOrigin::root(), 25, Some(key(&[1]))));
		assert_noop!(
			Compute::set_verifying_key(RuntimeOrigin::root(), 33, Some(key(&[1]))),
			Error::<Test>::TooManyCircuits
		);
	});
}

#[test]
fn malformed_verifying_key() {
	build_and_execute(|| {
		assert_noop!(
			Compute::set_verifying_key(RuntimeOrigin::root(), 25, Some(key(&[]))),
			Error::<Test>::MalformedVerifyingKey
		);
	});
}

#[test]
fn root_sets_the_replication_factor() {
	build_and_execute(|| {
		assert_ok!(Compute::set_replication_factor(RuntimeOrigin::root(), 1));
		assert_eq!(ReplicationFactor::<Test>::get(), 1);
		let job = submit_default_job();
		assert_eq!(crate::Jobs::<Test>::get(job).map(|job| job.workers.len()), Some(1));
		assert!(compute_events().contains(&Event::ReplicationFactorSet { replicas: 1 }));
		run_to_block(result_deadline(1) + RETENTION);
	});
}

#[test]
fn invalid_replication_factor() {
	build_and_execute(|| {
		assert_noop!(
			Compute::set_replication_factor(RuntimeOrigin::root(), 0),
			Error::<Test>::InvalidReplicationFactor
		);
		assert_noop!(
			Compute::set_replication_factor(RuntimeOrigin::root(), 7),
			Error::<Test>::InvalidReplicationFactor
		);
	});
}

#[test]
fn only_root_governs() {
	build_and_execute(|| {
		assert_noop!(
			Compute::set_verifying_key(RuntimeOrigin::signed(owner()), 25, Some(key(&[1]))),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Compute::set_replication_factor(RuntimeOrigin::signed(owner()), 1),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn v1_makes_an_even_replication_factor_odd() {
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	build_and_execute(|| {
		for (stored, migrated) in [(2, 3), (4, 5), (3, 3)] {
			StorageVersion::new(0).put::<Compute>();
			ReplicationFactor::<Test>::put(stored);
			crate::migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
			assert_eq!(ReplicationFactor::<Test>::get(), migrated);
			assert_eq!(Compute::on_chain_storage_version(), StorageVersion::new(1));
		}
		// MaxReplicas is 5 in the mock: an even factor above the largest odd one goes down.
		StorageVersion::new(0).put::<Compute>();
		ReplicationFactor::<Test>::put(6);
		crate::migrations::v1::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(ReplicationFactor::<Test>::get(), 5);
		ReplicationFactor::<Test>::put(3);
	});
}
