use crate::{mock::*, Error, Event, WorkerStatus, Workers};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use polkadot_sdk::*;

fn bond_held(name: &str) -> Balance {
	Balances::balance_on_hold(&crate::HoldReason::WorkerBond.into(), &account(name))
}

#[test]
fn register_holds_the_bond_and_joins_the_active_set() {
	build_and_execute(|| {
		assert_ok!(Compute::register_worker(
			RuntimeOrigin::signed(account("w4")),
			worker_key("w4"),
			MIN_BOND
		));
		assert_eq!(bond_held("w4"), MIN_BOND);
		assert!(crate::ActiveWorkers::<Test>::get().contains(&account("w4")));
		assert_eq!(crate::WorkerKeys::<Test>::get(worker_key("w4")), Some(account("w4")));
		assert!(compute_events().contains(&Event::WorkerRegistered {
			worker: account("w4"),
			key: worker_key("w4"),
			bond: MIN_BOND,
		}));
	});
}

#[test]
fn register_rejects_a_second_registration() {
	build_and_execute(|| {
		assert_noop!(
			Compute::register_worker(
				RuntimeOrigin::signed(account("w1")),
				worker_key("w4"),
				MIN_BOND
			),
			Error::<Test>::AlreadyWorker
		);
	});
}

#[test]
fn register_rejects_a_key_in_use() {
	build_and_execute(|| {
		assert_noop!(
			Compute::register_worker(
				RuntimeOrigin::signed(account("w4")),
				worker_key("w1"),
				MIN_BOND
			),
			Error::<Test>::KeyInUse
		);
	});
}

#[test]
fn register_rejects_a_bond_below_the_minimum() {
	build_and_execute(|| {
		assert_noop!(
			Compute::register_worker(
				RuntimeOrigin::signed(account("w4")),
				worker_key("w4"),
				MIN_BOND - 1
			),
			Error::<Test>::BondTooLow
		);
	});
}

#[test]
fn register_rejects_a_bond_the_account_cannot_pay() {
	build_and_execute(|| {
		assert!(Compute::register_worker(
			RuntimeOrigin::signed(account("w4")),
			worker_key("w4"),
			INITIAL_BALANCE * 2
		)
		.is_err());
		assert!(Workers::<Test>::get(account("w4")).is_none());
	});
}

#[test]
fn register_rejects_a_full_active_set() {
	build_and_execute(|| {
		// The mock allows eight active workers; three are registered at genesis.
		for index in 0..5u8 {
			let who = sp_runtime::AccountId32::new([index + 1; 32]);
			assert_ok!(<Balances as frame_support::traits::fungible::Mutate<_>>::transfer(
				&account("other"),
				&who,
				MIN_BOND * 2,
				frame_support::traits::tokens::Preservation::Preserve
			));
			assert_ok!(Compute::register_worker(
				RuntimeOrigin::signed(who),
				sp_core::sr25519::Public::from_raw([index + 1; 32]),
				MIN_BOND
			));
		}
		assert_noop!(
			Compute::register_worker(
				RuntimeOrigin::signed(account("w4")),
				worker_key("w4"),
				MIN_BOND
			),
			Error::<Test>::TooManyWorkers
		);
	});
}

#[test]
fn bond_extra_adds_to_the_held_bond() {
	build_and_execute(|| {
		assert_ok!(Compute::bond_extra(RuntimeOrigin::signed(account("w1")), 50));
		assert_eq!(bond_held("w1"), MIN_BOND * 2 + 50);
		assert_eq!(Workers::<Test>::get(account("w1")).map(|w| w.bond), Some(MIN_BOND * 2 + 50));
	});
}

#[test]
fn bond_extra_rejects_a_non_worker() {
	build_and_execute(|| {
		assert_noop!(
			Compute::bond_extra(RuntimeOrigin::signed(account("w4")), 50),
			Error::<Test>::NotWorker
		);
	});
}

