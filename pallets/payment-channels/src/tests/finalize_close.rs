use crate::{mock::*, ChannelCount, Channels, Error, Event, HoldReason};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;

#[test]
fn finalize_close_after_the_challenge_period_returns_the_rest_to_the_payer() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		let (voucher, signature) = alice_voucher(channel, 25);
		assert_ok!(PaymentChannels::claim(RuntimeOrigin::signed(bob()), voucher, signature));
		assert_ok!(PaymentChannels::request_close(RuntimeOrigin::signed(alice()), channel));
		run_to_block(1 + CHALLENGE_PERIOD);
		// Anyone may finalize: a payer who disappears cannot keep the payee's claim open, and
		// a payee who disappears cannot lock the payer's funds.
		assert_ok!(PaymentChannels::finalize_close(RuntimeOrigin::signed(eve()), channel));

		assert!(Channels::<Test>::get(channel).is_none());
		assert_eq!(ChannelCount::<Test>::get(alice()), 0);
		assert_eq!(held(HoldReason::ChannelDeposit, &alice()), 0);
		assert_eq!(held(HoldReason::StorageDeposit, &alice()), 0);
		assert_eq!(free(&alice()), INITIAL_BALANCE - 25);
		assert_eq!(free(&bob()), INITIAL_BALANCE + 25);
		assert_eq!(
			channel_events().last(),
			Some(&Event::ChannelClosed {
				channel,
				payer: alice(),
				payee: bob(),
				settled: 25,
				refunded: 75,
			})
		);
	});
}

#[test]
fn finalize_close_errors_channel_not_found() {
	build_and_execute(|| {
		assert_noop!(
			PaymentChannels::finalize_close(RuntimeOrigin::signed(eve()), 0),
			Error::<Test>::ChannelNotFound
		);
	});
}

#[test]
fn finalize_close_errors_channel_not_closing() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_noop!(
			PaymentChannels::finalize_close(RuntimeOrigin::signed(alice()), channel),
			Error::<Test>::ChannelNotClosing
		);
	});
}

#[test]
fn finalize_close_errors_challenge_period_not_over() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_ok!(PaymentChannels::request_close(RuntimeOrigin::signed(alice()), channel));
		run_to_block(1 + CHALLENGE_PERIOD - 1);
		assert_noop!(
			PaymentChannels::finalize_close(RuntimeOrigin::signed(alice()), channel),
			Error::<Test>::ChallengePeriodNotOver
		);
	});
}
