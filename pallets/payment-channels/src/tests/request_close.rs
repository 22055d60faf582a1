use crate::{mock::*, Channels, Error, Event};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;

#[test]
fn request_close_starts_the_challenge_period() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		run_to_block(4);
		assert_ok!(PaymentChannels::request_close(RuntimeOrigin::signed(alice()), channel));
		let closes_at = 4 + CHALLENGE_PERIOD;
		assert_eq!(Channels::<Test>::get(channel).and_then(|c| c.closes_at), Some(closes_at));
		assert_eq!(channel_events().last(), Some(&Event::CloseRequested { channel, closes_at }));
	});
}

#[test]
fn request_close_errors_channel_not_found() {
	build_and_execute(|| {
		assert_noop!(
			PaymentChannels::request_close(RuntimeOrigin::signed(alice()), 0),
			Error::<Test>::ChannelNotFound
		);
	});
}

#[test]
fn request_close_errors_not_payer() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_noop!(
			PaymentChannels::request_close(RuntimeOrigin::signed(bob()), channel),
			Error::<Test>::NotPayer
		);
	});
}

#[test]
fn request_close_errors_channel_closing_when_asked_twice() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_ok!(PaymentChannels::request_close(RuntimeOrigin::signed(alice()), channel));
		run_to_block(5);
		// A second request must not push the deadline back (or forward).
		assert_noop!(
			PaymentChannels::request_close(RuntimeOrigin::signed(alice()), channel),
			Error::<Test>::ChannelClosing
		);
	});
}

#[test]
fn the_payee_can_still_close_at_once_during_the_challenge_period() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_ok!(PaymentChannels::request_close(RuntimeOrigin::signed(alice()), channel));
		assert_ok!(PaymentChannels::close(
			RuntimeOrigin::signed(bob()),
			channel,
			Some(alice_voucher(channel, 70))
		));
		assert_eq!(free(&bob()), INITIAL_BALANCE + 70);
		assert_eq!(free(&alice()), INITIAL_BALANCE - 70);
	});
}