#[test]
fn unbond_leaves_the_active_set_and_starts_the_delay() {
	build_and_execute(|| {
		assert_ok!(Compute::unbond(RuntimeOrigin::signed(account("w1"))));
		assert!(!crate::ActiveWorkers::<Test>::get().contains(&account("w1")));
		assert_eq!(
			Workers::<Test>::get(account("w1")).map(|w| w.status),
			Some(WorkerStatus::Unbonding { withdrawable_at: 1 + UNBONDING_DELAY })
		);
	});
}

#[test]
fn unbond_rejects_a_non_worker_and_a_second_unbond() {
	build_and_execute(|| {
		assert_noop!(
			Compute::unbond(RuntimeOrigin::signed(account("w4"))),
			Error::<Test>::NotWorker
		);
		assert_ok!(Compute::unbond(RuntimeOrigin::signed(account("w1"))));
		assert_noop!(
			Compute::unbond(RuntimeOrigin::signed(account("w1"))),
			Error::<Test>::AlreadyUnbonding
		);
	});
}

#[test]
fn withdraw_returns_the_bond_after_the_delay() {
	build_and_execute(|| {
		assert_ok!(Compute::unbond(RuntimeOrigin::signed(account("w1"))));
		run_to_block(1 + UNBONDING_DELAY);
		assert_ok!(Compute::withdraw(RuntimeOrigin::signed(account("w1"))));
		assert_eq!(bond_held("w1"), 0);
		assert!(Workers::<Test>::get(account("w1")).is_none());
		assert!(crate::WorkerKeys::<Test>::get(worker_key("w1")).is_none());
	});
}

#[test]
fn withdraw_rejects_before_unbonding_and_before_the_delay() {
	build_and_execute(|| {
		assert_noop!(
			Compute::withdraw(RuntimeOrigin::signed(account("w4"))),
			Error::<Test>::NotWorker
		);
		assert_noop!(
			Compute::withdraw(RuntimeOrigin::signed(account("w1"))),
			Error::<Test>::NotUnbonding
		);
		assert_ok!(Compute::unbond(RuntimeOrigin::signed(account("w1"))));
		run_to_block(UNBONDING_DELAY);
		assert_noop!(
			Compute::withdraw(RuntimeOrigin::signed(account("w1"))),
			Error::<Test>::UnbondingNotOver
		);
	});
}

#[test]
fn withdraw_waits_for_open_jobs() {
	build_and_execute(|| {
		let job = submit_default_job();
		assert_ok!(Compute::unbond(RuntimeOrigin::signed(account("w1"))));
		run_to_block(1 + UNBONDING_DELAY);
		assert_noop!(
			Compute::withdraw(RuntimeOrigin::signed(account("w1"))),
			Error::<Test>::JobsStillOpen
		);
		for worker in WORKERS {
			assert_ok!(submit_result(worker, job, 1));
		}
		assert_ok!(Compute::withdraw(RuntimeOrigin::signed(account("w1"))));
	});
}

#[test]
fn a_worker_slashed_below_the_minimum_is_removed_with_the_rest_returned() {
	build_and_execute(|| {
		// Each missed deadline costs SLASH of a 2 * MIN_BOND bond: three leave it below MIN_BOND.
		for _ in 0..3 {
			let job = submit_default_job();
			assert_ok!(submit_result("w2", job, 1));
			assert_ok!(submit_result("w3", job, 1));
			run_to_block(result_deadline(System::block_number()));
		}
		assert!(Workers::<Test>::get(account("w1")).is_none());
		assert_eq!(bond_held("w1"), 0);
		assert!(compute_events().contains(&Event::WorkerRemoved {
			worker: account("w1"),
			returned: MIN_BOND * 2 - 3 * SLASH,
		}));
		assert!(!crate::ActiveWorkers::<Test>::get().contains(&account("w1")));
	});
}
