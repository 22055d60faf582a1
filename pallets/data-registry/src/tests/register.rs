use crate::{
	mock::*, BlobKind, Column, DatasetStatus, Datasets, Error, Event, HoldReason, KeySets,
	NextDatasetId, ProgramPolicy,
};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold, BoundedVec};
use polkadot_sdk::*;
use tokenfactory_primitives::datasets::{ColumnWidth, ProgramKind};

fn register_with(
	collection: u32,
	key_set: u32,
	description: crate::DatasetDescription<Test>,
	terms: crate::DatasetTerms<Test>,
	manifest: Vec<crate::BlobSpec>,
) -> sp_runtime::DispatchResult {
	DataRegistry::register(
		RuntimeOrigin::signed(hospital()),
		collection,
		key_set,
		description,
		terms,
		BoundedVec::try_from(manifest).expect("within the bound"),
	)
}

/// A ready key set and a collection of the hospital.
fn setup() -> (u32, u32) {
	(ready_key_set(&hospital()), create_collection(&hospital()))
}

#[test]
fn register_mints_the_token_and_holds_the_deposit() {
	build_and_execute(|| {
		let (dataset, collection) = registered_dataset(&hospital());
		assert_eq!(nft_owner(collection, dataset), Some(hospital()));
		let record = Datasets::<Test>::get(dataset).expect("registered");
		assert_eq!(record.status, DatasetStatus::Uploading);
		assert_eq!((record.blob_count, record.missing, record.running_jobs), (2, 2, 0));
		assert_eq!(record.depositor, hospital());
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::DatasetDeposit.into(), &hospital()),
			record.deposit
		);
		assert_eq!(KeySets::<Test>::get(record.key_set).expect("exists").datasets, 1);
		assert_eq!(NextDatasetId::<Test>::get(), dataset + 1);
		assert!(registry_events().contains(&Event::DatasetRegistered {
			dataset,
			owner: hospital(),
			collection,
			key_set: record.key_set,
			blobs: 2,
			deposit: record.deposit,
		}));
	});
}

#[test]
fn a_longer_description_costs_a_larger_deposit() {
	build_and_execute(|| {
		let (key_set, collection) = setup();
		assert_ok!(register_with(
			collection,
			key_set,
			description(),
			terms(),
			data_manifest().into_inner()
		));
		let mut longer = description();
		longer.description =
			vec![b'x'; DESCRIPTION_LIMIT as usize].try_into().expect("at the limit");
		assert_ok!(register_with(
			collection,
			key_set,
			longer,
			terms(),
			data_manifest().into_inner()
		));
		let deposit = |id| Datasets::<Test>::get(id).expect("registered").deposit;
		assert!(deposit(1) > deposit(0));
	});
}

mod reject {
	use super::*;

	#[test]
	fn a_collection_the_caller_does_not_own() {
		build_and_execute(|| {
			let key_set = ready_key_set(&hospital());
			let theirs = create_collection(&clinic());
			assert_noop!(
				register_with(
					theirs,
					key_set,
					description(),
					terms(),
					data_manifest().into_inner()
				),
				Error::<Test>::NotCollectionOwner
			);
		});
	}

	#[test]
	fn an_unknown_key_set() {
		build_and_execute(|| {
			let collection = create_collection(&hospital());
			assert_noop!(
				register_with(collection, 9, description(), terms(), data_manifest().into_inner()),
				Error::<Test>::UnknownKeySet
			);
		});
	}

	#[test]
	fn someone_elses_key_set() {
		build_and_execute(|| {
			let theirs = ready_key_set(&clinic());
			let collection = create_collection(&hospital());
			assert_noop!(
				register_with(
					collection,
					theirs,
					description(),
					terms(),
					data_manifest().into_inner()
				),
				Error::<Test>::NotKeySetOwner
			);
		});
	}

	#[test]
	fn a_key_set_still_uploading() {
		build_and_execute(|| {
			assert_ok!(DataRegistry::register_key_set(
				RuntimeOrigin::signed(hospital()),
				1,
				[7; 32],
				decryptor(),
				key_manifest()
			));
			let collection = create_collection(&hospital());
			assert_noop!(
				register_with(collection, 0, description(), terms(), data_manifest().into_inner()),
				Error::<Test>::KeySetNotReady
			);
		});
	}

	#[test]
	fn an_empty_schema() {
		build_and_execute(|| {
			let (key_set, collection) = setup();
			let mut bad = description();
			bad.schema = Default::default();
			assert_noop!(
				register_with(collection, key_set, bad, terms(), data_manifest().into_inner()),
				Error::<Test>::EmptySchema
			);
		});
	}

