//! The logic behind the calls, the [`ChannelCharger`] implementation and the invariants.

use crate::{pallet::*, BalanceOf, Channel, ChannelOf};
use frame_support::{
	ensure,
	storage::with_storage_layer,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
		Get,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use polkadot_sdk::*;
use sp_runtime::{
	traits::{CheckedAdd, CheckedSub, Saturating, Zero},
	DispatchError, DispatchResult,
};
use tokenfactory_primitives::voucher::{ChannelCharger, ChannelId, JobVoucher, Voucher};

impl<T: Config> Pallet<T> {
	/// The domain a voucher is signed for: this chain's genesis hash.
	pub fn genesis_hash() -> T::Hash {
		frame_system::BlockHash::<T>::get(BlockNumberFor::<T>::zero())
	}

	/// Opens a channel from `payer` to `payee` with `deposit`, holding it and the storage
	/// deposit on `payer`. Returns the new channel's id.
	///
	/// # Errors
	/// [`Error::PayeeIsPayer`], [`Error::DepositBelowMinimum`], [`Error::TooManyChannels`],
	/// [`Error::Overflow`] (ids exhausted), or the currency's error if `payer` cannot afford
	/// the holds.
	pub fn do_open(
		payer: T::AccountId,
		payee: T::AccountId,
		deposit: BalanceOf<T>,
	) -> Result<ChannelId, DispatchError> {
		ensure!(payer != payee, Error::<T>::PayeeIsPayer);
		ensure!(deposit >= T::MinDeposit::get(), Error::<T>::DepositBelowMinimum);
		let open_channels = ChannelCount::<T>::get(&payer);
		ensure!(open_channels < T::MaxChannelsPerAccount::get(), Error::<T>::TooManyChannels);
		let channel = NextChannelId::<T>::get();
		let next_channel = channel.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let storage_deposit = T::ChannelStorageDeposit::get();

		T::Currency::hold(&HoldReason::ChannelDeposit.into(), &payer, deposit)?;
		if !storage_deposit.is_zero() {
			T::Currency::hold(&HoldReason::StorageDeposit.into(), &payer, storage_deposit)?;
		}

		NextChannelId::<T>::put(next_channel);
		ChannelCount::<T>::insert(&payer, open_channels.saturating_add(1));
		Channels::<T>::insert(
			channel,
			Channel {
				payer: payer.clone(),
				payee: payee.clone(),
				deposit,
				settled: Zero::zero(),
				charged: Zero::zero(),
				job_nonce: 0,
				storage_deposit,
				closes_at: None,
			},
		);
		Self::deposit_event(Event::ChannelOpened { channel, payer, payee, deposit });
		Ok(channel)
	}

	/// Adds `amount` to the deposit of `payer`'s `channel`.
	///
	/// # Errors
	/// [`Error::ZeroAmount`], [`Error::ChannelNotFound`], [`Error::NotPayer`],
	/// [`Error::ChannelClosing`], [`Error::Overflow`], or the currency's error if `payer`
	/// cannot afford the hold.
	pub fn do_top_up(
		payer: T::AccountId,
		channel_id: ChannelId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut channel = Channels::<T>::get(channel_id).ok_or(Error::<T>::ChannelNotFound)?;
		ensure!(channel.payer == payer, Error::<T>::NotPayer);
		ensure!(channel.closes_at.is_none(), Error::<T>::ChannelClosing);
		channel.deposit = channel.deposit.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		T::Currency::hold(&HoldReason::ChannelDeposit.into(), &payer, amount)?;
		let deposit = channel.deposit;
		Channels::<T>::insert(channel_id, channel);
		Self::deposit_event(Event::ToppedUp { channel: channel_id, amount, deposit });
		Ok(())
	}

	/// Pays `payee` what `voucher` adds over its channel's settled amount. Returns that amount.
	///
	/// # Errors
	/// [`Error::ChannelNotFound`], [`Error::NotPayee`], and those of [`Self::settle`]; the
	/// currency's error if the payment would leave `payee` below the existential deposit.
	pub fn do_claim(
		payee: T::AccountId,
		voucher: Voucher<BalanceOf<T>>,
		signature: T::VoucherSignature,
	) -> Result<BalanceOf<T>, DispatchError> {
		let mut channel = Channels::<T>::get(voucher.channel).ok_or(Error::<T>::ChannelNotFound)?;
		ensure!(channel.payee == payee, Error::<T>::NotPayee);
		let amount = Self::settle(&mut channel, &voucher, &signature)?;
		Self::pay_payee(voucher.channel, channel, amount)?;
		Ok(amount)
	}

	/// Closes `channel_id` at its payee's request, first claiming `final_voucher` if it pays
	/// anything (an older voucher is ignored: it is harmless).
	///
	/// # Errors
	/// [`Error::ChannelNotFound`], [`Error::NotPayee`], [`Error::VoucherChannelMismatch`], and
	/// those of [`Self::settle`] for a final voucher above the settled amount.
	pub fn do_close(
		payee: T::AccountId,
		channel_id: ChannelId,
		final_voucher: Option<(Voucher<BalanceOf<T>>, T::VoucherSignature)>,
	) -> DispatchResult {
		let mut channel = Channels::<T>::get(channel_id).ok_or(Error::<T>::ChannelNotFound)?;
		ensure!(channel.payee == payee, Error::<T>::NotPayee);
		if let Some((voucher, signature)) = final_voucher {
			ensure!(voucher.channel == channel_id, Error::<T>::VoucherChannelMismatch);
			if voucher.amount > channel.settled {
				let amount = Self::settle(&mut channel, &voucher, &signature)?;
				channel = Self::pay_payee(channel_id, channel, amount)?;
			}
		}
		Self::finish(channel_id, channel)
	}

	/// Starts the challenge period of `payer`'s `channel_id`.
	///
	/// # Errors
	/// [`Error::ChannelNotFound`], [`Error::NotPayer`], [`Error::ChannelClosing`] (already
	/// requested).
	pub fn do_request_close(payer: T::AccountId, channel_id: ChannelId) -> DispatchResult {
		let mut channel = Channels::<T>::get(channel_id).ok_or(Error::<T>::ChannelNotFound)?;
		ensure!(channel.payer == payer, Error::<T>::NotPayer);
		ensure!(channel.closes_at.is_none(), Error::<T>::ChannelClosing);
		let closes_at =
			frame_system::Pallet::<T>::block_number().saturating_add(T::ChallengePeriod::get());
		channel.closes_at = Some(closes_at);
		Channels::<T>::insert(channel_id, channel);
		Self::deposit_event(Event::CloseRequested { channel: channel_id, closes_at });
		Ok(())
	}

	/// Closes `channel_id` once its challenge period is over.
	///
	/// # Errors
	/// [`Error::ChannelNotFound`], [`Error::ChannelNotClosing`],
	/// [`Error::ChallengePeriodNotOver`].
	pub fn do_finalize_close(channel_id: ChannelId) -> DispatchResult {
		let channel = Channels::<T>::get(channel_id).ok_or(Error::<T>::ChannelNotFound)?;
		let closes_at = channel.closes_at.ok_or(Error::<T>::ChannelNotClosing)?;
		ensure!(
			frame_system::Pallet::<T>::block_number() >= closes_at,
			Error::<T>::ChallengePeriodNotOver
		);
		Self::finish(channel_id, channel)
	}

	/// Checks `voucher` against `channel` and advances the channel's settled amount to it.
	/// Returns the amount it adds. Cheap checks come first, the signature last.
	///
	/// # Errors
	/// [`Error::ChallengePeriodOver`], [`Error::VoucherNotAboveSettled`],
	/// [`Error::VoucherExceedsDeposit`], [`Error::InvalidVoucherSignature`].
	fn settle(
		channel: &mut ChannelOf<T>,
		voucher: &Voucher<BalanceOf<T>>,
		signature: &T::VoucherSignature,
	) -> Result<BalanceOf<T>, DispatchError> {
		if let Some(closes_at) = channel.closes_at {
			ensure!(
				frame_system::Pallet::<T>::block_number() < closes_at,
				Error::<T>::ChallengePeriodOver
			);
		}
		ensure!(voucher.amount > channel.settled, Error::<T>::VoucherNotAboveSettled);
		ensure!(voucher.amount <= channel.claimable_up_to(), Error::<T>::VoucherExceedsDeposit);
		ensure!(
			voucher.verify(&Self::genesis_hash(), signature, &channel.payer),
			Error::<T>::InvalidVoucherSignature
		);
		let amount = voucher.amount.checked_sub(&channel.settled).ok_or(Error::<T>::Overflow)?;
		channel.settled = voucher.amount;
		Ok(amount)
	}

	/// Moves `amount` from the channel's hold to its payee and stores the settled channel.
	fn pay_payee(
		channel_id: ChannelId,
		channel: ChannelOf<T>,
		amount: BalanceOf<T>,
	) -> Result<ChannelOf<T>, DispatchError> {
		T::Currency::transfer_on_hold(
			&HoldReason::ChannelDeposit.into(),
			&channel.payer,
			&channel.payee,
			amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Polite,
		)?;
		Channels::<T>::insert(channel_id, &channel);
		Self::deposit_event(Event::Claimed {
			channel: channel_id,
			payee: channel.payee.clone(),
			amount,
			settled: channel.settled,
		});
		Ok(channel)
	}

	/// Returns the unsettled deposit and the storage deposit to the payer and removes the
	/// channel.
	fn finish(channel_id: ChannelId, channel: ChannelOf<T>) -> DispatchResult {
		let refunded = channel.unsettled();
		if !refunded.is_zero() {
			T::Currency::release(
				&HoldReason::ChannelDeposit.into(),
				&channel.payer,
				refunded,
				Precision::Exact,
			)?;
		}
		if !channel.storage_deposit.is_zero() {
			T::Currency::release(
				&HoldReason::StorageDeposit.into(),
				&channel.payer,
				channel.storage_deposit,
				Precision::Exact,
			)?;
		}
		Channels::<T>::remove(channel_id);
		ChannelCount::<T>::mutate_exists(&channel.payer, |count| {
			*count = count.map(|open| open.saturating_sub(1)).filter(|open| *open > 0);
		});
		Self::deposit_event(Event::ChannelClosed {
			channel: channel_id,
			payer: channel.payer,
			payee: channel.payee,
			settled: channel.settled,
			refunded,
		});
		Ok(())
	}

	/// Refuses the hold reasons this pallet keeps its own books with.
	fn ensure_foreign_reason(reason: &T::RuntimeHoldReason) -> DispatchResult {
		let channel_deposit: T::RuntimeHoldReason = HoldReason::ChannelDeposit.into();
		let storage_deposit: T::RuntimeHoldReason = HoldReason::StorageDeposit.into();
		ensure!(
			*reason != channel_deposit && *reason != storage_deposit,
			Error::<T>::ReservedHoldReason
		);
		Ok(())
	}

	/// See [`ChannelCharger::charge_job`]. Cheap checks come first, the signature last.
	///
	/// # Errors
	/// [`Error::ReservedHoldReason`], [`Error::ChannelNotFound`], [`Error::NotPayee`],
	/// [`Error::ChannelClosing`], [`Error::VoucherForAnotherJob`], [`Error::JobNonceSpent`],
	/// [`Error::PriceAboveVoucherMaximum`], [`Error::VoucherExceedsDeposit`],
	/// [`Error::InvalidVoucherSignature`].
	pub fn do_charge_job(
		payee: &T::AccountId,
		voucher: &JobVoucher<BalanceOf<T>>,
		signature: &T::VoucherSignature,
		job: &[u8; 32],
		price: BalanceOf<T>,
		reason: &T::RuntimeHoldReason,
	) -> Result<T::AccountId, DispatchError> {
		Self::ensure_foreign_reason(reason)?;
		let mut channel = Channels::<T>::get(voucher.channel).ok_or(Error::<T>::ChannelNotFound)?;
		ensure!(channel.payee == *payee, Error::<T>::NotPayee);
		// A closing channel's deposit is the payee's last guarantee for its claims.
		ensure!(channel.closes_at.is_none(), Error::<T>::ChannelClosing);
		ensure!(voucher.job == *job, Error::<T>::VoucherForAnotherJob);
		ensure!(voucher.nonce > channel.job_nonce, Error::<T>::JobNonceSpent);
		ensure!(price <= voucher.max_price, Error::<T>::PriceAboveVoucherMaximum);
		ensure!(price <= channel.unsettled(), Error::<T>::VoucherExceedsDeposit);
		ensure!(
			voucher.verify(&Self::genesis_hash(), signature, &channel.payer),
			Error::<T>::InvalidVoucherSignature
		);
		channel.job_nonce = voucher.nonce;
		channel.charged = channel.charged.checked_add(&price).ok_or(Error::<T>::Overflow)?;
		if !price.is_zero() {
			T::Currency::release(
				&HoldReason::ChannelDeposit.into(),
				&channel.payer,
				price,
				Precision::Exact,
			)?;
			T::Currency::hold(reason, &channel.payer, price)?;
		}
		let payer = channel.payer.clone();
		let charged = channel.charged;
		Channels::<T>::insert(voucher.channel, channel);
		Self::deposit_event(Event::Charged {
			channel: voucher.channel,
			payer: payer.clone(),
			amount: price,
			nonce: voucher.nonce,
			charged,
		});
		Ok(payer)
	}

	/// See [`ChannelCharger::refund`].
	///
	/// # Errors
	/// [`Error::ReservedHoldReason`], [`Error::ZeroAmount`], [`Error::Overflow`], or the
	/// currency's error if less than `amount` is held under `reason`.
	pub fn do_refund(
		channel_id: ChannelId,
		payer: &T::AccountId,
		amount: BalanceOf<T>,
		reason: &T::RuntimeHoldReason,
	) -> DispatchResult {
		Self::ensure_foreign_reason(reason)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		T::Currency::release(reason, payer, amount, Precision::Exact)?;
		let to_channel = match Channels::<T>::get(channel_id) {
			Some(mut channel) if channel.payer == *payer => {
				channel.deposit =
					channel.deposit.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
				T::Currency::hold(&HoldReason::ChannelDeposit.into(), payer, amount)?;
				Channels::<T>::insert(channel_id, channel);
				true
			}
			// The channel has closed (or was never the payer's): the funds stay free.
			_ => false,
		};
		Self::deposit_event(Event::Refunded {
			channel: channel_id,
			payer: payer.clone(),
			amount,
			to_channel,
		});
		Ok(())
	}

	/// The pallet's invariants:
	/// - every channel's id is below [`NextChannelId`], its settled amount within its deposit,
	///   and its payer not its payee;
	/// - for every payer, the [`HoldReason::ChannelDeposit`] hold equals the sum of its
	///   channels' unsettled deposits, and the [`HoldReason::StorageDeposit`] hold the sum of
	///   their storage deposits;
	/// - [`ChannelCount`] counts exactly each payer's channels, within the bound.
	///
	/// Holds of accounts with no channel left are not visited (that would mean iterating
	/// every account); closing releases both holds exactly, which the tests check.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		use frame_support::traits::fungible::InspectHold;

		#[derive(Default)]
		struct PayerBooks<Balance> {
			channels: u32,
			unsettled: Balance,
			storage: Balance,
		}

		let next_channel = NextChannelId::<T>::get();
		let mut books: BTreeMap<T::AccountId, PayerBooks<BalanceOf<T>>> = BTreeMap::new();
		for (id, channel) in Channels::<T>::iter() {
			ensure!(id < next_channel, "a channel id is at or above NextChannelId");
			ensure!(
				channel.settled.saturating_add(channel.charged) <= channel.deposit,
				"a channel settled and charged more than its deposit"
			);
			ensure!(channel.payer != channel.payee, "a channel pays its own payer");
			let entry = books.entry(channel.payer.clone()).or_default();
			entry.channels = entry.channels.saturating_add(1);
			entry.unsettled = entry.unsettled.saturating_add(channel.unsettled());
			entry.storage = entry.storage.saturating_add(channel.storage_deposit);
		}
		for (payer, entry) in &books {
			ensure!(
				ChannelCount::<T>::get(payer) == entry.channels,
				"ChannelCount disagrees with the channels of a payer"
			);
			ensure!(
				entry.channels <= T::MaxChannelsPerAccount::get(),
				"a payer has more channels than MaxChannelsPerAccount"
			);
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::ChannelDeposit.into(), payer)
					== entry.unsettled,
				"a payer's channel-deposit hold differs from its channels' unsettled deposits"
			);
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::StorageDeposit.into(), payer)
					== entry.storage,
				"a payer's storage-deposit hold differs from its channels' storage deposits"
			);
		}
		for (payer, count) in ChannelCount::<T>::iter() {
			ensure!(
				books.get(&payer).map(|entry| entry.channels) == Some(count),
				"ChannelCount counts channels of an account that has none"
			);
		}
		Ok(())
	}
}

impl<T: Config> ChannelCharger<T::AccountId, BalanceOf<T>> for Pallet<T> {
	type Signature = T::VoucherSignature;
	type Reason = T::RuntimeHoldReason;

	fn charge_job(
		payee: &T::AccountId,
		voucher: &JobVoucher<BalanceOf<T>>,
		signature: &Self::Signature,
		job: &[u8; 32],
		price: BalanceOf<T>,
		reason: &Self::Reason,
	) -> Result<T::AccountId, DispatchError> {
		// Called from other pallets' code: all or nothing, whatever the caller's transaction.
		with_storage_layer(|| Self::do_charge_job(payee, voucher, signature, job, price, reason))
	}

	fn refund(
		channel: ChannelId,
		payer: &T::AccountId,
		amount: BalanceOf<T>,
		reason: &Self::Reason,
	) -> DispatchResult {
		with_storage_layer(|| Self::do_refund(channel, payer, amount, reason))
	}
}
