use super::issue_to_holders;
use crate::{mock::*, Compliance, Error, Event, Holders};
use polkadot_sdk::frame_support::{assert_noop, assert_ok, traits::fungibles::Inspect};

#[test]
fn transfer_moves_shares_and_emits_event() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_ok!(Equity::transfer(RuntimeOrigin::signed(ALICE), class, BOB, 100));
		assert_eq!(<Equity as Inspect<_>>::balance(class, &ALICE), 500);
		assert_eq!(<Equity as Inspect<_>>::balance(class, &BOB), 400);
		assert_eq!(
			last_event(),
			Event::SharesTransferred { class, from: ALICE, to: BOB, amount: 100 }
		);
	});
}

#[test]
fn transfer_of_everything_removes_an_empty_position() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_ok!(Equity::transfer(RuntimeOrigin::signed(CHARLIE), class, BOB, 100));
		assert_eq!(<Equity as Inspect<_>>::balance(class, &CHARLIE), 0);
		assert!(!Holders::<Test>::contains_key(class, CHARLIE));
	});
}

#[test]
fn transfer_to_self_changes_nothing() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_ok!(Equity::transfer(RuntimeOrigin::signed(ALICE), class, ALICE, 100));
		assert_eq!(<Equity as Inspect<_>>::balance(class, &ALICE), 600);
	});
}

#[test]
fn transfer_errors_unknown_class() {
	new_test_ext_checked(|| {
		assert_noop!(
			Equity::transfer(RuntimeOrigin::signed(ALICE), 7, BOB, 1),
			Error::<Test>::UnknownClass
		);
	});
}

#[test]
fn transfer_errors_zero_amount() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_noop!(
			Equity::transfer(RuntimeOrigin::signed(ALICE), class, BOB, 0),
			Error::<Test>::ZeroAmount
		);
	});
}

#[test]
fn transfer_errors_transfers_locked_up_until_the_lock_up_block() {
	new_test_ext_checked(|| {
		let class = create_class_with(Compliance::Open, Some(5));
		issue_to_holders(class);
		assert_noop!(
			Equity::transfer(RuntimeOrigin::signed(ALICE), class, BOB, 1),
			Error::<Test>::TransfersLockedUp
		);
		run_to_block(5);
		assert_ok!(Equity::transfer(RuntimeOrigin::signed(ALICE), class, BOB, 1));
	});
}

#[test]
fn transfer_errors_sender_frozen() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_ok!(Equity::freeze(RuntimeOrigin::signed(ISSUER), class, ALICE));
		assert_noop!(
			Equity::transfer(RuntimeOrigin::signed(ALICE), class, BOB, 1),
			Error::<Test>::SenderFrozen
		);
	});
}

#[test]
fn transfer_errors_recipient_frozen() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_ok!(Equity::freeze(RuntimeOrigin::signed(ISSUER), class, BOB));
		assert_noop!(
			Equity::transfer(RuntimeOrigin::signed(ALICE), class, BOB, 1),
			Error::<Test>::RecipientFrozen
		);
	});
}

#[test]
fn transfer_errors_insufficient_shares() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_noop!(
			Equity::transfer(RuntimeOrigin::signed(CHARLIE), class, BOB, 101),
			Error::<Test>::InsufficientShares
		);
	});
}

#[test]
fn transfer_errors_shares_locked_by_vote_until_the_vote_ends() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_ok!(Equity::propose(RuntimeOrigin::signed(ALICE), class, super::propose::remark(1)));
		assert_ok!(Equity::vote(RuntimeOrigin::signed(BOB), 0, true));
		// Bob's 300 shares are locked; shares received later are not.
		assert_noop!(
			Equity::transfer(RuntimeOrigin::signed(BOB), class, ALICE, 1),
			Error::<Test>::SharesLockedByVote
		);
		assert_ok!(Equity::transfer(RuntimeOrigin::signed(CHARLIE), class, BOB, 50));
		assert_ok!(Equity::transfer(RuntimeOrigin::signed(BOB), class, ALICE, 50));
		assert_noop!(
			Equity::transfer(RuntimeOrigin::signed(BOB), class, ALICE, 1),
			Error::<Test>::SharesLockedByVote
		);
		// The vote ends at block 1 + 10; from block 12 the shares move again.
		run_to_block(11);
		assert_noop!(
			Equity::transfer(RuntimeOrigin::signed(BOB), class, ALICE, 1),
			Error::<Test>::SharesLockedByVote
		);
		run_to_block(12);
		assert_ok!(Equity::transfer(RuntimeOrigin::signed(BOB), class, ALICE, 300));
	});
}

#[test]
fn transfer_errors_when_recipient_has_no_account_for_shares() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		// Shares are not sufficient assets: a holder needs a utility-token account.
		assert!(Equity::transfer(RuntimeOrigin::signed(ALICE), class, PAUPER, 1).is_err());
		assert_eq!(<Equity as Inspect<_>>::balance(class, &PAUPER), 0);
	});
}
