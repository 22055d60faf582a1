//! `deposit_dividend` and `claim` write the same storage whatever the number of holders.
//! (Their benchmarks take the holder count as a component; this checks the writes directly.)

use crate::mock::*;
use polkadot_sdk::frame_support::{assert_ok, traits::fungible::Mutate};

/// The storage keys that `deposit_dividend` and then `claim` write, with `holders` holders.
fn keys_written(holders: u64) -> (usize, usize) {
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		let class = create_default_class();
		for i in 0..holders {
			let who = 10_000 + i;
			Balances::set_balance(&who, ENDOWMENT);
			assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, who, 1));
		}
	});
	ext.commit_all().unwrap();
	ext.execute_with(|| {
		assert_ok!(Equity::deposit_dividend(RuntimeOrigin::signed(ALICE), 0, 100_000));
	});
	let distribute = ext.overlayed_changes().changes().count();
	ext.commit_all().unwrap();
	ext.execute_with(|| {
		assert_ok!(Equity::claim(RuntimeOrigin::signed(10_000), 0));
	});
	let claim = ext.overlayed_changes().changes().count();
	ext.execute_with(|| Equity::do_try_state().unwrap());
	(distribute, claim)
}

#[test]
fn distribute_and_claim_write_the_same_keys_for_10_and_1000_holders() {
	let few = keys_written(10);
	let many = keys_written(1_000);
	assert_eq!(few, many);
	assert!(few.0 > 0 && few.1 > 0);
}
