use crate::{mock::*, DatasetStatus, Datasets, Error, Event, ProgramPolicy};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;
use tokenfactory_primitives::datasets::ProgramKind;

#[test]
fn the_owner_changes_price_programs_and_cohort() {
	build_and_execute(|| {
		let (dataset, _) = active_dataset(&hospital());
		let owner = RuntimeOrigin::signed(hospital());
		assert_ok!(DataRegistry::set_price(owner.clone(), dataset, 75));
		let programs = vec![allow(ProgramKind::Histogram)].try_into().expect("bounded");
		assert_ok!(DataRegistry::set_programs(owner.clone(), dataset, programs));
		assert_ok!(DataRegistry::set_min_cohort(owner, dataset, 10));
		let terms = Datasets::<Test>::get(dataset).expect("exists").terms;
		assert_eq!(terms.price, 75);
		assert_eq!(terms.programs.len(), 1);
		assert_eq!(terms.min_cohort, 10);
		let events = registry_events();
		assert!(events.contains(&Event::PriceChanged { dataset, price: 75 }));
		assert!(events.contains(&Event::ProgramsChanged { dataset, programs: 1 }));
		assert!(events.contains(&Event::MinCohortChanged { dataset, min_cohort: 10 }));
	});
}

#[test]
fn changing_terms_never_moves_the_deposit() {
	build_and_execute(|| {
		let (dataset, _) = active_dataset(&hospital());
		let before = Datasets::<Test>::get(dataset).expect("exists").deposit;
		let every_kind = [
			ProgramKind::Count,
			ProgramKind::Sum,
			ProgramKind::Mean,
			ProgramKind::Histogram,
			ProgramKind::WeightedSum,
		]
		.map(|kind| ProgramPolicy { kind, min_cohort: Some(ROWS), max_predicates: Some(4) });
		assert_ok!(DataRegistry::set_programs(
			RuntimeOrigin::signed(hospital()),
			dataset,
			every_kind.to_vec().try_into().expect("MaxPrograms kinds")
		));
		assert_eq!(Datasets::<Test>::get(dataset).expect("exists").deposit, before);
	});
}

#[test]
fn pause_and_resume() {
	build_and_execute(|| {
		let (dataset, _) = active_dataset(&hospital());
		assert_ok!(DataRegistry::pause(RuntimeOrigin::signed(hospital()), dataset));
		assert_eq!(Datasets::<Test>::get(dataset).expect("exists").status, DatasetStatus::Paused);
		assert_ok!(DataRegistry::resume(RuntimeOrigin::signed(hospital()), dataset));
		assert_eq!(Datasets::<Test>::get(dataset).expect("exists").status, DatasetStatus::Active);
		let events = registry_events();
		assert!(events.contains(&Event::DatasetPaused { dataset }));
		assert!(events.contains(&Event::DatasetResumed { dataset }));
	});
}

#[test]
fn revenue_goes_to_a_class_and_back() {
	build_and_execute(|| {
		let (dataset, _) = active_dataset(&hospital());
		assert_ok!(DataRegistry::set_revenue_destination(
			RuntimeOrigin::signed(hospital()),
			dataset,
			Some(CLASS)
		));
		let record = Datasets::<Test>::get(dataset).expect("exists");
		assert_eq!(
			DataRegistry::revenue_destination(dataset, &record),
			Some(crate::RevenueDestination::EquityClass(CLASS))
		);
		assert_ok!(DataRegistry::set_revenue_destination(
			RuntimeOrigin::signed(hospital()),
			dataset,
			None
		));
		let record = Datasets::<Test>::get(dataset).expect("exists");
		assert_eq!(
			DataRegistry::revenue_destination(dataset, &record),
			Some(crate::RevenueDestination::Owner(hospital()))
		);
		assert!(registry_events()
			.contains(&Event::RevenueDestinationChanged { dataset, class: Some(CLASS) }));
	});
}

mod reject {
	use super::*;

	#[test]
	fn changes_by_someone_who_does_not_hold_the_token() {
		build_and_execute(|| {
			let (dataset, _) = active_dataset(&hospital());
			let stranger = RuntimeOrigin::signed(bob());
			assert_noop!(
				DataRegistry::set_price(stranger.clone(), dataset, 1),
				Error::<Test>::NotOwner
			);
			assert_noop!(
				DataRegistry::set_min_cohort(stranger.clone(), dataset, 6),
				Error::<Test>::NotOwner
			);
			assert_noop!(DataRegistry::pause(stranger.clone(), dataset), Error::<Test>::NotOwner);
			assert_noop!(DataRegistry::retire(stranger, dataset), Error::<Test>::NotOwner);
		});
	}

	#[test]
	fn changes_to_an_unknown_dataset() {
		build_and_execute(|| {
			assert_noop!(
				DataRegistry::set_price(RuntimeOrigin::signed(hospital()), 4, 1),
				Error::<Test>::UnknownDataset
			);
		});
	}

	#[test]
	fn invalid_new_terms() {
		build_and_execute(|| {
			let (dataset, _) = active_dataset(&hospital());
			let owner = RuntimeOrigin::signed(hospital());
			assert_noop!(
				DataRegistry::set_programs(owner.clone(), dataset, Default::default()),
				Error::<Test>::NoPrograms
			);
			assert_noop!(
				DataRegistry::set_min_cohort(owner, dataset, 0),
				Error::<Test>::InvalidMinCohort
			);
		});
	}

	#[test]
	fn changes_to_a_retired_dataset() {
		build_and_execute(|| {
			let (dataset, _) = active_dataset(&hospital());
			assert_ok!(DataRegistry::retire(RuntimeOrigin::signed(hospital()), dataset));
			assert_noop!(
				DataRegistry::set_price(RuntimeOrigin::signed(hospital()), dataset, 1),
				Error::<Test>::DatasetRetired
			);
		});
	}

	#[test]
	fn pausing_a_dataset_that_is_not_active() {
		build_and_execute(|| {
			let (dataset, _) = registered_dataset(&hospital());
			assert_noop!(
				DataRegistry::pause(RuntimeOrigin::signed(hospital()), dataset),
				Error::<Test>::NotActive
			);
		});
	}

	#[test]
	fn resuming_a_dataset_that_is_not_paused() {
		build_and_execute(|| {
			let (dataset, _) = active_dataset(&hospital());
			assert_noop!(
				DataRegistry::resume(RuntimeOrigin::signed(hospital()), dataset),
				Error::<Test>::NotPaused
			);
		});
	}

	#[test]
	fn routing_revenue_to_a_class_that_does_not_exist() {
		build_and_execute(|| {
			let (dataset, _) = active_dataset(&hospital());
			assert_noop!(
				DataRegistry::set_revenue_destination(
					RuntimeOrigin::signed(hospital()),
					dataset,
					Some(CLASS + 1)
				),
				Error::<Test>::UnknownClass
			);
		});
	}
}
