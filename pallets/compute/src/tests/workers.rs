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
			MIN_BOND,
			key_proof_for("w4", &account("w4"))
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
				MIN_BOND,
				key_proof_for("w4", &account("w1"))
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
				MIN_BOND,
				key_proof_for("w1", &account("w4"))
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
				MIN_BOND - 1,
				key_proof_for("w4", &account("w4"))
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
			INITIAL_BALANCE * 2,
			key_proof_for("w4", &account("w4"))
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
			let name = format!("extra{index}");
			assert_ok!(Compute::register_worker(
				RuntimeOrigin::signed(who.clone()),
				worker_key(&name),
				MIN_BOND,
				key_proof_for(&name, &who)
			));
		}
		assert_noop!(
			Compute::register_worker(
				RuntimeOrigin::signed(account("w4")),
				worker_key("w4"),
				MIN_BOND,
				key_proof_for("w4", &account("w4"))
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
		run_to_block(2 + UNBONDING_DELAY);
		assert_noop!(
			Compute::withdraw(RuntimeOrigin::signed(account("w1"))),
			Error::<Test>::JobsStillOpen
		);
		all_agree(job, 1);
		assert_ok!(Compute::withdraw(RuntimeOrigin::signed(account("w1"))));
	});
}

#[test]
fn a_worker_slashed_below_the_minimum_leaves_and_unbonds() {
	build_and_execute(|| {
		// Each missed deadline costs SLASH of a 2 * MIN_BOND bond: three leave it below MIN_BOND.
		for _ in 0..3 {
			let job = submit_default_job();
			w1_never_opens(job);
			// Submitted in the block before this one.
			run_to_block(result_deadline(System::block_number() - 1));
		}
		let removed_at = System::block_number();
		let worker = Workers::<Test>::get(account("w1")).expect("still registered");
		let withdrawable_at = removed_at + UNBONDING_DELAY;
		assert_eq!(worker.status, WorkerStatus::Unbonding { withdrawable_at });
		// The rest of the bond stays held through the unbonding delay.
		assert_eq!(bond_held("w1"), MIN_BOND * 2 - 3 * SLASH);
		assert!(compute_events()
			.contains(&Event::WorkerRemoved { worker: account("w1"), withdrawable_at }));
		assert!(!crate::ActiveWorkers::<Test>::get().contains(&account("w1")));
		assert_noop!(
			Compute::withdraw(RuntimeOrigin::signed(account("w1"))),
			Error::<Test>::UnbondingNotOver
		);
		run_to_block(withdrawable_at);
		assert_ok!(Compute::withdraw(RuntimeOrigin::signed(account("w1"))));
		assert_eq!(bond_held("w1"), 0);
	});
}
