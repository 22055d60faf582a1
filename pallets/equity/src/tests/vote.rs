use super::{issue_to_holders, propose::remark};
use crate::{mock::*, Error, Event, Proposals, Votes};
use polkadot_sdk::frame_support::{assert_noop, assert_ok};

fn class_with_proposal() -> u32 {
	let class = create_default_class();
	issue_to_holders(class);
	assert_ok!(Equity::propose(RuntimeOrigin::signed(ALICE), class, remark(1)));
	class
}

#[test]
fn vote_counts_all_shares_and_emits_event() {
	new_test_ext_checked(|| {
		let class = class_with_proposal();
		assert_ok!(Equity::vote(RuntimeOrigin::signed(BOB), 0, true));
		assert_ok!(Equity::vote(RuntimeOrigin::signed(CHARLIE), 0, false));
		let proposal = Proposals::<Test>::get(0).unwrap();
		assert_eq!((proposal.ayes, proposal.nays), (300, 100));
		assert_eq!(Equity::locked_by_votes(class, &BOB), 300);
		assert_eq!(
			last_event(),
			Event::Voted { proposal: 0, voter: CHARLIE, aye: false, shares: 100 }
		);
	});
}

#[test]
fn vote_errors_unknown_proposal() {
	new_test_ext_checked(|| {
		class_with_proposal();
		assert_noop!(
			Equity::vote(RuntimeOrigin::signed(BOB), 9, true),
			Error::<Test>::UnknownProposal
		);
	});
}

#[test]
fn vote_errors_voting_closed_after_the_last_block() {
	new_test_ext_checked(|| {
		class_with_proposal();
		run_to_block(11);
		assert_ok!(Equity::vote(RuntimeOrigin::signed(BOB), 0, true));
		run_to_block(12);
		assert_noop!(
			Equity::vote(RuntimeOrigin::signed(CHARLIE), 0, true),
			Error::<Test>::VotingClosed
		);
	});
}

#[test]
fn vote_errors_already_voted() {
	new_test_ext_checked(|| {
		class_with_proposal();
		assert_ok!(Equity::vote(RuntimeOrigin::signed(BOB), 0, true));
		assert_noop!(
			Equity::vote(RuntimeOrigin::signed(BOB), 0, false),
			Error::<Test>::AlreadyVoted
		);
	});
}

#[test]
fn vote_errors_no_voting_shares() {
	new_test_ext_checked(|| {
		class_with_proposal();
		assert_noop!(
			Equity::vote(RuntimeOrigin::signed(10), 0, true),
			Error::<Test>::NoVotingShares
		);
	});
}

#[test]
fn shares_are_never_counted_twice_in_one_vote() {
	new_test_ext_checked(|| {
		let class = class_with_proposal();
		assert_ok!(Equity::vote(RuntimeOrigin::signed(BOB), 0, true));
		// Bob's counted shares cannot move to another account to vote again.
		assert_noop!(
			Equity::transfer(RuntimeOrigin::signed(BOB), class, 10, 300),
			Error::<Test>::SharesLockedByVote
		);
		assert_noop!(
			Equity::vote(RuntimeOrigin::signed(10), 0, true),
			Error::<Test>::NoVotingShares
		);
	});
}

#[test]
fn the_same_shares_vote_on_different_resolutions_and_stay_locked_for_the_longest() {
	new_test_ext_checked(|| {
		let class = class_with_proposal();
		assert_ok!(Equity::vote(RuntimeOrigin::signed(BOB), 0, true));
		run_to_block(5);
		assert_ok!(Equity::propose(RuntimeOrigin::signed(ALICE), class, remark(2)));
		assert_ok!(Equity::vote(RuntimeOrigin::signed(BOB), 1, false));
		assert_eq!(Votes::<Test>::get(class, BOB).len(), 2);
		run_to_block(12);
		// The first vote ended; the second (ending at 15) still locks.
		assert_eq!(Equity::locked_by_votes(class, &BOB), 300);
		run_to_block(16);
		assert_eq!(Equity::locked_by_votes(class, &BOB), 0);
		assert_ok!(Equity::transfer(RuntimeOrigin::signed(BOB), class, ALICE, 300));
	});
}

#[test]
fn vote_errors_holder_frozen() {
	new_test_ext_checked(|| {
		let class = class_with_proposal();
		assert_ok!(Equity::freeze(RuntimeOrigin::signed(ISSUER), class, BOB));
		assert_noop!(
			Equity::vote(RuntimeOrigin::signed(BOB), 0, true),
			Error::<Test>::HolderFrozen
		);
		// Thawed, it votes again.
		assert_ok!(Equity::thaw(RuntimeOrigin::signed(ISSUER), class, BOB));
		assert_ok!(Equity::vote(RuntimeOrigin::signed(BOB), 0, true));
	});
}

#[test]
fn vote_errors_holder_not_allowed() {
	new_test_ext_checked(|| {
		let class = create_class_with(crate::Compliance::Allowlist, None);
		for who in [ALICE, BOB] {
			assert_ok!(Equity::add_to_allowlist(RuntimeOrigin::signed(ISSUER), class, who));
			assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, who, 100));
		}
		assert_ok!(Equity::propose(RuntimeOrigin::signed(ALICE), class, remark(1)));
		assert_ok!(Equity::remove_from_allowlist(RuntimeOrigin::signed(ISSUER), class, BOB));
		assert_noop!(
			Equity::vote(RuntimeOrigin::signed(BOB), 0, true),
			Error::<Test>::HolderNotAllowed
		);
	});
}
