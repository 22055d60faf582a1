//! `deposit_dividend`, `claim` and the `RevenueSink` other pallets call.

use super::issue_to_holders;
use crate::{mock::*, Compliance, Error, Event, Pools, DIVIDEND_SCALE};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::fungible::Inspect},
	sp_core::U256,
	sp_runtime::TokenError,
};
use tokenfactory_primitives::revenue::RevenueSink;

const PAYER: AccountId = 10;

fn claim(who: AccountId, class: u32) -> Balance {
	let before = Balances::balance(&who);
	assert_ok!(Equity::claim(RuntimeOrigin::signed(who), class));
	Balances::balance(&who) - before
}

#[test]
fn deposit_dividend_moves_funds_to_the_pool_and_emits_event() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		let pool = Equity::pool_account(class);
		let before = Balances::balance(&pool);
		assert_ok!(Equity::deposit_dividend(RuntimeOrigin::signed(PAYER), class, 1_000));
		assert_eq!(Balances::balance(&pool), before + 1_000);
		assert_eq!(Balances::balance(&PAYER), ENDOWMENT - 1_000);
		assert_eq!(last_event(), Event::DividendDeposited { class, from: PAYER, amount: 1_000 });
	});
}

#[test]
fn claim_pays_pro_rata_and_emits_event() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_ok!(Equity::deposit_dividend(RuntimeOrigin::signed(PAYER), class, 1_000));
		assert_eq!(Equity::claimable(class, &ALICE), 600);
		assert_eq!(claim(ALICE, class), 600);
		assert_eq!(last_event(), Event::DividendClaimed { class, who: ALICE, amount: 600 });
		assert_eq!(claim(BOB, class), 300);
		assert_eq!(claim(CHARLIE, class), 100);
	});
}

#[test]
fn claim_errors_nothing_to_claim_after_a_claim() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_ok!(Equity::deposit_dividend(RuntimeOrigin::signed(PAYER), class, 1_000));
		assert_eq!(claim(ALICE, class), 600);
		assert_noop!(
			Equity::claim(RuntimeOrigin::signed(ALICE), class),
			Error::<Test>::NothingToClaim
		);
	});
}

#[test]
fn claim_errors_nothing_to_claim_for_a_non_holder() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_ok!(Equity::deposit_dividend(RuntimeOrigin::signed(PAYER), class, 1_000));
		assert_noop!(
			Equity::claim(RuntimeOrigin::signed(PAYER), class),
			Error::<Test>::NothingToClaim
		);
	});
}

#[test]
fn shares_bought_after_a_distribution_earn_nothing_from_it() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_ok!(Equity::deposit_dividend(RuntimeOrigin::signed(PAYER), class, 1_000));
		assert_ok!(Equity::transfer(RuntimeOrigin::signed(ALICE), class, 11, 600));
		assert_noop!(
			Equity::claim(RuntimeOrigin::signed(11), class),
			Error::<Test>::NothingToClaim
		);
		// Alice sold everything and keeps what she had earned.
		assert_eq!(claim(ALICE, class), 600);
		assert_ok!(Equity::deposit_dividend(RuntimeOrigin::signed(PAYER), class, 1_000));
		assert_eq!(claim(11, class), 600);
		assert_noop!(
			Equity::claim(RuntimeOrigin::signed(ALICE), class),
			Error::<Test>::NothingToClaim
		);
	});
}

#[test]
fn newly_issued_shares_earn_only_later_distributions() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, ALICE, 100));
		assert_ok!(Equity::deposit_dividend(RuntimeOrigin::signed(PAYER), class, 500));
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, BOB, 400));
		assert_ok!(Equity::deposit_dividend(RuntimeOrigin::signed(PAYER), class, 500));
		assert_eq!(claim(ALICE, class), 500 + 100);
		assert_eq!(claim(BOB, class), 400);
	});
}

