//! The issuer hand-over: an offer by the issuer (or a resolution), accepted by the candidate.

use crate::{mock::*, Classes, Error, Event, HoldReason, PendingIssuer};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold},
	sp_runtime::TokenError,
};

fn deposit_held_by(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::ClassDeposit.into(), &who)
}

#[test]
fn transfer_issuer_offers_the_role_and_moves_nothing() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_ok!(Equity::transfer_issuer(RuntimeOrigin::signed(ISSUER), class, ALICE));
		assert_eq!(Classes::<Test>::get(class).unwrap().issuer, ISSUER);
		assert_eq!(PendingIssuer::<Test>::get(class), Some(ALICE));
		assert_eq!(deposit_held_by(ISSUER), CLASS_DEPOSIT);
		assert_eq!(deposit_held_by(ALICE), 0);
		assert_eq!(last_event(), Event::IssuerOffered { class, issuer: ISSUER, candidate: ALICE });
		// Until the candidate accepts, the issuer keeps every power.
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, BOB, 1));
	});
}

#[test]
fn accept_issuer_moves_role_and_deposit() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_ok!(Equity::transfer_issuer(RuntimeOrigin::signed(ISSUER), class, ALICE));
		assert_ok!(Equity::accept_issuer(RuntimeOrigin::signed(ALICE), class));
		assert_eq!(Classes::<Test>::get(class).unwrap().issuer, ALICE);
		assert_eq!(PendingIssuer::<Test>::get(class), None);
		assert_eq!(deposit_held_by(ISSUER), 0);
		assert_eq!(deposit_held_by(ALICE), CLASS_DEPOSIT);
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
fn a_new_offer_replaces_the_previous_one() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_ok!(Equity::transfer_issuer(RuntimeOrigin::signed(ISSUER), class, ALICE));
		assert_ok!(Equity::transfer_issuer(RuntimeOrigin::signed(ISSUER), class, BOB));
		assert_noop!(
			Equity::accept_issuer(RuntimeOrigin::signed(ALICE), class),
			Error::<Test>::NotIssuerCandidate
		);
		assert_ok!(Equity::accept_issuer(RuntimeOrigin::signed(BOB), class));
		assert_eq!(Classes::<Test>::get(class).unwrap().issuer, BOB);
	});
}

#[test]
fn withdraw_issuer_offer_leaves_the_candidate_nothing_to_accept() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_ok!(Equity::transfer_issuer(RuntimeOrigin::signed(ISSUER), class, ALICE));
		assert_ok!(Equity::withdraw_issuer_offer(RuntimeOrigin::signed(ISSUER), class));
		assert_eq!(last_event(), Event::IssuerOfferWithdrawn { class, candidate: ALICE });
		assert_noop!(
			Equity::accept_issuer(RuntimeOrigin::signed(ALICE), class),
			Error::<Test>::NotIssuerCandidate
		);
	});
}

#[test]
fn withdraw_issuer_offer_errors_no_issuer_offer_not_issuer_and_unknown_class() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_noop!(
			Equity::withdraw_issuer_offer(RuntimeOrigin::signed(ISSUER), class),
			Error::<Test>::NoIssuerOffer
		);
		assert_ok!(Equity::transfer_issuer(RuntimeOrigin::signed(ISSUER), class, ALICE));
		assert_noop!(
			Equity::withdraw_issuer_offer(RuntimeOrigin::signed(ALICE), class),
			Error::<Test>::NotIssuer
		);
		assert_noop!(
			Equity::withdraw_issuer_offer(RuntimeOrigin::signed(ISSUER), 7),
			Error::<Test>::UnknownClass
		);
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
fn accept_issuer_errors_not_issuer_candidate() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		// No offer at all, then an offer to someone else.
		assert_noop!(
			Equity::accept_issuer(RuntimeOrigin::signed(ALICE), class),
			Error::<Test>::NotIssuerCandidate
		);
		assert_ok!(Equity::transfer_issuer(RuntimeOrigin::signed(ISSUER), class, BOB));
		assert_noop!(
			Equity::accept_issuer(RuntimeOrigin::signed(ALICE), class),
			Error::<Test>::NotIssuerCandidate
		);
	});
}

#[test]
fn accept_issuer_errors_unknown_class() {
	new_test_ext_checked(|| {
		assert_noop!(
			Equity::accept_issuer(RuntimeOrigin::signed(ALICE), 7),
			Error::<Test>::UnknownClass
		);
	});
}

#[test]
fn accept_issuer_errors_when_the_candidate_cannot_hold_the_deposit() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_ok!(Equity::transfer_issuer(RuntimeOrigin::signed(ISSUER), class, PAUPER));
		assert_noop!(
			Equity::accept_issuer(RuntimeOrigin::signed(PAUPER), class),
			TokenError::FundsUnavailable
		);
		assert_eq!(Classes::<Test>::get(class).unwrap().issuer, ISSUER);
	});
}
