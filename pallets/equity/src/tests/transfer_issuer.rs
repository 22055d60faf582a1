use crate::{mock::*, Classes, Error, Event, HoldReason};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold},
	sp_runtime::TokenError,
};

#[test]
fn transfer_issuer_moves_role_and_deposit() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_ok!(Equity::transfer_issuer(RuntimeOrigin::signed(ISSUER), class, ALICE));
		assert_eq!(Classes::<Test>::get(class).unwrap().issuer, ALICE);
		let reason = HoldReason::ClassDeposit.into();
		assert_eq!(Balances::balance_on_hold(&reason, &ISSUER), 0);
		assert_eq!(Balances::balance_on_hold(&reason, &ALICE), CLASS_DEPOSIT);
		assert_eq!(
			last_event(),
			Event::IssuerChanged { class, old_issuer: ISSUER, new_issuer: ALICE }
		);
		// The old issuer has lost every issuer power.
		assert_noop!(
			Equity::issue(RuntimeOrigin::signed(ISSUER), class, BOB, 1),
			Error::<Test>::NotIssuer
		);
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ALICE), class, BOB, 1));
	});
}

#[test]
fn transfer_issuer_errors_already_issuer() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_noop!(
			Equity::transfer_issuer(RuntimeOrigin::signed(ISSUER), class, ISSUER),
			Error::<Test>::AlreadyIssuer
		);
	});
}

#[test]
fn transfer_issuer_errors_not_issuer_and_unknown_class() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_noop!(
			Equity::transfer_issuer(RuntimeOrigin::signed(ALICE), class, ALICE),
			Error::<Test>::NotIssuer
		);
		assert_noop!(
			Equity::transfer_issuer(RuntimeOrigin::signed(ISSUER), 7, ALICE),
			Error::<Test>::UnknownClass
		);
	});
}

#[test]
fn transfer_issuer_errors_when_new_issuer_cannot_hold_deposit() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_noop!(
			Equity::transfer_issuer(RuntimeOrigin::signed(ISSUER), class, PAUPER),
			TokenError::FundsUnavailable
		);
	});
}
