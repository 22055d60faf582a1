use crate::{mock::*, Channels, Error, Event, HoldReason};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;

#[test]
fn top_up_adds_to_the_deposit_and_the_hold() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_ok!(PaymentChannels::top_up(RuntimeOrigin::signed(alice()), channel, 50));
		assert_eq!(Channels::<Test>::get(channel).map(|c| c.deposit), Some(150));
		assert_eq!(held(HoldReason::ChannelDeposit, &alice()), 150);
		assert_eq!(
			channel_events().last(),
			Some(&Event::ToppedUp { channel, amount: 50, deposit: 150 })
		);
	});
}

#[test]
fn top_up_lets_a_larger_voucher_be_claimed() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		let (voucher, signature) = alice_voucher(channel, 120);
		assert_noop!(
			PaymentChannels::claim(RuntimeOrigin::signed(bob()), voucher, signature.clone()),
			Error::<Test>::VoucherExceedsDeposit
		);
		assert_ok!(PaymentChannels::top_up(RuntimeOrigin::signed(alice()), channel, 20));
		assert_ok!(PaymentChannels::claim(RuntimeOrigin::signed(bob()), voucher, signature));
	});
}

#[test]
fn top_up_errors_zero_amount() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_noop!(
			PaymentChannels::top_up(RuntimeOrigin::signed(alice()), channel, 0),
			Error::<Test>::ZeroAmount
		);
	});
}

#[test]
fn top_up_errors_channel_not_found() {
	build_and_execute(|| {
		assert_noop!(
			PaymentChannels::top_up(RuntimeOrigin::signed(alice()), 7, 10),
			Error::<Test>::ChannelNotFound
		);
	});
}

#[test]
fn top_up_errors_not_payer() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_noop!(
			PaymentChannels::top_up(RuntimeOrigin::signed(eve()), channel, 10),
			Error::<Test>::NotPayer
		);
	});
}

#[test]
fn top_up_errors_channel_closing() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_ok!(PaymentChannels::request_close(RuntimeOrigin::signed(alice()), channel));
		assert_noop!(
			PaymentChannels::top_up(RuntimeOrigin::signed(alice()), channel, 10),
			Error::<Test>::ChannelClosing
		);
	});
}

#[test]
fn top_up_fails_when_the_payer_cannot_afford_it() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert!(PaymentChannels::top_up(RuntimeOrigin::signed(alice()), channel, INITIAL_BALANCE)
			.is_err());
		assert_eq!(Channels::<Test>::get(channel).map(|c| c.deposit), Some(100));
	});
}
