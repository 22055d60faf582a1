//! [`ChannelCharger`] as the compute pallet uses it: charge a job voucher into the job's escrow
//! hold, pay it out or refund it; and the attacks on it.

use crate::{
	mock::{pallet_escrow, *},
	ChannelCharger, Channels, Error, Event, HoldReason, JobVoucher,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use polkadot_sdk::*;
use sp_runtime::{DispatchError, MultiSignature, TokenError};

const JOB: [u8; 32] = [7; 32];

fn job_escrow() -> RuntimeHoldReason {
	pallet_escrow::HoldReason::JobEscrow.into()
}

fn job_voucher(
	channel: u64,
	nonce: u64,
	max_price: Balance,
) -> (JobVoucher<Balance>, MultiSignature) {
	let voucher = JobVoucher { channel, nonce, max_price, job: JOB };
	let signature = alice_key().sign_job(&voucher);
	(voucher, signature)
}

fn charge_signed(
	payee: &sp_runtime::AccountId32,
	voucher: &JobVoucher<Balance>,
	signature: &MultiSignature,
	job: &[u8; 32],
	price: Balance,
) -> Result<sp_runtime::AccountId32, DispatchError> {
	<PaymentChannels as ChannelCharger<_, _>>::charge_job(
		payee,
		voucher,
		signature,
		job,
		price,
		&job_escrow(),
	)
}

fn charge(
	payee: &sp_runtime::AccountId32,
	channel: u64,
	nonce: u64,
	price: Balance,
) -> Result<sp_runtime::AccountId32, DispatchError> {
	let (voucher, signature) = job_voucher(channel, nonce, price);
	charge_signed(payee, &voucher, &signature, &JOB, price)
}

fn refund(channel: u64, amount: Balance, reason: RuntimeHoldReason) -> Result<(), DispatchError> {
	<PaymentChannels as ChannelCharger<_, _>>::refund(channel, &alice(), amount, &reason)
}

#[test]
fn charge_job_moves_the_price_into_the_callers_hold() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_eq!(charge(&bob(), channel, 1, 30), Ok(alice()));
		assert_eq!(escrowed(&alice()), 30);
		assert_eq!(held(HoldReason::ChannelDeposit, &alice()), 70);
		let record = Channels::<Test>::get(channel).expect("open");
		assert_eq!((record.settled, record.charged, record.job_nonce), (0, 30, 1));
		assert_eq!(
			channel_events().last(),
			Some(&Event::Charged { channel, payer: alice(), amount: 30, nonce: 1, charged: 30 })
		);
		// The next job's voucher carries the next nonce and is charged its own price.
		assert_eq!(charge(&bob(), channel, 2, 15), Ok(alice()));
		assert_eq!(escrowed(&alice()), 45);
	});
}

#[test]
fn the_job_is_charged_its_price_not_the_vouchers_maximum() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		let (voucher, signature) = job_voucher(channel, 1, 50);
		assert_ok!(charge_signed(&bob(), &voucher, &signature, &JOB, 20));
		assert_eq!(escrowed(&alice()), 20);
		assert_eq!(held(HoldReason::ChannelDeposit, &alice()), 80);
	});
}

#[test]
fn the_caller_pays_out_its_escrow_when_the_job_succeeds() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_ok!(charge(&bob(), channel, 1, 30));
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
		assert_ok!(charge(&bob(), channel, 1, 30));
		assert_ok!(refund(channel, 30, job_escrow()));
		assert_eq!(escrowed(&alice()), 0);
		assert_eq!(held(HoldReason::ChannelDeposit, &alice()), 100);
		// The job lane's count goes on: the refund widened the deposit instead.
		let record = Channels::<Test>::get(channel).expect("still open");
		assert_eq!((record.deposit, record.charged), (130, 30));
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
		assert_ok!(charge(&bob(), channel, 1, 30));
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
		let (voucher, signature) = job_voucher(channel, 1, 10);
		for reserved in [HoldReason::ChannelDeposit, HoldReason::StorageDeposit] {
			assert_noop!(
				<PaymentChannels as ChannelCharger<_, _>>::charge_job(
					&bob(),
					&voucher,
					&signature,
					&JOB,
					10,
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
		assert_noop!(charge(&eve(), channel, 1, 10), Error::<Test>::NotPayee);
	});
}

#[test]
fn charge_errors_channel_not_found() {
	build_and_execute(|| {
		assert_noop!(charge(&bob(), 4, 1, 10), Error::<Test>::ChannelNotFound);
	});
}

#[test]
fn charge_errors_channel_closing() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_ok!(PaymentChannels::request_close(RuntimeOrigin::signed(alice()), channel));
		assert_noop!(charge(&bob(), channel, 1, 10), Error::<Test>::ChannelClosing);
	});
}

