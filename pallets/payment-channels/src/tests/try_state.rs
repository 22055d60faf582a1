//! The invariants catch books that disagree with the holds.

use crate::{mock::*, ChannelCount, Channels};
use frame_support::assert_ok;
use polkadot_sdk::*;

#[test]
fn try_state_holds_through_a_channel_life() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_ok!(PaymentChannels::do_try_state());
		assert_ok!(PaymentChannels::top_up(RuntimeOrigin::signed(alice()), channel, 10));
		assert_ok!(PaymentChannels::do_try_state());
		let (voucher, signature) = alice_voucher(channel, 60);
		assert_ok!(PaymentChannels::claim(RuntimeOrigin::signed(bob()), voucher, signature));
		assert_ok!(PaymentChannels::do_try_state());
		assert_ok!(PaymentChannels::close(RuntimeOrigin::signed(bob()), channel, None));
		assert_ok!(PaymentChannels::do_try_state());
	});
}

#[test]
fn try_state_detects_a_deposit_that_is_not_held() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		Channels::<Test>::mutate(channel, |c| {
			if let Some(c) = c {
				c.deposit += 1;
			}
		});
		assert!(PaymentChannels::do_try_state().is_err());
		Channels::<Test>::mutate(channel, |c| {
			if let Some(c) = c {
				c.deposit -= 1;
			}
		});
	});
}

#[test]
fn try_state_detects_settled_above_deposit() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		let original = Channels::<Test>::get(channel).expect("open");
		Channels::<Test>::mutate(channel, |c| {
			if let Some(c) = c {
				c.settled = 101;
			}
		});
		assert!(PaymentChannels::do_try_state().is_err());
		Channels::<Test>::insert(channel, original);
	});
}

#[test]
fn try_state_detects_a_wrong_channel_count() {
	build_and_execute(|| {
		open_alice_to_bob(100);
		ChannelCount::<Test>::insert(alice(), 2);
		assert!(PaymentChannels::do_try_state().is_err());
		ChannelCount::<Test>::insert(alice(), 1);
		ChannelCount::<Test>::insert(eve(), 1);
		assert!(PaymentChannels::do_try_state().is_err());
		ChannelCount::<Test>::remove(eve());
	});
}