	#[test]
	fn a_column_without_a_name() {
		build_and_execute(|| {
			let (key_set, collection) = setup();
			let mut bad = description();
			bad.schema[1].name = Default::default();
			assert_noop!(
				register_with(collection, key_set, bad, terms(), data_manifest().into_inner()),
				Error::<Test>::EmptyColumnName
			);
		});
	}

	#[test]
	fn two_columns_with_one_name() {
		build_and_execute(|| {
			let (key_set, collection) = setup();
			let mut bad = description();
			bad.schema[2] = Column { name: bad.schema[0].name.clone(), width: ColumnWidth::U32 };
			assert_noop!(
				register_with(collection, key_set, bad, terms(), data_manifest().into_inner()),
				Error::<Test>::DuplicateColumn
			);
		});
	}

	#[test]
	fn no_rows() {
		build_and_execute(|| {
			let (key_set, collection) = setup();
			let mut bad = description();
			bad.rows = 0;
			assert_noop!(
				register_with(collection, key_set, bad, terms(), data_manifest().into_inner()),
				Error::<Test>::NoRows
			);
		});
	}

	#[test]
	fn no_programs() {
		build_and_execute(|| {
			let (key_set, collection) = setup();
			let mut bad = terms();
			bad.programs = Default::default();
			assert_noop!(
				register_with(
					collection,
					key_set,
					description(),
					bad,
					data_manifest().into_inner()
				),
				Error::<Test>::NoPrograms
			);
		});
	}

	#[test]
	fn a_program_listed_twice() {
		build_and_execute(|| {
			let (key_set, collection) = setup();
			let mut bad = terms();
			bad.programs =
				vec![allow(ProgramKind::Sum), allow(ProgramKind::Sum)].try_into().expect("bounded");
			assert_noop!(
				register_with(
					collection,
					key_set,
					description(),
					bad,
					data_manifest().into_inner()
				),
				Error::<Test>::DuplicateProgram
			);
		});
	}

	#[test]
	fn a_cohort_minimum_of_zero_or_above_the_row_count() {
		build_and_execute(|| {
			let (key_set, collection) = setup();
			for min_cohort in [0, ROWS + 1] {
				let bad = crate::DatasetTerms::<Test> { min_cohort, ..terms() };
				assert_noop!(
					register_with(
						collection,
						key_set,
						description(),
						bad,
						data_manifest().into_inner()
					),
					Error::<Test>::InvalidMinCohort
				);
			}
		});
	}

	#[test]
	fn a_program_cohort_looser_than_the_datasets() {
		build_and_execute(|| {
			let (key_set, collection) = setup();
			let mut bad = terms();
			bad.programs = vec![ProgramPolicy {
				kind: ProgramKind::Count,
				min_cohort: Some(MIN_COHORT - 1),
				max_predicates: None,
			}]
			.try_into()
			.expect("bounded");
			assert_noop!(
				register_with(
					collection,
					key_set,
					description(),
					bad,
					data_manifest().into_inner()
				),
				Error::<Test>::ProgramCohortTooLow
			);
		});
	}

	#[test]
	fn a_program_cohort_above_the_row_count() {
		build_and_execute(|| {
			let (key_set, collection) = setup();
			let mut bad = terms();
			bad.programs = vec![ProgramPolicy {
				kind: ProgramKind::Count,
				min_cohort: Some(ROWS + 1),
				max_predicates: None,
			}]
			.try_into()
			.expect("bounded");
			assert_noop!(
				register_with(
					collection,
					key_set,
					description(),
					bad,
					data_manifest().into_inner()
				),
				Error::<Test>::InvalidMinCohort
			);
		});
	}

	#[test]
	fn a_bad_manifest() {
		build_and_execute(|| {
			let (key_set, collection) = setup();
			assert_noop!(
				register_with(collection, key_set, description(), terms(), vec![]),
				Error::<Test>::EmptyManifest
			);
			let mut key_material = data_manifest().into_inner();
			key_material[0].kind = BlobKind::PublicKey;
			assert_noop!(
				register_with(collection, key_set, description(), terms(), key_material),
				Error::<Test>::WrongBlobKind
			);
			let mut too_big = data_manifest().into_inner();
			too_big[1].size = MAX_CHUNK + 1;
			assert_noop!(
				register_with(collection, key_set, description(), terms(), too_big),
				Error::<Test>::InvalidBlobSize
			);
		});
	}

	#[test]
	fn when_ids_are_exhausted() {
		build_and_execute(|| {
			let (key_set, collection) = setup();
			NextDatasetId::<Test>::put(u32::MAX);
			assert_noop!(
				register_with(
					collection,
					key_set,
					description(),
					terms(),
					data_manifest().into_inner()
				),
				Error::<Test>::Overflow
			);
		});
	}
}
