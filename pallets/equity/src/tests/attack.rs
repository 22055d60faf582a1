//! What an attacker tries against equity governance, and the outcome that shows it fails.
//! Each test uses only calls a user can make, and states the outcome an honest party needs.

use super::issue_to_holders;
use crate::{mock::*, Classes, GovernanceParamsOf, Holders, Pools, Proposals};
use polkadot_sdk::{
	frame_support::{
		assert_ok,
		traits::fungible::{Inspect, InspectHold},
		weights::Weight,
	},
	pallet_balances,
	sp_runtime::Perbill,
};

/// Enough weight for any call a resolution in these tests carries.
const GENEROUS: Weight = Weight::from_parts(1_000_000_000_000, 1_000_000);

fn one_share_governance() -> GovernanceParamsOf<Test> {
	GovernanceParamsOf::<Test> {
		proposal_threshold: 1,
		quorum: Perbill::from_percent(50),
		approval: Perbill::from_percent(50),
		voting_period: MIN_VOTING_PERIOD,
	}
}

fn class_of(creator: AccountId, max_supply: u64, governance: GovernanceParamsOf<Test>) -> u32 {
	Equity::do_create_class(
		creator,
		b"Shell".to_vec().try_into().unwrap(),
		b"SHL".to_vec().try_into().unwrap(),
		max_supply,
		crate::Compliance::Open,
		None,
		governance,
	)
	.unwrap()
}

/// The attack: a one-share class of the attacker's, a resolution paying the attacker, the
/// issuer role handed to the victim, the vote closed. The resolution must not act for the
/// victim, and the victim must not even hold the class deposit.
#[test]
fn stranger_drains_issuer_through_resolution() {
	new_test_ext_checked(|| {
		let (attacker, victim) = (CHARLIE, BOB);
		let class = class_of(attacker, 1, one_share_governance());
		assert_ok!(Equity::issue(RuntimeOrigin::signed(attacker), class, attacker, 1));
		let victim_free = Balances::balance(&victim);
		let victim_total = Balances::total_balance(&victim);
		let attacker_total = Balances::total_balance(&attacker);

		let pay_me = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: attacker,
			value: victim_free / 2,
		});
		assert_ok!(Equity::propose(RuntimeOrigin::signed(attacker), class, Box::new(pay_me)));
		assert_ok!(Equity::vote(RuntimeOrigin::signed(attacker), 0, true));
		let _ = Equity::transfer_issuer(RuntimeOrigin::signed(attacker), class, victim);
		run_to_block(2 + MIN_VOTING_PERIOD);
		let _ = Equity::close(RuntimeOrigin::signed(attacker), 0, GENEROUS);

		assert_eq!(Balances::total_balance(&victim), victim_total, "the victim lost funds");
		assert_eq!(Balances::balance(&victim), victim_free, "the victim's funds were held");
		assert!(
			Balances::total_balance(&attacker) <= attacker_total,
			"the attacker gained through the resolution"
		);
	});
}

/// Handing the issuer role to someone holds the class deposit from them and makes them
/// answer for the class: it must not happen without their consent.
#[test]
fn issuer_role_is_forced_on_a_victim() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		let victim_free = Balances::balance(&BOB);
		let _ = Equity::transfer_issuer(RuntimeOrigin::signed(ISSUER), class, BOB);
		assert_eq!(Classes::<Test>::get(class).unwrap().issuer, ISSUER);
		assert_eq!(Balances::balance(&BOB), victim_free);
		assert_eq!(
			Balances::balance_on_hold(&crate::HoldReason::ClassDeposit.into(), &BOB),
			0,
			"the victim holds a deposit it never agreed to"
		);
	});
}

/// A class whose quorum is zero passes a resolution nobody but its proposer voted for,
/// however small their stake: it must not be created.
#[test]
fn zero_quorum_lets_a_dust_holder_decide() {
	new_test_ext_checked(|| {
		let governance =
			GovernanceParamsOf::<Test> { quorum: Perbill::zero(), ..one_share_governance() };
		let created = Equity::do_create_class(
			ISSUER,
			b"Zero".to_vec().try_into().unwrap(),
			b"ZQ".to_vec().try_into().unwrap(),
			1_000,
			crate::Compliance::Open,
			None,
			governance,
		);
		assert!(created.is_err(), "a class with no quorum was created");
	});
}

