use super::issue_to_holders;
use crate::{mock::*, Classes, Error, Event, HoldReason, Proposals};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold},
	frame_system,
};

pub fn remark(len: usize) -> Box<RuntimeCall> {
	Box::new(RuntimeCall::System(frame_system::Call::remark { remark: vec![7; len] }))
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
