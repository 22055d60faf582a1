//! [`ChannelCharger`] as the compute pallet will use it: charge a job's voucher into the job's
//! escrow hold, pay it out or refund it.

use crate::{
	mock::{pallet_escrow, *},
	ChannelCharger, Channels, Charge, Error, Event, HoldReason, Voucher,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use polkadot_sdk::*;
use sp_runtime::{DispatchError, TokenError};

fn job_escrow() -> RuntimeHoldReason {
	pallet_escrow::HoldReason::JobEscrow.into()
}

fn charge(
	payee: &sp_runtime::AccountId32,
	channel: u64,
	amount: Balance,
) -> Result<Charge<sp_runtime::AccountId32, Balance>, DispatchError> {
	let (voucher, signature) = alice_voucher(channel, amount);
	<PaymentChannels as ChannelCharger<_, _>>::charge(payee, &voucher, &signature, &job_escrow())
}

fn refund(channel: u64, amount: Balance, reason: RuntimeHoldReason) -> Result<(), DispatchError> {
	<PaymentChannels as ChannelCharger<_, _>>::refund(channel, &alice(), amount, &reason)
}

#[test]
fn charge_moves_the_delta_into_the_callers_hold() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_eq!(charge(&bob(), channel, 30), Ok(Charge { payer: alice(), amount: 30 }));
		assert_eq!(escrowed(&alice()), 30);
		assert_eq!(held(HoldReason::ChannelDeposit, &alice()), 70);
		assert_eq!(Channels::<Test>::get(channel).map(|c| c.settled), Some(30));
		assert_eq!(
			channel_events().last(),
			Some(&Event::Charged { channel, payer: alice(), amount: 30, settled: 30 })
		);

		// The next job's voucher is charged only what it adds.
		assert_eq!(charge(&bob(), channel, 45).map(|c| c.amount), Ok(15));
		assert_eq!(escrowed(&alice()), 45);
	});
}

#[test]
fn charges_and_claims_share_one_settled_amount() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_ok!(charge(&bob(), channel, 40));
		let (voucher, signature) = alice_voucher(channel, 40);
		assert_noop!(
			PaymentChannels::claim(RuntimeOrigin::signed(bob()), voucher, signature),
			Error::<Test>::VoucherNotAboveSettled
		);
		let (voucher, signature) = alice_voucher(channel, 50);
		assert_ok!(PaymentChannels::claim(RuntimeOrigin::signed(bob()), voucher, signature));
		assert_eq!(free(&bob()), INITIAL_BALANCE + 10);
	});
}

#[test]
fn the_caller_pays_out_its_escrow_when_the_job_succeeds() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_ok!(charge(&bob(), channel, 30));
		assert_ok!(Balances::transfer_on_hold(
			&job_escrow(),
			&alice(),
			&bob(),
			30,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Polite,
		));
		assert_eq!(free(&bob()), INITIAL_BALANCE + 30);
		assert_eq!(escrowed(&alice()), 0);
	});
}

#[test]
fn refund_returns_the_escrow_into_an_open_channel() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_ok!(charge(&bob(), channel, 30));
		assert_ok!(refund(channel, 30, job_escrow()));
		assert_eq!(escrowed(&alice()), 0);
		assert_eq!(held(HoldReason::ChannelDeposit, &alice()), 100);
		// The payer's cumulative count goes on: the refund widened the deposit instead.
		let channel_record = Channels::<Test>::get(channel).expect("still open");
		assert_eq!((channel_record.deposit, channel_record.settled), (130, 30));
		assert_eq!(
			channel_events().last(),
			Some(&Event::Refunded { channel, payer: alice(), amount: 30, to_channel: true })
		);
	});
}