/// The issuer mints to a passive account while holders vote, so that the turnout falls
/// below the quorum of the larger supply and the resolution they approved fails.
#[test]
fn issuer_dilutes_a_running_vote_by_minting() {
	new_test_ext_checked(|| {
		let class = create_class_capped_at(10_000);
		issue_to_holders(class);
		let call = RuntimeCall::Equity(crate::Call::deposit_dividend { class, amount: 1 });
		assert_ok!(Equity::propose(RuntimeOrigin::signed(ALICE), class, Box::new(call)));
		// 600 of 1,000 shares vote: 60 % turnout against a 50 % quorum.
		assert_ok!(Equity::vote(RuntimeOrigin::signed(ALICE), 0, true));
		// Minting another 400 to a passive holder would make it 600 of 1,400 (43 %).
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, 5, 400));
		let proposal = Proposals::<Test>::get(0).unwrap();
		let details = Classes::<Test>::get(class).unwrap();
		assert!(
			Equity::is_approved(&details, &proposal).unwrap(),
			"minting during the vote defeated an approved resolution"
		);
	});
}

/// A frozen holder may not move shares; it must not steer the class either.
#[test]
fn frozen_holder_votes() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_ok!(Equity::propose(
			RuntimeOrigin::signed(ALICE),
			class,
			Box::new(RuntimeCall::Equity(crate::Call::deposit_dividend { class, amount: 1 }))
		));
		assert_ok!(Equity::freeze(RuntimeOrigin::signed(ISSUER), class, BOB));
		assert!(Equity::vote(RuntimeOrigin::signed(BOB), 0, false).is_err());
		assert_eq!(Proposals::<Test>::get(0).unwrap().nays, 0);
	});
}

/// A holder taken off an allowlist class's list is out of the company: no vote.
#[test]
fn delisted_holder_votes() {
	new_test_ext_checked(|| {
		let class = create_class_with(crate::Compliance::Allowlist, None);
		for who in [ALICE, BOB] {
			assert_ok!(Equity::add_to_allowlist(RuntimeOrigin::signed(ISSUER), class, who));
		}
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, ALICE, 600));
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, BOB, 400));
		assert_ok!(Equity::propose(
			RuntimeOrigin::signed(ALICE),
			class,
			Box::new(RuntimeCall::Equity(crate::Call::deposit_dividend { class, amount: 1 }))
		));
		assert_ok!(Equity::remove_from_allowlist(RuntimeOrigin::signed(ISSUER), class, BOB));
		assert!(Equity::vote(RuntimeOrigin::signed(BOB), 0, false).is_err());
		assert_eq!(Proposals::<Test>::get(0).unwrap().nays, 0);
	});
}

/// A frozen holder's dividends wait in the pool until it is thawed.
#[test]
fn frozen_holder_claims() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		issue_to_holders(class);
		assert_ok!(Equity::deposit_dividend(RuntimeOrigin::signed(ISSUER), class, 1_000));
		assert_ok!(Equity::freeze(RuntimeOrigin::signed(ISSUER), class, BOB));
		let before = Balances::balance(&BOB);
		assert!(Equity::claim(RuntimeOrigin::signed(BOB), class).is_err());
		assert_eq!(Balances::balance(&BOB), before);
	});
}

/// A delisted holder's dividends wait in the pool until it is listed again.
#[test]
fn delisted_holder_claims() {
	new_test_ext_checked(|| {
		let class = create_class_with(crate::Compliance::Allowlist, None);
		for who in [ALICE, BOB] {
			assert_ok!(Equity::add_to_allowlist(RuntimeOrigin::signed(ISSUER), class, who));
		}
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, ALICE, 600));
		assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, BOB, 400));
		assert_ok!(Equity::deposit_dividend(RuntimeOrigin::signed(ISSUER), class, 1_000));
		assert_ok!(Equity::remove_from_allowlist(RuntimeOrigin::signed(ISSUER), class, BOB));
		let before = Balances::balance(&BOB);
		assert!(Equity::claim(RuntimeOrigin::signed(BOB), class).is_err());
		assert_eq!(Balances::balance(&BOB), before);
	});
}

/// Rounding must not keep holders' money for ever: three deposits of one unit to three
/// equal holders are three units owed, one each, and each can claim it.
#[test]
fn rounding_dust_is_kept_from_holders_for_ever() {
	new_test_ext_checked(|| {
		let class = create_default_class();
		for who in [ALICE, BOB, CHARLIE] {
			assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, who, 1));
		}
		for _ in 0..3 {
			assert_ok!(Equity::deposit_dividend(RuntimeOrigin::signed(ISSUER), class, 1));
		}
		for who in [ALICE, BOB, CHARLIE] {
			assert_eq!(Equity::claimable(class, &who), 1, "holder {who} is owed a whole unit");
		}
		assert!(Pools::<Test>::get(class).undistributed_scaled.is_zero());
		assert!(Holders::<Test>::iter_prefix(class).count() == 3);
	});
}
