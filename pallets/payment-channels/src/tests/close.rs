use crate::{mock::*, ChannelCount, Channels, Error, Event, HoldReason};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;

#[test]
fn close_by_the_payee_returns_the_rest_and_the_storage_deposit_to_the_payer() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		let (voucher, signature) = alice_voucher(channel, 30);
		assert_ok!(PaymentChannels::claim(RuntimeOrigin::signed(bob()), voucher, signature));
		assert_ok!(PaymentChannels::close(RuntimeOrigin::signed(bob()), channel, None));

		assert!(Channels::<Test>::get(channel).is_none());
		assert_eq!(ChannelCount::<Test>::get(alice()), 0);
		assert!(!ChannelCount::<Test>::contains_key(alice()));
		assert_eq!(held(HoldReason::ChannelDeposit, &alice()), 0);
		assert_eq!(held(HoldReason::StorageDeposit, &alice()), 0);
		assert_eq!(free(&alice()), INITIAL_BALANCE - 30);
		assert_eq!(
			channel_events().last(),
			Some(&Event::ChannelClosed {
				channel,
				payer: alice(),
				payee: bob(),
				settled: 30,
				refunded: 70,
			})
		);
	});
}

#[test]
fn close_claims_the_final_voucher_first() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		let final_voucher = alice_voucher(channel, 45);
		assert_ok!(PaymentChannels::close(
			RuntimeOrigin::signed(bob()),
			channel,
			Some(final_voucher)
		));
		assert_eq!(free(&bob()), INITIAL_BALANCE + 45);
		assert_eq!(free(&alice()), INITIAL_BALANCE - 45);
	});
}

#[test]
fn close_ignores_a_final_voucher_older_than_the_settled_amount() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		let (voucher, signature) = alice_voucher(channel, 50);
		assert_ok!(PaymentChannels::claim(RuntimeOrigin::signed(bob()), voucher, signature));
		assert_ok!(PaymentChannels::close(
			RuntimeOrigin::signed(bob()),
			channel,
			Some(alice_voucher(channel, 20))
		));
		assert_eq!(free(&bob()), INITIAL_BALANCE + 50);
		assert_eq!(free(&alice()), INITIAL_BALANCE - 50);
	});
}

#[test]
fn close_rejects_a_bad_final_voucher_and_keeps_the_channel() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		let forged = crate::Voucher::new(channel, 50);
		let signature = mallory_key().sign(&forged);
		assert_noop!(
			PaymentChannels::close(
				RuntimeOrigin::signed(bob()),
				channel,
				Some((forged, signature))
			),
			Error::<Test>::InvalidVoucherSignature
		);
	});
}

#[test]
fn close_errors_channel_not_found() {
	build_and_execute(|| {
		assert_noop!(
			PaymentChannels::close(RuntimeOrigin::signed(bob()), 0, None),
			Error::<Test>::ChannelNotFound
		);
	});
}

#[test]
fn close_errors_not_payee_even_for_the_payer() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_noop!(
			PaymentChannels::close(RuntimeOrigin::signed(alice()), channel, None),
			Error::<Test>::NotPayee
		);
	});
}

#[test]
fn close_errors_voucher_channel_mismatch() {
	build_and_execute(|| {
		let first = open_alice_to_bob(100);
		let second = open_alice_to_bob(100);
		assert_noop!(
			PaymentChannels::close(
				RuntimeOrigin::signed(bob()),
				first,
				Some(alice_voucher(second, 10))
			),
			Error::<Test>::VoucherChannelMismatch
		);
	});
}
