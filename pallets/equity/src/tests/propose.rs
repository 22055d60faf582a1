use super::issue_to_holders;
use crate::{mock::*, Classes, Error, Event, HoldReason, Proposals};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold},
	frame_system,
};

/// A call the mock's resolution filter allows, `len` bytes of payload long.
pub fn remark(len: usize) -> Box<RuntimeCall> {
	Box::new(RuntimeCall::System(frame_system::Call::remark_with_event { remark: vec![7; len] }))
}

#[test]
fn propose_stores_the_call_holds_deposit_and_emits_event() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		let call = remark(4);
		let len = call.encode().len() as u64;
		assert_ok!(Equity::propose(RuntimeOrigin::signed(CHARLIE), class, call.clone()));
		let proposal = Proposals::<Test>::get(0).unwrap();
		assert_eq!(proposal.call.to_vec(), call.encode());
		assert_eq!(proposal.end, 1 + 10);
		let deposit = PROPOSAL_DEPOSIT_BASE + len;
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::ProposalDeposit.into(), &CHARLIE),
			deposit
		);
		assert_eq!(Classes::<Test>::get(class).unwrap().active_proposals, 1);
		assert_eq!(
			last_event(),
			Event::ProposalCreated { proposal: 0, class, proposer: CHARLIE, end: 11, deposit }
		);
	});
}

#[test]
fn propose_errors_unknown_class() {
	new_test_ext_checked(|| {
		assert_noop!(
			Equity::propose(RuntimeOrigin::signed(ALICE), 7, remark(1)),
			Error::<Test>::UnknownClass
		);
	});
}

#[test]
fn propose_errors_below_proposal_threshold() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, ALICE, 9));
		assert_noop!(
			Equity::propose(RuntimeOrigin::signed(ALICE), class, remark(1)),
			Error::<Test>::BelowProposalThreshold
		);
	});
}

#[test]
fn propose_errors_call_too_long() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_noop!(
			Equity::propose(RuntimeOrigin::signed(ALICE), class, remark(128)),
			Error::<Test>::CallTooLong
		);
	});
}

#[test]
fn propose_errors_too_many_active_proposals() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		for _ in 0..MAX_ACTIVE_PROPOSALS {
			assert_ok!(Equity::propose(RuntimeOrigin::signed(ALICE), class, remark(1)));
		}
		assert_noop!(
			Equity::propose(RuntimeOrigin::signed(ALICE), class, remark(1)),
			Error::<Test>::TooManyActiveProposals
		);
	});
}

#[test]
fn propose_errors_when_proposer_cannot_pay_deposit() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		// Leave Charlie with too little to hold the deposit.
		assert_ok!(Balances::transfer_allow_death(
			RuntimeOrigin::signed(CHARLIE),
			ALICE,
			ENDOWMENT - 5
		));
		assert!(Equity::propose(RuntimeOrigin::signed(CHARLIE), class, remark(1)).is_err());
		assert!(Proposals::<Test>::get(0).is_none());
	});
}

#[test]
fn propose_errors_call_not_allowed() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		let refused = RuntimeCall::System(frame_system::Call::remark { remark: vec![1] });
		assert_noop!(
			Equity::propose(RuntimeOrigin::signed(ALICE), class, Box::new(refused)),
			Error::<Test>::CallNotAllowed
		);
		// A resolution may not open, vote on or close another resolution.
		let nested = RuntimeCall::Equity(crate::Call::vote { proposal: 0, aye: true });
		assert_noop!(
			Equity::propose(RuntimeOrigin::signed(ALICE), class, Box::new(nested)),
			Error::<Test>::CallNotAllowed
		);
	});
}

#[test]
fn propose_errors_holder_frozen() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_ok!(Equity::freeze(RuntimeOrigin::signed(ISSUER), class, ALICE));
		assert_noop!(
			Equity::propose(RuntimeOrigin::signed(ALICE), class, remark(1)),
			Error::<Test>::HolderFrozen
		);
	});
}

#[test]
fn propose_errors_holder_not_allowed() {
	new_test_ext_checked(|| {
		let class = create_class_with(crate::Compliance::Allowlist, None);
		assert_ok!(Equity::add_to_allowlist(RuntimeOrigin::signed(ISSUER), class, ALICE));
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, ALICE, 100));
		assert_ok!(Equity::remove_from_allowlist(RuntimeOrigin::signed(ISSUER), class, ALICE));
		assert_noop!(
			Equity::propose(RuntimeOrigin::signed(ALICE), class, remark(1)),
			Error::<Test>::HolderNotAllowed
		);
	});
}

#[test]
fn propose_records_the_supply_as_the_electorate() {
	new_test_ext_checked(|| {
		let class = create_class_capped_at(10_000);
		issue_to_holders(class);
		assert_ok!(Equity::propose(RuntimeOrigin::signed(ALICE), class, remark(1)));
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, BOB, 500));
		assert_eq!(Proposals::<Test>::get(0).unwrap().electorate, 1_000);
	});
}
