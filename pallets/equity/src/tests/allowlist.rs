//! The allowlist and its enforcement on every path that moves shares: issuance, transfers
//! by holders, and calls run by resolutions as the issuer.

use super::issue_to_holders;
use crate::{mock::*, Allowlist, Compliance, Error, Event};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, dispatch::GetDispatchInfo},
	sp_runtime::DispatchError,
};

fn allowlisted_class() -> u32 {
	let class = create_class_with(Compliance::Allowlist, None);
	for who in [ALICE, BOB] {
		assert_ok!(Equity::add_to_allowlist(RuntimeOrigin::signed(ISSUER), class, who));
	}
	assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, ALICE, 600));
	assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, BOB, 300));
	class
}

#[test]
fn add_to_allowlist_adds_and_emits_event() {
	new_test_ext_checked(|| {
		let class = create_class_with(Compliance::Allowlist, None);
		assert_ok!(Equity::add_to_allowlist(RuntimeOrigin::signed(ISSUER), class, ALICE));
		assert!(Allowlist::<Test>::contains_key(class, ALICE));
		assert_eq!(last_event(), Event::AllowlistAdded { class, who: ALICE });
	});
}

#[test]
fn remove_from_allowlist_removes_and_emits_event() {
	new_test_ext_checked(|| {
		let class = allowlisted_class();
		assert_ok!(Equity::remove_from_allowlist(RuntimeOrigin::signed(ISSUER), class, BOB));
		assert!(!Allowlist::<Test>::contains_key(class, BOB));
		assert_eq!(last_event(), Event::AllowlistRemoved { class, who: BOB });
	});
}

#[test]
fn add_to_allowlist_errors_already_on_allowlist() {
	new_test_ext_checked(|| {
		let class = allowlisted_class();
		assert_noop!(
			Equity::add_to_allowlist(RuntimeOrigin::signed(ISSUER), class, ALICE),
			Error::<Test>::AlreadyOnAllowlist
		);
	});
}

#[test]
fn remove_from_allowlist_errors_not_on_allowlist() {
	new_test_ext_checked(|| {
		let class = allowlisted_class();
		assert_noop!(
			Equity::remove_from_allowlist(RuntimeOrigin::signed(ISSUER), class, CHARLIE),
			Error::<Test>::NotOnAllowlist
		);
	});
}

#[test]
fn allowlist_management_errors_not_issuer_and_unknown_class() {
	new_test_ext_checked(|| {
		let class = allowlisted_class();
		assert_noop!(
			Equity::add_to_allowlist(RuntimeOrigin::signed(ALICE), class, CHARLIE),
			Error::<Test>::NotIssuer
		);
		assert_noop!(
			Equity::remove_from_allowlist(RuntimeOrigin::signed(ALICE), class, BOB),
			Error::<Test>::NotIssuer
		);
		assert_noop!(
			Equity::add_to_allowlist(RuntimeOrigin::signed(ISSUER), 7, CHARLIE),
			Error::<Test>::UnknownClass
		);
	});
}

#[test]
fn allowlist_transfer_errors_recipient_not_allowed() {
	new_test_ext_checked(|| {
		let class = allowlisted_class();
		assert_noop!(
			Equity::transfer(RuntimeOrigin::signed(ALICE), class, CHARLIE, 1),
			Error::<Test>::RecipientNotAllowed
		);
		assert_ok!(Equity::transfer(RuntimeOrigin::signed(ALICE), class, BOB, 1));
	});
}

#[test]
fn allowlist_transfer_errors_sender_not_allowed_once_removed() {
	new_test_ext_checked(|| {
		let class = allowlisted_class();
		assert_ok!(Equity::remove_from_allowlist(RuntimeOrigin::signed(ISSUER), class, BOB));
		assert_noop!(
			Equity::transfer(RuntimeOrigin::signed(BOB), class, ALICE, 1),
			Error::<Test>::SenderNotAllowed
		);
	});
}

#[test]
fn allowlist_does_not_apply_to_open_classes() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_ok!(Equity::transfer(RuntimeOrigin::signed(ALICE), class, 10, 1));
	});
}

#[test]
fn allowlist_enforced_on_calls_run_by_a_resolution() {
	new_test_ext_checked(|| {
		let class = allowlisted_class();
		// The issuer's own issuance, proposed by holders, to an account not on the list.
		let issue = RuntimeCall::Equity(crate::Call::issue { class, to: CHARLIE, amount: 50 });
		let weight = issue.get_dispatch_info().call_weight;
		assert_ok!(Equity::propose(RuntimeOrigin::signed(ALICE), class, Box::new(issue)));
		assert_ok!(Equity::vote(RuntimeOrigin::signed(ALICE), 0, true));
		run_to_block(12);
		assert_ok!(Equity::close(RuntimeOrigin::signed(BOB), 0, weight));
		assert_eq!(
			last_event(),
			Event::ProposalExecuted {
				proposal: 0,
				result: Err(DispatchError::from(Error::<Test>::RecipientNotAllowed)),
			}
		);
		assert_eq!(Equity::shares_of(class, &CHARLIE), 0);
	});
}

#[test]
fn allowlist_cannot_be_bypassed_through_the_ledger_calls() {
	new_test_ext_checked(|| {
		let class = allowlisted_class();
		let direct = RuntimeCall::Assets(polkadot_sdk::pallet_assets::Call::transfer {
			id: class,
			target: CHARLIE,
			amount: 1,
		});
		use polkadot_sdk::sp_runtime::traits::Dispatchable;
		let outcome = direct.dispatch(RuntimeOrigin::signed(ALICE));
		assert_eq!(
			outcome.map_err(|e| e.error),
			Err(polkadot_sdk::frame_system::Error::<Test>::CallFiltered.into())
		);
		assert_eq!(Equity::shares_of(class, &CHARLIE), 0);
	});
}
