use super::issue_to_holders;
use crate::{mock::*, Classes, Error, Event, HoldReason, Proposals};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		dispatch::GetDispatchInfo,
		traits::fungible::{Inspect, InspectHold},
		weights::Weight,
	},
	frame_system, pallet_balances,
	sp_runtime::DispatchError,
};

fn remark_with_event() -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark_with_event { remark: vec![1, 2, 3] })
}

/// Proposes `call` from Alice and returns its weight.
fn propose(class: u32, call: RuntimeCall) -> Weight {
	let weight = call.get_dispatch_info().call_weight;
	assert_ok!(Equity::propose(RuntimeOrigin::signed(ALICE), class, Box::new(call)));
	weight
}

#[test]
fn close_dispatches_an_approved_resolution_from_the_company_account() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		let weight = propose(class, remark_with_event());
		assert_ok!(Equity::vote(RuntimeOrigin::signed(ALICE), 0, true));
		assert_ok!(Equity::vote(RuntimeOrigin::signed(CHARLIE), 0, false));
		run_to_block(12);
		assert_ok!(Equity::close(RuntimeOrigin::signed(BOB), 0, weight));

		assert!(System::events().iter().any(|record| matches!(
			record.event,
			RuntimeEvent::System(frame_system::Event::Remarked { sender, .. })
				if sender == Equity::company_account(class)
		)));
		let events = events();
		assert_eq!(
			events[events.len() - 2],
			Event::ProposalClosed { proposal: 0, class, approved: true, ayes: 600, nays: 100 }
		);
		assert_eq!(
			events[events.len() - 1],
			Event::ProposalExecuted { proposal: 0, result: Ok(()) }
		);
		assert!(Proposals::<Test>::get(0).is_none());
		assert_eq!(Classes::<Test>::get(class).unwrap().active_proposals, 0);
		assert_eq!(Balances::balance_on_hold(&HoldReason::ProposalDeposit.into(), &ALICE), 0);
	});
}

#[test]
fn a_resolution_can_offer_the_issuer_role_which_the_candidate_accepts() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		let rotate = RuntimeCall::Equity(crate::Call::transfer_issuer { class, new_issuer: BOB });
		let weight = propose(class, rotate);
		assert_ok!(Equity::vote(RuntimeOrigin::signed(ALICE), 0, true));
		run_to_block(12);
		assert_ok!(Equity::close(RuntimeOrigin::signed(BOB), 0, weight));
		assert_eq!(Classes::<Test>::get(class).unwrap().issuer, ISSUER);
		assert_ok!(Equity::accept_issuer(RuntimeOrigin::signed(BOB), class));
		assert_eq!(Classes::<Test>::get(class).unwrap().issuer, BOB);
	});
}

#[test]
fn a_resolution_pays_from_the_company_account_and_never_from_the_issuer() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		let company = Equity::company_account(class);
		assert_ok!(Balances::transfer_keep_alive(RuntimeOrigin::signed(BOB), company, 500));
		let (issuer_before, charlie_before) =
			(Balances::total_balance(&ISSUER), Balances::total_balance(&CHARLIE));
		let pay = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: CHARLIE,
			value: 500,
		});
		let weight = propose(class, pay);
		assert_ok!(Equity::vote(RuntimeOrigin::signed(ALICE), 0, true));
		run_to_block(12);
		assert_ok!(Equity::close(RuntimeOrigin::signed(BOB), 0, weight));
		assert_eq!(Balances::total_balance(&CHARLIE), charlie_before + 500);
		assert_eq!(Balances::total_balance(&ISSUER), issuer_before);
		// The company keeps its existential deposit: it can always receive revenue.
		assert_eq!(Balances::total_balance(&company), 1);
	});
}

#[test]
fn a_resolution_manages_its_own_class_and_no_other() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		let other = create_default_class();
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, ALICE, 600));
		let own = RuntimeCall::Equity(crate::Call::issue { class, to: BOB, amount: 5 });
		let foreign = RuntimeCall::Equity(crate::Call::issue { class: other, to: BOB, amount: 5 });
		let weight = propose(class, own).max(propose(class, foreign));
		assert_ok!(Equity::vote(RuntimeOrigin::signed(ALICE), 0, true));
		assert_ok!(Equity::vote(RuntimeOrigin::signed(ALICE), 1, true));
		run_to_block(12);
		assert_ok!(Equity::close(RuntimeOrigin::signed(BOB), 0, weight));
		assert_eq!(Equity::shares_of(class, &BOB), 5);
		assert_ok!(Equity::close(RuntimeOrigin::signed(BOB), 1, weight));
		assert_eq!(
			last_event(),
			Event::ProposalExecuted {
				proposal: 1,
				result: Err(DispatchError::from(Error::<Test>::NotIssuer)),
			}
		);
		assert_eq!(Equity::shares_of(other, &BOB), 0);
	});
}

