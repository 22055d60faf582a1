use crate::{mock::*, ChannelCount, Channels, Error, Event, HoldReason, NextChannelId};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;
use sp_runtime::{DispatchError, TokenError};

#[test]
fn open_holds_the_deposit_and_the_storage_deposit_on_the_payer() {
	build_and_execute(|| {
		assert_ok!(PaymentChannels::open(RuntimeOrigin::signed(alice()), bob(), 100));

		let channel = Channels::<Test>::get(0).expect("channel 0 was opened");
		assert_eq!((channel.payer, channel.payee), (alice(), bob()));
		assert_eq!((channel.deposit, channel.settled, channel.closes_at), (100, 0, None));
		assert_eq!(channel.storage_deposit, STORAGE_DEPOSIT);
		assert_eq!(held(HoldReason::ChannelDeposit, &alice()), 100);
		assert_eq!(held(HoldReason::StorageDeposit, &alice()), STORAGE_DEPOSIT);
		assert_eq!(free(&alice()), INITIAL_BALANCE - 100 - STORAGE_DEPOSIT);
		assert_eq!(ChannelCount::<Test>::get(alice()), 1);
		assert_eq!(NextChannelId::<Test>::get(), 1);
		assert_eq!(
			channel_events(),
			vec![Event::ChannelOpened { channel: 0, payer: alice(), payee: bob(), deposit: 100 }]
		);
	});
}

#[test]
fn open_allocates_ids_that_are_never_reused() {
	build_and_execute(|| {
		let first = open_alice_to_bob(100);
		assert_ok!(PaymentChannels::close(RuntimeOrigin::signed(bob()), first, None));
		let second = open_alice_to_bob(100);
		assert_eq!((first, second), (0, 1));
	});
}

#[test]
fn open_accepts_an_unfunded_payee() {
	build_and_execute(|| {
		assert_ok!(PaymentChannels::open(RuntimeOrigin::signed(alice()), pauper(), MIN_DEPOSIT));
	});
}

#[test]
fn open_errors_payee_is_payer() {
	build_and_execute(|| {
		assert_noop!(
			PaymentChannels::open(RuntimeOrigin::signed(alice()), alice(), 100),
			Error::<Test>::PayeeIsPayer
		);
	});
}

#[test]
fn open_errors_deposit_below_minimum() {
	build_and_execute(|| {
		assert_noop!(
			PaymentChannels::open(RuntimeOrigin::signed(alice()), bob(), MIN_DEPOSIT - 1),
			Error::<Test>::DepositBelowMinimum
		);
	});
}

#[test]
fn open_errors_too_many_channels_at_the_bound() {
	build_and_execute(|| {
		for _ in 0..MAX_CHANNELS {
			open_alice_to_bob(MIN_DEPOSIT);
		}
		assert_noop!(
			PaymentChannels::open(RuntimeOrigin::signed(alice()), bob(), MIN_DEPOSIT),
			Error::<Test>::TooManyChannels
		);
		// Closing one frees a slot.
		assert_ok!(PaymentChannels::close(RuntimeOrigin::signed(bob()), 0, None));
		open_alice_to_bob(MIN_DEPOSIT);
	});
}

#[test]
fn open_errors_overflow_when_ids_are_exhausted() {
	build_and_execute(|| {
		NextChannelId::<Test>::put(u64::MAX);
		assert_noop!(
			PaymentChannels::open(RuntimeOrigin::signed(alice()), bob(), 100),
			Error::<Test>::Overflow
		);
	});
}

#[test]
fn open_fails_when_the_payer_cannot_afford_it() {
	build_and_execute(|| {
		assert_noop!(
			PaymentChannels::open(RuntimeOrigin::signed(pauper()), bob(), 100),
			DispatchError::Token(TokenError::FundsUnavailable)
		);
		// The deposit alone fits but not with the storage deposit and the existential deposit.
		assert!(PaymentChannels::open(RuntimeOrigin::signed(alice()), bob(), INITIAL_BALANCE - 2)
			.is_err());
	});
}

#[test]
fn open_rejects_unsigned_origins() {
	build_and_execute(|| {
		assert_noop!(
			PaymentChannels::open(RuntimeOrigin::none(), bob(), 100),
			DispatchError::BadOrigin
		);
	});
}