#[test]
fn rounding_dust_is_tracked_as_undistributed_until_the_next_distribution() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		for who in [ALICE, BOB, CHARLIE] {
			assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, who, 1));
		}
		assert_ok!(Equity::deposit_dividend(RuntimeOrigin::signed(PAYER), class, 10));
		// 10 / 3 each: three whole units, and the accumulator's rounding keeps the tenth.
		let paid: Balance = [ALICE, BOB, CHARLIE].into_iter().map(|who| claim(who, class)).sum();
		assert_eq!(paid, 9);
		let pool = Pools::<Test>::get(class);
		assert_eq!(pool.total_claimed, 9);
		assert_eq!(pool.undistributed_scaled, U256::from(10u128 * DIVIDEND_SCALE % 3));
		// The pool still holds the undistributed unit and the fractions each holder is owed.
		assert_eq!(
			Balances::balance(&Equity::pool_account(class)),
			Balances::minimum_balance() + 1
		);
	});
}

#[test]
fn fractions_carry_over_to_later_claims() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, ALICE, 1));
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, BOB, 1));
		assert_ok!(Equity::deposit_dividend(RuntimeOrigin::signed(PAYER), class, 3));
		assert_eq!(claim(ALICE, class), 1);
		assert_ok!(Equity::deposit_dividend(RuntimeOrigin::signed(PAYER), class, 1));
		// 1.5 + 0.5: the half left after the first claim is paid with the second.
		assert_eq!(claim(ALICE, class), 1);
		assert_eq!(claim(BOB, class), 2);
	});
}

#[test]
fn deposit_dividend_errors_unknown_class() {
	new_test_ext_checked(|| {
		assert_noop!(
			Equity::deposit_dividend(RuntimeOrigin::signed(PAYER), 7, 1),
			Error::<Test>::UnknownClass
		);
		assert_noop!(Equity::claim(RuntimeOrigin::signed(ALICE), 7), Error::<Test>::UnknownClass);
	});
}

#[test]
fn deposit_dividend_errors_zero_amount() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_noop!(
			Equity::deposit_dividend(RuntimeOrigin::signed(PAYER), class, 0),
			Error::<Test>::ZeroAmount
		);
	});
}

#[test]
fn deposit_dividend_errors_no_shares_issued() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_noop!(
			Equity::deposit_dividend(RuntimeOrigin::signed(PAYER), class, 1),
			Error::<Test>::NoSharesIssued
		);
	});
}

#[test]
fn deposit_dividend_errors_when_payer_cannot_pay() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_noop!(
			Equity::deposit_dividend(RuntimeOrigin::signed(PAYER), class, ENDOWMENT),
			TokenError::NotExpendable
		);
	});
}

#[test]
fn revenue_sink_routes_revenue_to_the_pool() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert!(<Equity as RevenueSink<_, _, _>>::class_exists(&class));
		assert!(!<Equity as RevenueSink<_, _, _>>::class_exists(&7));
		assert_ok!(<Equity as RevenueSink<_, _, _>>::deposit_dividend(&PAYER, class, 100));
		assert_eq!(Pools::<Test>::get(class).total_deposited, 100);
		assert_noop!(
			<Equity as RevenueSink<_, _, _>>::deposit_dividend(&PAYER, class, 0),
			Error::<Test>::ZeroAmount
		);
		assert!(<() as RevenueSink<AccountId, u32, Balance>>::deposit_dividend(&PAYER, class, 1)
			.is_err());
	});
}

#[test]
fn claim_errors_holder_frozen_and_pays_what_accrued_once_thawed() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_ok!(Equity::freeze(RuntimeOrigin::signed(ISSUER), class, BOB));
		assert_ok!(Equity::deposit_dividend(RuntimeOrigin::signed(PAYER), class, 1_000));
		assert_noop!(Equity::claim(RuntimeOrigin::signed(BOB), class), Error::<Test>::HolderFrozen);
		assert_ok!(Equity::thaw(RuntimeOrigin::signed(ISSUER), class, BOB));
		assert_eq!(claim(BOB, class), 300);
	});
}

#[test]
fn claim_errors_holder_not_allowed() {
	new_test_ext_checked(|| {
		let class = create_class_with(Compliance::Allowlist, None);
		assert_ok!(Equity::add_to_allowlist(RuntimeOrigin::signed(ISSUER), class, BOB));
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, BOB, 10));
		assert_ok!(Equity::deposit_dividend(RuntimeOrigin::signed(PAYER), class, 100));
		assert_ok!(Equity::remove_from_allowlist(RuntimeOrigin::signed(ISSUER), class, BOB));
		assert_noop!(
			Equity::claim(RuntimeOrigin::signed(BOB), class),
			Error::<Test>::HolderNotAllowed
		);
	});
}
