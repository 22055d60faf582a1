//! Balances as wallets and other pallets read them through `fungibles::Inspect`.

use super::{issue_to_holders, propose::remark};
use crate::{mock::*, Compliance};
use polkadot_sdk::frame_support::{
	assert_ok,
	traits::{
		fungibles::Inspect,
		tokens::{DepositConsequence, Fortitude, Preservation, Provenance},
	},
};

fn movable(class: u32, who: AccountId) -> u64 {
	<Equity as Inspect<_>>::reducible_balance(
		class,
		&who,
		Preservation::Expendable,
		Fortitude::Polite,
	)
}

#[test]
fn inspect_reports_balances_supply_and_existence() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert!(<Equity as Inspect<_>>::asset_exists(class));
		assert!(!<Equity as Inspect<_>>::asset_exists(7));
		assert_eq!(<Equity as Inspect<_>>::total_issuance(class), 1_000);
		assert_eq!(<Equity as Inspect<_>>::balance(class, &BOB), 300);
		assert_eq!(movable(class, BOB), 300);
	});
}

#[test]
fn inspect_reducible_balance_excludes_frozen_locked_up_and_vote_locked_shares() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_ok!(Equity::freeze(RuntimeOrigin::signed(ISSUER), class, CHARLIE));
		assert_eq!(movable(class, CHARLIE), 0);
		assert_ok!(Equity::propose(RuntimeOrigin::signed(ALICE), class, remark(1)));
		assert_ok!(Equity::vote(RuntimeOrigin::signed(BOB), 0, true));
		assert_eq!(movable(class, BOB), 0);

		let locked_up = create_class_with(Compliance::Open, Some(50));
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), locked_up, ALICE, 10));
		assert_eq!(movable(locked_up, ALICE), 0);
	});
}

#[test]
fn inspect_can_deposit_is_blocked_off_the_allowlist() {
	new_test_ext_checked(|| {
		let class = create_class_with(Compliance::Allowlist, None);
		assert_eq!(
			<Equity as Inspect<_>>::can_deposit(class, &ALICE, 1, Provenance::Extant),
			DepositConsequence::Blocked
		);
		assert_ok!(Equity::add_to_allowlist(RuntimeOrigin::signed(ISSUER), class, ALICE));
		assert_eq!(
			<Equity as Inspect<_>>::can_deposit(class, &ALICE, 1, Provenance::Minted),
			DepositConsequence::Success
		);
	});
}
