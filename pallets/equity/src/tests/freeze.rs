use super::issue_to_holders;
use crate::{mock::*, Error, Event, Frozen};
use polkadot_sdk::frame_support::{assert_noop, assert_ok};

#[test]
fn freeze_and_thaw_emit_events_and_restore_transfers() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_ok!(Equity::freeze(RuntimeOrigin::signed(ISSUER), class, ALICE));
		assert!(Frozen::<Test>::contains_key(class, ALICE));
		assert_eq!(last_event(), Event::AccountFrozen { class, who: ALICE });
		assert_ok!(Equity::thaw(RuntimeOrigin::signed(ISSUER), class, ALICE));
		assert_eq!(last_event(), Event::AccountThawed { class, who: ALICE });
		assert_ok!(Equity::transfer(RuntimeOrigin::signed(ALICE), class, BOB, 1));
	});
}

#[test]
fn a_frozen_holders_dividends_accrue_and_wait_until_it_is_thawed() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_ok!(Equity::deposit_dividend(RuntimeOrigin::signed(10), class, 1_000));
		assert_ok!(Equity::freeze(RuntimeOrigin::signed(ISSUER), class, ALICE));
		assert_ok!(Equity::deposit_dividend(RuntimeOrigin::signed(10), class, 1_000));
		assert_noop!(
			Equity::claim(RuntimeOrigin::signed(ALICE), class),
			Error::<Test>::HolderFrozen
		);
		assert_eq!(Equity::claimable(class, &ALICE), 1_200);
		assert_ok!(Equity::thaw(RuntimeOrigin::signed(ISSUER), class, ALICE));
		assert_ok!(Equity::claim(RuntimeOrigin::signed(ALICE), class));
		assert_eq!(last_event(), Event::DividendClaimed { class, who: ALICE, amount: 1_200 });
	});
}

#[test]
fn freeze_errors_already_frozen() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_ok!(Equity::freeze(RuntimeOrigin::signed(ISSUER), class, ALICE));
		assert_noop!(
			Equity::freeze(RuntimeOrigin::signed(ISSUER), class, ALICE),
			Error::<Test>::AlreadyFrozen
		);
	});
}

#[test]
fn thaw_errors_not_frozen() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_noop!(
			Equity::thaw(RuntimeOrigin::signed(ISSUER), class, ALICE),
			Error::<Test>::NotFrozen
		);
	});
}

#[test]
fn freeze_and_thaw_error_not_issuer_and_unknown_class() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_noop!(
			Equity::freeze(RuntimeOrigin::signed(ALICE), class, BOB),
			Error::<Test>::NotIssuer
		);
		assert_noop!(
			Equity::thaw(RuntimeOrigin::signed(ALICE), class, BOB),
			Error::<Test>::NotIssuer
		);
		assert_noop!(
			Equity::freeze(RuntimeOrigin::signed(ISSUER), 7, BOB),
			Error::<Test>::UnknownClass
		);
	});
}