#[test]
fn the_dispatch_origin_refuses_a_call_the_filter_refuses() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		propose(class, remark_with_event());
		assert_ok!(Equity::vote(RuntimeOrigin::signed(ALICE), 0, true));
		// As if the filter had been tightened by an upgrade after the proposal: the stored
		// call is now one a company may not make.
		let refused = RuntimeCall::System(frame_system::Call::remark { remark: vec![1] });
		Proposals::<Test>::mutate(0, |proposal| {
			proposal.as_mut().unwrap().call = refused.encode().try_into().unwrap();
		});
		run_to_block(12);
		let bound = Weight::from_parts(1_000_000_000_000, 1_000_000);
		assert_ok!(Equity::close(RuntimeOrigin::signed(BOB), 0, bound));
		assert_eq!(
			last_event(),
			Event::ProposalExecuted {
				proposal: 0,
				result: Err(polkadot_sdk::frame_system::Error::<Test>::CallFiltered.into()),
			}
		);
	});
}

#[test]
fn close_rejects_a_resolution_without_quorum() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		let weight = propose(class, remark_with_event());
		// 100 of 1,000 shares vote: below the 50 % quorum.
		assert_ok!(Equity::vote(RuntimeOrigin::signed(CHARLIE), 0, true));
		run_to_block(12);
		assert_ok!(Equity::close(RuntimeOrigin::signed(BOB), 0, weight));
		assert_eq!(
			last_event(),
			Event::ProposalClosed { proposal: 0, class, approved: false, ayes: 100, nays: 0 }
		);
		assert_eq!(Balances::balance_on_hold(&HoldReason::ProposalDeposit.into(), &ALICE), 0);
	});
}

#[test]
fn close_rejects_a_resolution_without_approval() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		let weight = propose(class, remark_with_event());
		assert_ok!(Equity::vote(RuntimeOrigin::signed(ALICE), 0, false));
		assert_ok!(Equity::vote(RuntimeOrigin::signed(BOB), 0, true));
		run_to_block(12);
		assert_ok!(Equity::close(RuntimeOrigin::signed(BOB), 0, weight));
		assert_eq!(
			last_event(),
			Event::ProposalClosed { proposal: 0, class, approved: false, ayes: 300, nays: 600 }
		);
	});
}

#[test]
fn an_even_split_is_not_approval() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, ALICE, 500));
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, BOB, 500));
		let weight = propose(class, remark_with_event());
		assert_ok!(Equity::vote(RuntimeOrigin::signed(ALICE), 0, true));
		assert_ok!(Equity::vote(RuntimeOrigin::signed(BOB), 0, false));
		run_to_block(12);
		assert_ok!(Equity::close(RuntimeOrigin::signed(BOB), 0, weight));
		assert_eq!(
			last_event(),
			Event::ProposalClosed { proposal: 0, class, approved: false, ayes: 500, nays: 500 }
		);
	});
}

#[test]
fn close_errors_unknown_proposal() {
	new_test_ext_checked(|| {
		assert_noop!(
			Equity::close(RuntimeOrigin::signed(BOB), 0, Weight::zero()),
			Error::<Test>::UnknownProposal
		);
	});
}

#[test]
fn close_errors_voting_ongoing() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		let weight = propose(class, remark_with_event());
		run_to_block(11);
		assert_noop!(
			Equity::close(RuntimeOrigin::signed(BOB), 0, weight),
			Error::<Test>::VotingOngoing
		);
	});
}

#[test]
fn close_errors_call_weight_bound_too_low() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		propose(class, remark_with_event());
		assert_ok!(Equity::vote(RuntimeOrigin::signed(ALICE), 0, true));
		run_to_block(12);
		assert_noop!(
			Equity::close(RuntimeOrigin::signed(BOB), 0, Weight::zero()),
			Error::<Test>::CallWeightBoundTooLow
		);
	});
}

#[test]
fn close_reports_undecodable_call_and_still_returns_deposit() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		propose(class, remark_with_event());
		assert_ok!(Equity::vote(RuntimeOrigin::signed(ALICE), 0, true));
		// As if a runtime upgrade had removed the call.
		Proposals::<Test>::mutate(0, |proposal| {
			proposal.as_mut().unwrap().call = vec![255, 255].try_into().unwrap();
		});
		run_to_block(12);
		assert_ok!(Equity::close(RuntimeOrigin::signed(BOB), 0, Weight::zero()));
		assert_eq!(
			last_event(),
			Event::ProposalExecuted {
				proposal: 0,
				result: Err(DispatchError::from(Error::<Test>::UndecodableCall)),
			}
		);
		assert_eq!(Balances::balance_on_hold(&HoldReason::ProposalDeposit.into(), &ALICE), 0);
	});
}

#[test]
fn close_charges_the_weight_the_call_used_and_refunds_the_rest_of_the_bound() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		let weight = propose(class, remark_with_event());
		assert_ok!(Equity::vote(RuntimeOrigin::signed(ALICE), 0, true));
		run_to_block(12);
		let post = Equity::close(RuntimeOrigin::signed(BOB), 0, weight.saturating_mul(10)).unwrap();
		let close = <() as crate::WeightInfo>::close();
		assert_eq!(post.actual_weight, Some(close.saturating_add(weight)));
	});
}
