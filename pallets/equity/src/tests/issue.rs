use crate::{mock::*, Compliance, Error, Event};
use polkadot_sdk::frame_support::{assert_noop, assert_ok, traits::fungibles::Inspect};

#[test]
fn issue_mints_shares_and_emits_event() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, ALICE, 600));
		assert_eq!(<Equity as Inspect<_>>::balance(class, &ALICE), 600);
		assert_eq!(<Equity as Inspect<_>>::total_issuance(class), 600);
		assert_eq!(last_event(), Event::SharesIssued { class, to: ALICE, amount: 600 });
	});
}

#[test]
fn issue_up_to_the_cap_exactly() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, ALICE, 1_000));
	});
}

#[test]
fn issue_errors_unknown_class() {
	new_test_ext_checked(|| {
		assert_noop!(
			Equity::issue(RuntimeOrigin::signed(ISSUER), 7, ALICE, 1),
			Error::<Test>::UnknownClass
		);
	});
}

#[test]
fn issue_errors_not_issuer() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_noop!(
			Equity::issue(RuntimeOrigin::signed(ALICE), class, ALICE, 1),
			Error::<Test>::NotIssuer
		);
	});
}

#[test]
fn issue_errors_zero_amount() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_noop!(
			Equity::issue(RuntimeOrigin::signed(ISSUER), class, ALICE, 0),
			Error::<Test>::ZeroAmount
		);
	});
}

#[test]
fn issue_errors_exceeds_max_supply() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, ALICE, 999));
		assert_noop!(
			Equity::issue(RuntimeOrigin::signed(ISSUER), class, BOB, 2),
			Error::<Test>::ExceedsMaxSupply
		);
		assert_noop!(
			Equity::issue(RuntimeOrigin::signed(ISSUER), class, BOB, u64::MAX),
			Error::<Test>::ExceedsMaxSupply
		);
	});
}

#[test]
fn issue_errors_recipient_not_allowed_in_allowlist_mode() {
	new_test_ext_checked(|| {
		let class = create_class_with(Compliance::Allowlist, None);
		assert_noop!(
			Equity::issue(RuntimeOrigin::signed(ISSUER), class, ALICE, 1),
			Error::<Test>::RecipientNotAllowed
		);
		assert_ok!(Equity::add_to_allowlist(RuntimeOrigin::signed(ISSUER), class, ALICE));
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, ALICE, 1));
	});
}

#[test]
fn issue_errors_recipient_frozen() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_ok!(Equity::freeze(RuntimeOrigin::signed(ISSUER), class, ALICE));
		assert_noop!(
			Equity::issue(RuntimeOrigin::signed(ISSUER), class, ALICE, 1),
			Error::<Test>::RecipientFrozen
		);
	});
}

#[test]
fn issue_is_not_subject_to_the_transfer_lock_up() {
	new_test_ext_checked(|| {
		let class = create_class_with(Compliance::Open, Some(50));
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, ALICE, 1));
	});
}
