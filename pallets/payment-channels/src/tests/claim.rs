use crate::{mock::*, Channels, Error, Event, HoldReason, Voucher};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;
use sp_core::H256;

#[test]
fn claim_pays_the_payee_the_voucher_amount() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		let (voucher, signature) = alice_voucher(channel, 30);
		assert_ok!(PaymentChannels::claim(RuntimeOrigin::signed(bob()), voucher, signature));

		assert_eq!(free(&bob()), INITIAL_BALANCE + 30);
		assert_eq!(held(HoldReason::ChannelDeposit, &alice()), 70);
		assert_eq!(Channels::<Test>::get(channel).map(|c| c.settled), Some(30));
		assert_eq!(
			channel_events().last(),
			Some(&Event::Claimed { channel, payee: bob(), amount: 30, settled: 30 })
		);
	});
}

#[test]
fn partial_claims_pay_the_difference_to_the_last_claim() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		for (cumulative, expected_increment) in [(10, 10), (25, 15), (100, 75)] {
			let (voucher, signature) = alice_voucher(channel, cumulative);
			let before = free(&bob());
			assert_ok!(PaymentChannels::claim(RuntimeOrigin::signed(bob()), voucher, signature));
			assert_eq!(free(&bob()) - before, expected_increment);
		}
		assert_eq!(held(HoldReason::ChannelDeposit, &alice()), 0);
	});
}

#[test]
fn claim_accepts_an_ed25519_payer() {
	build_and_execute(|| {
		assert_ok!(PaymentChannels::open(RuntimeOrigin::signed(charlie()), bob(), 100));
		let voucher = Voucher::new(0, 40);
		let signature = charlie_key().sign(&voucher);
		assert_ok!(PaymentChannels::claim(RuntimeOrigin::signed(bob()), voucher, signature));
		assert_eq!(free(&bob()), INITIAL_BALANCE + 40);
	});
}

#[test]
fn claim_can_create_the_payee_account() {
	build_and_execute(|| {
		assert_ok!(PaymentChannels::open(RuntimeOrigin::signed(alice()), pauper(), 100));
		let (voucher, signature) = alice_voucher(0, 20);
		assert_ok!(PaymentChannels::claim(RuntimeOrigin::signed(pauper()), voucher, signature));
		assert_eq!(free(&pauper()), 20);
	});
}

#[test]
fn claim_errors_voucher_not_above_settled_so_an_older_voucher_is_harmless() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		let (old, old_signature) = alice_voucher(channel, 10);
		let (new, new_signature) = alice_voucher(channel, 20);
		assert_ok!(PaymentChannels::claim(
			RuntimeOrigin::signed(bob()),
			new,
			new_signature.clone()
		));
		assert_noop!(
			PaymentChannels::claim(RuntimeOrigin::signed(bob()), old, old_signature),
			Error::<Test>::VoucherNotAboveSettled
		);
		// Replaying the same voucher pays nothing either.
		assert_noop!(
			PaymentChannels::claim(RuntimeOrigin::signed(bob()), new, new_signature),
			Error::<Test>::VoucherNotAboveSettled
		);
	});
}

#[test]
fn claim_errors_voucher_exceeds_deposit() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		let (voucher, signature) = alice_voucher(channel, 101);
		assert_noop!(
			PaymentChannels::claim(RuntimeOrigin::signed(bob()), voucher, signature),
			Error::<Test>::VoucherExceedsDeposit
		);
	});
}

#[test]
fn claim_errors_invalid_voucher_signature_from_another_key() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		let voucher = Voucher::new(channel, 10);
		let signature = mallory_key().sign(&voucher);
		assert_noop!(
			PaymentChannels::claim(RuntimeOrigin::signed(bob()), voucher, signature),
			Error::<Test>::InvalidVoucherSignature
		);
	});
}

#[test]
fn claim_rejects_a_voucher_replayed_from_another_channel() {
	build_and_execute(|| {
		let first = open_alice_to_bob(100);
		let second = open_alice_to_bob(100);
		let (voucher, signature) = alice_voucher(first, 10);
		let relabelled = Voucher::new(second, voucher.amount);
		assert_noop!(
			PaymentChannels::claim(RuntimeOrigin::signed(bob()), relabelled, signature),
			Error::<Test>::InvalidVoucherSignature
		);
	});
}

#[test]
fn claim_rejects_a_voucher_signed_for_another_chain() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		let voucher = Voucher::new(channel, 10);
		let signature = alice_key().sign_for_chain(&voucher, &H256::repeat_byte(1));
		assert_noop!(
			PaymentChannels::claim(RuntimeOrigin::signed(bob()), voucher, signature),
			Error::<Test>::InvalidVoucherSignature
		);
	});
}

#[test]
fn claim_errors_channel_not_found() {
	build_and_execute(|| {
		let (voucher, signature) = alice_voucher(3, 10);
		assert_noop!(
			PaymentChannels::claim(RuntimeOrigin::signed(bob()), voucher, signature),
			Error::<Test>::ChannelNotFound
		);
	});
}

#[test]
fn claim_errors_not_payee() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		let (voucher, signature) = alice_voucher(channel, 10);
		assert_noop!(
			PaymentChannels::claim(RuntimeOrigin::signed(eve()), voucher, signature),
			Error::<Test>::NotPayee
		);
	});
}

#[test]
fn claim_is_allowed_during_the_challenge_period() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_ok!(PaymentChannels::request_close(RuntimeOrigin::signed(alice()), channel));
		run_to_block(1 + CHALLENGE_PERIOD - 1);
		let (voucher, signature) = alice_voucher(channel, 60);
		assert_ok!(PaymentChannels::claim(RuntimeOrigin::signed(bob()), voucher, signature));
		assert_eq!(free(&bob()), INITIAL_BALANCE + 60);
	});
}

#[test]
fn claim_errors_challenge_period_over() {
	build_and_execute(|| {
		let channel = open_alice_to_bob(100);
		assert_ok!(PaymentChannels::request_close(RuntimeOrigin::signed(alice()), channel));
		run_to_block(1 + CHALLENGE_PERIOD);
		let (voucher, signature) = alice_voucher(channel, 60);
		assert_noop!(
			PaymentChannels::claim(RuntimeOrigin::signed(bob()), voucher, signature),
			Error::<Test>::ChallengePeriodOver
		);
	});
}
