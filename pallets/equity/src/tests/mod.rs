//! Tests, one file per call or feature. Every test runs through
//! [`crate::mock::new_test_ext_checked`], which checks `do_try_state` at its end.

mod allowlist;
mod attack;
mod close;
mod create_class;
mod dividends;
mod dividends_property;
mod flat_cost;
mod freeze;
mod inspect;
mod issue;
mod migration;
mod propose;
mod transfer;
mod transfer_issuer;
mod vote;

use crate::mock::*;
use polkadot_sdk::frame_support::assert_ok;

/// Issues 600 shares to Alice, 300 to Bob and 100 to Charlie.
pub fn issue_to_holders(class: u32) {
	assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, ALICE, 600));
	assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, BOB, 300));
	assert_ok!(Equity::issue(RuntimeOrigin::signed(ISSUER), class, CHARLIE, 100));
}