#[test]
fn charge_errors_voucher_exceeds_deposit() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		let (voucher, signature) = alice_voucher(channel, 90);
		assert_ok!(PaymentChannels::claim(RuntimeOrigin::signed(bob()), voucher, signature));
		assert_noop!(charge(&bob(), channel, 1, 11), Error::<Test>::VoucherExceedsDeposit);
		assert_ok!(charge(&bob(), channel, 1, 10));
	});
}

#[test]
fn charge_errors_invalid_voucher_signature() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		let forged = JobVoucher { channel, nonce: 1, max_price: 10, job: JOB };
		let signature = mallory_key().sign_job(&forged);
		assert_noop!(
			charge_signed(&bob(), &forged, &signature, &JOB, 10),
			Error::<Test>::InvalidVoucherSignature
		);
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
		assert_ok!(charge(&bob(), channel, 1, 10));
		assert_noop!(
			refund(channel, 11, job_escrow()),
			DispatchError::Token(TokenError::FundsUnavailable)
		);
	});
}

/// What an attacker who sees a job voucher (in the pool, or at a gateway) tries.
mod attack {
	use super::*;

	#[test]
	fn pool_watcher_spends_a_job_voucher_on_another_query() {
		build_and_execute(|| {
			let channel = open_alice_to_bob(100);
			let (voucher, signature) = job_voucher(channel, 1, 30);
			let other_job = [8; 32];
			assert_noop!(
				charge_signed(&bob(), &voucher, &signature, &other_job, 30),
				Error::<Test>::VoucherForAnotherJob
			);
			// Rewriting the voucher's job breaks the signature.
			let rewritten = JobVoucher { job: other_job, ..voucher };
			assert_noop!(
				charge_signed(&bob(), &rewritten, &signature, &other_job, 30),
				Error::<Test>::InvalidVoucherSignature
			);
		});
	}

	#[test]
	fn replayer_spends_a_job_voucher_twice() {
		build_and_execute(|| {
			let channel = open_alice_to_bob(100);
			let (voucher, signature) = job_voucher(channel, 1, 30);
			assert_ok!(charge_signed(&bob(), &voucher, &signature, &JOB, 30));
			assert_noop!(
				charge_signed(&bob(), &voucher, &signature, &JOB, 30),
				Error::<Test>::JobNonceSpent
			);
		});
	}

	#[test]
	fn owner_raises_the_price_above_what_the_payer_signed() {
		build_and_execute(|| {
			let channel = open_alice_to_bob(100);
			let (voucher, signature) = job_voucher(channel, 1, 30);
			assert_noop!(
				charge_signed(&bob(), &voucher, &signature, &JOB, 31),
				Error::<Test>::PriceAboveVoucherMaximum
			);
		});
	}

	#[test]
	fn payee_claims_with_a_job_voucher_signature() {
		build_and_execute(|| {
			let channel = open_alice_to_bob(100);
			let (job, signature) = job_voucher(channel, 1, 30);
			// The same numbers as a plain voucher: the job voucher's signature does not pass.
			let plain = crate::Voucher::new(channel, job.max_price);
			assert_noop!(
				PaymentChannels::claim(RuntimeOrigin::signed(bob()), plain, signature),
				Error::<Test>::InvalidVoucherSignature
			);
		});
	}

	#[test]
	fn payee_charges_a_job_with_a_plain_voucher_signature() {
		build_and_execute(|| {
			let channel = open_alice_to_bob(100);
			let (_, plain_signature) = alice_voucher(channel, 30);
			let (job, _) = job_voucher(channel, 1, 30);
			assert_noop!(
				charge_signed(&bob(), &job, &plain_signature, &JOB, 30),
				Error::<Test>::InvalidVoucherSignature
			);
		});
	}

	#[test]
	fn job_charge_makes_the_payees_voucher_worthless() {
		build_and_execute(|| {
			let channel = open_alice_to_bob(100);
			assert_ok!(charge(&bob(), channel, 1, 40));
			// The payee's off-chain voucher for 40 keeps its worth: jobs never move the claim lane.
			let (voucher, signature) = alice_voucher(channel, 40);
			assert_ok!(PaymentChannels::claim(RuntimeOrigin::signed(bob()), voucher, signature));
			assert_eq!(free(&bob()), INITIAL_BALANCE + 40);
			// And the claim does not make the next job voucher worthless.
			assert_ok!(charge(&bob(), channel, 2, 20));
			// What is left for claims is the deposit minus what jobs took.
			let (voucher, signature) = alice_voucher(channel, 41);
			assert_noop!(
				PaymentChannels::claim(RuntimeOrigin::signed(bob()), voucher, signature),
				Error::<Test>::VoucherExceedsDeposit
			);
		});
	}
}
