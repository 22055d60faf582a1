use crate::{mock::*, Classes, Compliance, Error, Event, HoldReason, NextClassId};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::fungible::{Inspect, InspectHold},
	},
	sp_runtime::{Perbill, TokenError},
};

fn create(
	max_supply: u64,
	governance: crate::GovernanceParamsOf<Test>,
) -> polkadot_sdk::sp_runtime::DispatchResult {
	Equity::create_class(
		RuntimeOrigin::signed(ISSUER),
		b"Factory".to_vec().try_into().unwrap(),
		b"FCT".to_vec().try_into().unwrap(),
		max_supply,
		Compliance::Open,
		None,
		governance,
	)
}

#[test]
fn create_class_holds_deposit_endows_pool_and_emits_event() {
	new_test_ext_checked(|| {
		assert_ok!(create(1_000, default_governance()));
		let class = 0;
		assert_eq!(NextClassId::<Test>::get(), 1);
		let details = Classes::<Test>::get(class).unwrap();
		assert_eq!(details.issuer, ISSUER);
		assert_eq!(details.max_supply, 1_000);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::ClassDeposit.into(), &ISSUER),
			CLASS_DEPOSIT
		);
		assert_eq!(Balances::balance(&Equity::pool_account(class)), Balances::minimum_balance());
		assert_eq!(Balances::balance(&Equity::company_account(class)), Balances::minimum_balance());
		assert_eq!(
			last_event(),
			Event::ClassCreated {
				class,
				issuer: ISSUER,
				max_supply: 1_000,
				compliance: Compliance::Open,
				deposit: CLASS_DEPOSIT,
			}
		);
	});
}

#[test]
fn create_class_gives_consecutive_ids() {
	new_test_ext_checked(|| {
		assert_eq!(create_default_class(), 0);
		assert_eq!(create_default_class(), 1);
	});
}

#[test]
fn create_class_errors_zero_max_supply() {
	new_test_ext_checked(|| {
		assert_noop!(create(0, default_governance()), Error::<Test>::ZeroMaxSupply);
	});
}

#[test]
fn create_class_errors_zero_proposal_threshold() {
	new_test_ext_checked(|| {
		let governance = crate::GovernanceParams { proposal_threshold: 0, ..default_governance() };
		assert_noop!(create(1_000, governance), Error::<Test>::ZeroProposalThreshold);
	});
}

#[test]
fn create_class_errors_proposal_threshold_above_max_supply() {
	new_test_ext_checked(|| {
		let governance =
			crate::GovernanceParams { proposal_threshold: 1_001, ..default_governance() };
		assert_noop!(create(1_000, governance), Error::<Test>::ProposalThresholdAboveMaxSupply);
	});
}

#[test]
fn create_class_errors_approval_out_of_range() {
	new_test_ext_checked(|| {
		let below_half =
			crate::GovernanceParams { approval: Perbill::from_percent(49), ..default_governance() };
		assert_noop!(create(1_000, below_half), Error::<Test>::ApprovalOutOfRange);
		let whole = crate::GovernanceParams { approval: Perbill::one(), ..default_governance() };
		assert_noop!(create(1_000, whole), Error::<Test>::ApprovalOutOfRange);
	});
}

#[test]
fn create_class_errors_voting_period_too_short() {
	new_test_ext_checked(|| {
		let governance = crate::GovernanceParams {
			voting_period: MIN_VOTING_PERIOD - 1,
			..default_governance()
		};
		assert_noop!(create(1_000, governance), Error::<Test>::VotingPeriodTooShort);
	});
}

#[test]
fn create_class_errors_voting_period_too_long() {
	new_test_ext_checked(|| {
		let governance = crate::GovernanceParams {
			voting_period: MAX_VOTING_PERIOD + 1,
			..default_governance()
		};
		assert_noop!(create(1_000, governance), Error::<Test>::VotingPeriodTooLong);
	});
}

#[test]
fn create_class_errors_when_issuer_cannot_pay_deposit() {
	new_test_ext_checked(|| {
		assert_noop!(
			Equity::create_class(
				RuntimeOrigin::signed(PAUPER),
				b"Factory".to_vec().try_into().unwrap(),
				b"FCT".to_vec().try_into().unwrap(),
				1_000,
				Compliance::Open,
				None,
				default_governance(),
			),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn create_class_errors_zero_quorum() {
	new_test_ext_checked(|| {
		let governance =
			crate::GovernanceParamsOf::<Test> { quorum: Perbill::zero(), ..default_governance() };
		assert_noop!(create(1_000, governance), Error::<Test>::ZeroQuorum);
	});
}

#[test]
fn every_class_has_its_own_company_account_apart_from_every_pallet_account() {
	new_test_ext_checked(|| {
		let (first, second) = (create_default_class(), create_default_class());
		let companies = [Equity::company_account(first), Equity::company_account(second)];
		assert_ne!(companies[0], companies[1]);
		for company in companies {
			for class in [first, second] {
				assert_ne!(company, Equity::pool_account(class));
			}
			assert_ne!(company, Equity::account_id());
			assert_ne!(company, ISSUER);
		}
	});
}
