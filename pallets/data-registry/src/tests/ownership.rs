//! Whoever holds the dataset's token is its owner: control and revenue follow the NFT.

use crate::{mock::*, DataCatalog, Datasets, Error, RevenueDestination};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;
use tokenfactory_primitives::datasets::ProgramKind;

#[test]
fn transferring_the_token_transfers_control_and_revenue() {
	build_and_execute(|| {
		let (dataset, collection) = active_dataset(&hospital());
		assert_ok!(DataRegistry::set_revenue_destination(
			RuntimeOrigin::signed(hospital()),
			dataset,
			Some(CLASS)
		));
		assert_eq!(
			DataRegistry::job_terms(dataset, ProgramKind::Mean).expect("takes jobs").revenue,
			RevenueDestination::EquityClass(CLASS)
		);

		assert_ok!(Nfts::transfer(
			RuntimeOrigin::signed(hospital()),
			collection,
			dataset,
			clinic()
		));

		let terms = DataRegistry::job_terms(dataset, ProgramKind::Mean).expect("takes jobs");
		assert_eq!(terms.owner, clinic());
		// The old owner's class choice lapsed with the token.
		assert_eq!(terms.revenue, RevenueDestination::Owner(clinic()));
		assert_noop!(
			DataRegistry::set_price(RuntimeOrigin::signed(hospital()), dataset, 1),
			Error::<Test>::NotOwner
		);
		assert_ok!(DataRegistry::set_price(RuntimeOrigin::signed(clinic()), dataset, 1));
		// The registrant keeps paying, and gets back, the storage deposit.
		assert_eq!(Datasets::<Test>::get(dataset).expect("exists").depositor, hospital());
	});
}

#[test]
fn a_class_chosen_by_the_new_owner_applies() {
	build_and_execute(|| {
		let (dataset, collection) = active_dataset(&hospital());
		assert_ok!(Nfts::transfer(
			RuntimeOrigin::signed(hospital()),
			collection,
			dataset,
			clinic()
		));
		assert_ok!(DataRegistry::set_revenue_destination(
			RuntimeOrigin::signed(clinic()),
			dataset,
			Some(CLASS)
		));
		assert_eq!(
			DataRegistry::job_terms(dataset, ProgramKind::Count).expect("takes jobs").revenue,
			RevenueDestination::EquityClass(CLASS)
		);
	});
}

#[test]
fn a_token_burnt_outside_the_registry_leaves_a_dataset_anyone_can_retire() {
	build_and_execute(|| {
		let (dataset, collection) = active_dataset(&hospital());
		assert_ok!(Nfts::burn(RuntimeOrigin::signed(hospital()), collection, dataset));
		assert_eq!(
			DataRegistry::job_terms(dataset, ProgramKind::Count),
			Err(crate::JobRefusal::NoOwner)
		);
		assert_ok!(DataRegistry::retire(RuntimeOrigin::signed(bob()), dataset));
		run_to_block(1 + GRACE);
		assert_ok!(DataRegistry::reap(RuntimeOrigin::signed(bob()), dataset));
		assert!(Datasets::<Test>::get(dataset).is_none());
	});
}
