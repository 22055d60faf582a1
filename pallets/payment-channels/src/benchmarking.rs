//! Benchmarks for `pallet_payment_channels` (FRAME benchmarks v2).
//!
//! Each call is measured in its worst case: a claim that creates the payee's account, a
//! close that first claims a final voucher and then releases both holds.

use super::*;
use crate::pallet::{Call, ChannelCount, Channels, Config, Pallet};
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get};
use frame_system::RawOrigin;
use sp_runtime::traits::{Saturating, StaticLookup};

/// A deposit comfortably above the minimum and the existential deposit.
fn deposit<T: Config>() -> BalanceOf<T> {
	T::MinDeposit::get().saturating_mul(10u32.into()).saturating_add(
		<T::Currency as frame_support::traits::fungible::Inspect<_>>::minimum_balance(),
	)
}

fn fund<T: Config>(who: &T::AccountId) {
	let amount = deposit::<T>()
		.saturating_mul(100u32.into())
		.saturating_add(T::ChannelStorageDeposit::get());
	T::Currency::set_balance(who, amount);
}

/// A channel's signing key, payer, payee and id.
type SignedChannel<T> = (
	<T as Config>::VoucherSigner,
	<T as frame_system::Config>::AccountId,
	<T as frame_system::Config>::AccountId,
	ChannelId,
);

/// A channel from a keystore-backed payer (so that vouchers can be signed) to an account
/// that does not exist yet.
fn signed_channel<T: Config>() -> Result<SignedChannel<T>, BenchmarkError> {
	let (signer, payer) = T::BenchmarkHelper::signer();
	let payee: T::AccountId = account("payee", 0, 0);
	fund::<T>(&payer);
	let channel = Pallet::<T>::do_open(payer.clone(), payee.clone(), deposit::<T>())?;
	Ok((signer, payer, payee, channel))
}

fn sign<T: Config>(
	signer: &T::VoucherSigner,
	channel: ChannelId,
	amount: BalanceOf<T>,
) -> Result<(Voucher<BalanceOf<T>>, T::VoucherSignature), BenchmarkError> {
	let voucher = Voucher::new(channel, amount);
	let payload = voucher.signing_payload(&Pallet::<T>::genesis_hash());
	let signature = T::BenchmarkHelper::sign(signer, &payload)
		.ok_or(BenchmarkError::Stop("the benchmark keystore cannot sign vouchers"))?;
	Ok((voucher, signature))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn open() {
		let payer: T::AccountId = whitelisted_caller();
		let payee: T::AccountId = account("payee", 0, 0);
		fund::<T>(&payer);

		#[extrinsic_call]
		_(RawOrigin::Signed(payer.clone()), T::Lookup::unlookup(payee), deposit::<T>());

		assert_eq!(ChannelCount::<T>::get(&payer), 1);
	}

	#[benchmark]
	fn top_up() -> Result<(), BenchmarkError> {
		let (_, payer, _, channel) = signed_channel::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(payer), channel, T::MinDeposit::get());

		let expected = deposit::<T>().saturating_add(T::MinDeposit::get());
		assert_eq!(Channels::<T>::get(channel).map(|c| c.deposit), Some(expected));
		Ok(())
	}

	#[benchmark]
	fn claim() -> Result<(), BenchmarkError> {
		let (signer, _, payee, channel) = signed_channel::<T>()?;
		let (voucher, signature) = sign::<T>(&signer, channel, deposit::<T>())?;

		#[extrinsic_call]
		_(RawOrigin::Signed(payee), voucher, signature);

		assert_eq!(Channels::<T>::get(channel).map(|c| c.settled), Some(deposit::<T>()));
		Ok(())
	}

	#[benchmark]
	fn close() -> Result<(), BenchmarkError> {
		let (signer, _, payee, channel) = signed_channel::<T>()?;
		// Leave part of the deposit unsettled, so that the close releases both holds.
		let amount = deposit::<T>().saturating_sub(T::MinDeposit::get());
		let final_voucher = sign::<T>(&signer, channel, amount)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(payee), channel, Some(final_voucher));

		assert!(Channels::<T>::get(channel).is_none());
		Ok(())
	}

	#[benchmark]
	fn request_close() -> Result<(), BenchmarkError> {
		let (_, payer, _, channel) = signed_channel::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(payer), channel);

		assert!(Channels::<T>::get(channel).and_then(|c| c.closes_at).is_some());
		Ok(())
	}

	#[benchmark]
	fn finalize_close() -> Result<(), BenchmarkError> {
		let (_, payer, _, channel) = signed_channel::<T>()?;
		Pallet::<T>::do_request_close(payer, channel)?;
		let closes_at = Channels::<T>::get(channel)
			.and_then(|c| c.closes_at)
			.ok_or(BenchmarkError::Stop("the close request was not recorded"))?;
		frame_system::Pallet::<T>::set_block_number(closes_at);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), channel);

		assert!(Channels::<T>::get(channel).is_none());
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