#[test]
fn refund_after_the_channel_closed_frees_the_funds() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_ok!(charge(&bob(), channel, 30));
		assert_ok!(PaymentChannels::close(RuntimeOrigin::signed(bob()), channel, None));
		assert_eq!(free(&alice()), INITIAL_BALANCE - 30);
		assert_ok!(refund(channel, 30, job_escrow()));
		assert_eq!(free(&alice()), INITIAL_BALANCE);
		assert_eq!(
			channel_events().last(),
			Some(&Event::Refunded { channel, payer: alice(), amount: 30, to_channel: false })
		);
	});
}

#[test]
fn charge_errors_reserved_hold_reason() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		let (voucher, signature) = alice_voucher(channel, 10);
		for reserved in [HoldReason::ChannelDeposit, HoldReason::StorageDeposit] {
			assert_noop!(
				<PaymentChannels as ChannelCharger<_, _>>::charge(
					&bob(),
					&voucher,
					&signature,
					&reserved.into()
				),
				Error::<Test>::ReservedHoldReason
			);
		}
	});
}

#[test]
fn refund_errors_reserved_hold_reason() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_noop!(
			refund(channel, 10, HoldReason::ChannelDeposit.into()),
			Error::<Test>::ReservedHoldReason
		);
	});
}

#[test]
fn charge_errors_not_payee_for_a_channel_to_someone_else() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_noop!(charge(&eve(), channel, 10), Error::<Test>::NotPayee);
	});
}

#[test]
fn charge_errors_channel_not_found() {
	build_and_execute(|| {
		assert_noop!(charge(&bob(), 4, 10), Error::<Test>::ChannelNotFound);
	});
}

#[test]
fn charge_checks_the_voucher_like_a_claim() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_noop!(charge(&bob(), channel, 101), Error::<Test>::VoucherExceedsDeposit);
		let forged = Voucher::new(channel, 10);
		let signature = mallory_key().sign(&forged);
		assert_noop!(
			<PaymentChannels as ChannelCharger<_, _>>::charge(
				&bob(),
				&forged,
				&signature,
				&job_escrow()
			),
			Error::<Test>::InvalidVoucherSignature
		);
		assert_ok!(charge(&bob(), channel, 10));
		assert_noop!(charge(&bob(), channel, 10), Error::<Test>::VoucherNotAboveSettled);
	});
}

#[test]
fn refund_errors_zero_amount() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_noop!(refund(channel, 0, job_escrow()), Error::<Test>::ZeroAmount);
	});
}

#[test]
fn refund_cannot_release_more_than_was_charged() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_ok!(charge(&bob(), channel, 10));
		assert_noop!(
			refund(channel, 11, job_escrow()),
			DispatchError::Token(TokenError::FundsUnavailable)
		);
	});
}

/// Attacks on the charger as committed. Each test asserts the secure behaviour, so each FAILS
/// on the code it was written against: the failure is the attack succeeding.
mod attack {
	use super::*;

	/// Bob holds Alice's off-chain voucher for 40 (unclaimed). Alice then pays a job of price 10
	/// with a cumulative voucher for 50, as the compute pallet charges it. Charges and claims
	/// share one settled counter, so the whole 50 goes into the job's escrow and Bob's voucher
	/// for 40 is no longer claimable.
	#[test]
	fn job_charge_makes_the_payees_voucher_worthless() {
		build_and_execute(|| {
			let channel = open_alice_to_bob(100);
			let (held_by_bob, bobs_signature) = alice_voucher(channel, 40);
			assert_ok!(charge(&bob(), channel, 50));
			let claim =
				PaymentChannels::claim(RuntimeOrigin::signed(bob()), held_by_bob, bobs_signature);
			assert!(
				claim.is_ok(),
				"the payee's unclaimed voucher for 40 was made worthless by a job charge: {claim:?}"
			);
			assert_eq!(free(&bob()), INITIAL_BALANCE + 40, "the payee did not get its 40");
			assert_eq!(escrowed(&alice()), 10, "the job escrowed more than its price of 10");
		});
	}
}
