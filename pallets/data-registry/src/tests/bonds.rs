//! The key-set bond: what an owner's decryptor stands behind its reveals with.

use crate::{mock::*, DataCatalog, Error, Event, HoldReason, KeySetBonds, KeySetReserved};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use polkadot_sdk::*;
use tokenfactory_primitives::datasets::{JobRefusal, ProgramKind};

fn bond_held(who: &sp_runtime::AccountId32) -> Balance {
	Balances::balance_on_hold(&HoldReason::KeySetBond.into(), who)
}

#[test]
fn registering_a_key_set_posts_its_bond() {
	build_and_execute(|| {
		let key_set = ready_key_set(&hospital());
		assert_eq!(KeySetBonds::<Test>::get(key_set), KEY_SET_BOND);
		assert_eq!(bond_held(&hospital()), KEY_SET_BOND);
	});
}

#[test]
fn a_pauper_cannot_register_a_key_set() {
	build_and_execute(|| {
		assert!(DataRegistry::register_key_set(
			RuntimeOrigin::signed(pauper()),
			1,
			[7; 32],
			decryptor(),
			key_manifest()
		)
		.is_err());
		assert_eq!(KeySetBonds::<Test>::iter().count(), 0);
	});
}

#[test]
fn a_slash_pays_the_consumer_and_a_smaller_bond_backs_fewer_jobs() {
	build_and_execute(|| {
		active_dataset(&hospital());
		let key_set = 0;
		let before = Balances::free_balance(bob());
		assert_eq!(DataRegistry::slash_bond(key_set, 200, &bob()), 200);
		assert_eq!(Balances::free_balance(bob()), before + 200);
		assert_eq!(KeySetBonds::<Test>::get(key_set), KEY_SET_BOND - 200);
		assert_eq!(bond_held(&hospital()), KEY_SET_BOND - 200);
		assert!(registry_events().contains(&Event::KeySetBondSlashed {
			key_set,
			to: bob(),
			amount: 200,
			bond: KEY_SET_BOND - 200
		}));
		assert_eq!(
			DataRegistry::reserve_bond(key_set, KEY_SET_BOND - 199),
			Err(JobRefusal::OwnerBondTooLow)
		);
		assert_ok!(DataRegistry::bond_key_set(RuntimeOrigin::signed(hospital()), key_set, 200));
		assert_eq!(KeySetBonds::<Test>::get(key_set), KEY_SET_BOND);
		assert_eq!(DataRegistry::reserve_bond(key_set, KEY_SET_BOND - 199), Ok(()));
		DataRegistry::release_bond(key_set, KEY_SET_BOND - 199);
	});
}

#[test]
fn reservations_never_exceed_the_bond() {
	build_and_execute(|| {
		let key_set = ready_key_set(&hospital());
		assert_eq!(DataRegistry::reserve_bond(key_set, 300), Ok(()));
		assert_eq!(DataRegistry::reserve_bond(key_set, 200), Ok(()));
		assert_eq!(KeySetReserved::<Test>::get(key_set), KEY_SET_BOND);
		assert_eq!(DataRegistry::reserve_bond(key_set, 1), Err(JobRefusal::OwnerBondTooLow));
		assert_eq!(DataRegistry::reserve_bond(99, 1), Err(JobRefusal::OwnerBondTooLow));
		DataRegistry::release_bond(key_set, 300);
		assert_eq!(DataRegistry::reserve_bond(key_set, 300), Ok(()));
		DataRegistry::release_bond(key_set, 500);
		assert!(!KeySetReserved::<Test>::contains_key(key_set));
	});
}

#[test]
fn a_slash_pays_no_more_than_the_bond() {
	build_and_execute(|| {
		let key_set = ready_key_set(&hospital());
		let before = Balances::free_balance(bob());
		assert_eq!(DataRegistry::slash_bond(key_set, KEY_SET_BOND * 3, &bob()), KEY_SET_BOND);
		assert_eq!(Balances::free_balance(bob()), before + KEY_SET_BOND);
		assert_eq!(KeySetBonds::<Test>::get(key_set), 0);
		assert_eq!(DataRegistry::slash_bond(key_set, 1, &bob()), 0);
		assert_eq!(DataRegistry::slash_bond(99, 1, &bob()), 0);
	});
}

#[test]
fn bond_key_set_errors() {
	build_and_execute(|| {
		let key_set = ready_key_set(&hospital());
		assert_noop!(
			DataRegistry::bond_key_set(RuntimeOrigin::signed(hospital()), key_set, 0),
			Error::<Test>::ZeroBond
		);
		assert_noop!(
			DataRegistry::bond_key_set(RuntimeOrigin::signed(clinic()), key_set, 10),
			Error::<Test>::NotKeySetOwner
		);
		assert_noop!(
			DataRegistry::bond_key_set(RuntimeOrigin::signed(hospital()), 9, 10),
			Error::<Test>::UnknownKeySet
		);
		assert!(DataRegistry::bond_key_set(
			RuntimeOrigin::signed(hospital()),
			key_set,
			INITIAL_BALANCE
		)
		.is_err());
		assert_eq!(KeySetBonds::<Test>::get(key_set), KEY_SET_BOND);
	});
}

#[test]
fn retiring_a_key_set_returns_its_bond() {
	build_and_execute(|| {
		let key_set = ready_key_set(&hospital());
		assert_ok!(DataRegistry::bond_key_set(RuntimeOrigin::signed(hospital()), key_set, 70));
		assert_ok!(DataRegistry::retire_key_set(RuntimeOrigin::signed(hospital()), key_set));
		assert_eq!(bond_held(&hospital()), 0);
		assert!(!KeySetBonds::<Test>::contains_key(key_set));
	});
}

#[test]
fn a_key_set_registered_before_bonds_takes_no_jobs_until_bonded() {
	build_and_execute(|| {
		let (dataset, _) = active_dataset(&hospital());
		// As a key set from before the upgrade: no bond record, nothing held.
		let bond = KeySetBonds::<Test>::take(0);
		assert_ok!(<Balances as frame_support::traits::fungible::MutateHold<_>>::release(
			&HoldReason::KeySetBond.into(),
			&hospital(),
			bond,
			frame_support::traits::tokens::Precision::Exact
		));
		assert!(DataRegistry::job_terms(dataset, ProgramKind::Count).is_ok());
		assert_eq!(DataRegistry::reserve_bond(0, 1), Err(JobRefusal::OwnerBondTooLow));
		assert_ok!(DataRegistry::bond_key_set(RuntimeOrigin::signed(hospital()), 0, KEY_SET_BOND));
		assert_eq!(DataRegistry::reserve_bond(0, 1), Ok(()));
		DataRegistry::release_bond(0, 1);
	});
}
