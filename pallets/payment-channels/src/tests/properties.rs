//! Random sequences of open / top-up / sign / claim / close / time travel / charge / refund:
//! funds are conserved and the payee never receives more than the payer signed.

use crate::{mock::*, ChannelCharger, Channels, NextChannelId};
use frame_support::traits::fungible::Inspect;
use polkadot_sdk::*;
use proptest::prelude::*;
use sp_runtime::MultiSignature;
use std::collections::BTreeMap;
use tokenfactory_primitives::voucher::{ChannelId, JobVoucher, Voucher};

#[derive(Clone, Debug)]
enum Op {
	Open {
		deposit: Balance,
	},
	TopUp {
		channel: u8,
		amount: Balance,
	},
	/// Alice signs a voucher for `increment` more than her last one on the channel.
	Sign {
		channel: u8,
		increment: Balance,
	},
	/// Bob claims one of the vouchers Alice signed (not necessarily the best).
	Claim {
		channel: u8,
		pick: u8,
	},
	Close {
		channel: u8,
		pick: u8,
	},
	RequestClose {
		channel: u8,
	},
	Finalize {
		channel: u8,
	},
	Advance {
		blocks: u64,
	},
	/// A job charges a voucher into escrow; Bob is paid out of escrow or Alice is refunded.
	ChargeThenSettle {
		channel: u8,
		pick: u8,
		refund: bool,
	},
}

fn op() -> impl Strategy<Value = Op> {
	prop_oneof![
		(5u128..300).prop_map(|deposit| Op::Open { deposit }),
		(any::<u8>(), 0u128..100).prop_map(|(channel, amount)| Op::TopUp { channel, amount }),
		(any::<u8>(), 1u128..80).prop_map(|(channel, increment)| Op::Sign { channel, increment }),
		(any::<u8>(), any::<u8>()).prop_map(|(channel, pick)| Op::Claim { channel, pick }),
		(any::<u8>(), any::<u8>()).prop_map(|(channel, pick)| Op::Close { channel, pick }),
		any::<u8>().prop_map(|channel| Op::RequestClose { channel }),
		any::<u8>().prop_map(|channel| Op::Finalize { channel }),
		(1u64..15).prop_map(|blocks| Op::Advance { blocks }),
		(any::<u8>(), any::<u8>(), any::<bool>())
			.prop_map(|(channel, pick, refund)| Op::ChargeThenSettle { channel, pick, refund }),
	]
}

#[derive(Default)]
struct Signed {
	vouchers: BTreeMap<ChannelId, Vec<(Voucher<Balance>, MultiSignature)>>,
}

impl Signed {
	fn highest(&self, channel: ChannelId) -> Balance {
		self.vouchers.get(&channel).and_then(|v| v.last()).map_or(0, |(v, _)| v.amount)
	}
	fn pick(&self, channel: ChannelId, pick: u8) -> Option<(Voucher<Balance>, MultiSignature)> {
		let vouchers = self.vouchers.get(&channel)?;
		// Mostly the best voucher, sometimes an older one.
		let index = if pick.is_multiple_of(4) {
			usize::from(pick) % vouchers.len()
		} else {
			vouchers.len() - 1
		};
		vouchers.get(index).cloned()
	}
	fn total_highest(&self) -> Balance {
		self.vouchers.keys().map(|channel| self.highest(*channel)).sum()
	}
}

fn channel_id(selector: u8) -> ChannelId {
	let opened = NextChannelId::<Test>::get().max(1);
	ChannelId::from(selector) % opened
}

fn total(who: &sp_runtime::AccountId32) -> Balance {
	Balances::total_balance(who)
}

fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
	new_test_ext().execute_with(|| {
		let alice_key = alice_key();
		let job_escrow: RuntimeHoldReason = pallet_escrow::HoldReason::JobEscrow.into();
		let start = total(&alice()) + total(&bob());
		let bob_start = total(&bob());
		let mut signed = Signed::default();
		let mut job_nonce = 0u64;
		let mut jobs_paid: Balance = 0;

		for op in ops {
			// Failures are part of the exploration; a failed call changes nothing.
			let _ = match op {
				Op::Open { deposit } => {
					PaymentChannels::open(RuntimeOrigin::signed(alice()), bob(), deposit)
				}
				Op::TopUp { channel, amount } => PaymentChannels::top_up(
					RuntimeOrigin::signed(alice()),
					channel_id(channel),
					amount,
				),
				Op::Sign { channel, increment } => {
					let channel = channel_id(channel);
					let voucher = Voucher::new(channel, signed.highest(channel) + increment);
					let signature = alice_key.sign(&voucher);
					signed.vouchers.entry(channel).or_default().push((voucher, signature));
					Ok(())
				}
				Op::Claim { channel, pick } => match signed.pick(channel_id(channel), pick) {
					Some((voucher, signature)) => {
						PaymentChannels::claim(RuntimeOrigin::signed(bob()), voucher, signature)
					}
					None => Ok(()),
				},
				Op::Close { channel, pick } => {
					let channel = channel_id(channel);
					PaymentChannels::close(
						RuntimeOrigin::signed(bob()),
						channel,
						signed.pick(channel, pick),
					)
				}
				Op::RequestClose { channel } => PaymentChannels::request_close(
					RuntimeOrigin::signed(alice()),
					channel_id(channel),
				),
				Op::Finalize { channel } => PaymentChannels::finalize_close(
					RuntimeOrigin::signed(eve()),
					channel_id(channel),
				),
				Op::Advance { blocks } => {
					run_to_block(System::block_number() + blocks);
					Ok(())
				}
				Op::ChargeThenSettle { channel, pick, refund } => {
					let channel = channel_id(channel);
					// A job voucher for a job of price 1..=50; sometimes a spent nonce again.
					let price = Balance::from(pick % 50) + 1;
					let nonce = if pick.is_multiple_of(5) { job_nonce } else { job_nonce + 1 };
					let voucher = JobVoucher { channel, nonce, max_price: price, job: [pick; 32] };
					let signature = alice_key.sign_job(&voucher);
					let charged = PaymentChannels::charge_job(
						&bob(),
						&voucher,
						&signature,
						&[pick; 32],
						price,
						&job_escrow,
					);
					match charged {
						Ok(payer) => {
							job_nonce = job_nonce.max(nonce);
							if refund {
								PaymentChannels::refund(channel, &payer, price, &job_escrow)
							} else {
								use frame_support::traits::{
									fungible::MutateHold,
									tokens::{Fortitude, Precision, Restriction},
								};
								jobs_paid += price;
								Balances::transfer_on_hold(
									&job_escrow,
									&payer,
									&bob(),
									price,
									Precision::Exact,
									Restriction::Free,
									Fortitude::Polite,
								)
								.map(|_| ())
							}
						}
						Err(error) => Err(error),
					}
				}
			};

			prop_assert_eq!(total(&alice()) + total(&bob()), start, "funds are conserved");
			let received = total(&bob()) - bob_start;
			prop_assert!(
				received <= signed.total_highest() + jobs_paid,
				"Bob received {} but Alice signed at most {} and paid jobs {}",
				received,
				signed.total_highest(),
				jobs_paid
			);
			for (channel, record) in Channels::<Test>::iter() {
				prop_assert!(record.settled <= signed.highest(channel));
			}
			prop_assert!(PaymentChannels::do_try_state().is_ok(), "invariants hold");
		}
		Ok(())
	})
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

	#[test]
	fn funds_are_conserved_and_the_payee_gets_no_more_than_was_signed(
		ops in prop::collection::vec(op(), 1..40)
	) {
		run(ops)?;
	}
}
