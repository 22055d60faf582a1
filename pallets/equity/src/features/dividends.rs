//! Dividends: a per-class accumulator of rewards per share with per-holder checkpoints.
//!
//! With `R` the class's `reward_per_share`, a holder of `b` shares whose checkpoint is `c`
//! is owed `accrued + b * (R - c)` scaled units. A distribution of `a` to a supply `S` raises
//! `R` by `floor((a * SCALE + U) / S)`, where `U` is what the previous distribution left
//! undistributed, and leaves the new remainder as `U`: rounding dust is carried forward, never
//! kept, and at any time less than `S` scaled units wait for the next one. Every change of a
//! holder's balance first settles `b * (R - c)` into `accrued` and moves `c` to `R`. Both
//! operations touch one class and one holder, whatever the number of holders.

use crate::{pallet::*, types::*};
use polkadot_sdk::{
	frame_support::{
		ensure,
		traits::{fungible, tokens::Preservation},
	},
	sp_core::U256,
	sp_runtime::{
		traits::{CheckedAdd, Zero},
		ArithmeticError, DispatchError, DispatchResult,
	},
};

impl<T: Config> Pallet<T> {
	/// Brings the position of `who` (holding `balance`) up to the accumulator, without
	/// storing it. An account with no stored position holds nothing, so it starts at `R`.
	pub(crate) fn settle(
		class: T::ClassId,
		who: &T::AccountId,
		balance: SharesOf<T>,
		pool: &DividendPool<T>,
	) -> Result<HolderDividend, DispatchError> {
		let Some(mut position) = Holders::<T>::get(class, who) else {
			return Ok(HolderDividend {
				checkpoint: pool.reward_per_share,
				accrued_scaled: U256::zero(),
			});
		};
		let since = pool
			.reward_per_share
			.checked_sub(position.checkpoint)
			.ok_or(ArithmeticError::Underflow)?;
		let earned =
			Self::shares_to_u256(balance)?.checked_mul(since).ok_or(ArithmeticError::Overflow)?;
		position.accrued_scaled =
			position.accrued_scaled.checked_add(earned).ok_or(ArithmeticError::Overflow)?;
		position.checkpoint = pool.reward_per_share;
		Ok(position)
	}

	/// Stores a settled position for an account now holding `balance`, or removes it when
	/// the account holds nothing and is owed nothing. A seller keeps even a fraction of a
	/// unit owed: it is paid once later dividends (if they buy again) make it whole, so a
	/// holder's pay never depends on how often they sold out.
	pub(crate) fn store_position(
		class: T::ClassId,
		who: &T::AccountId,
		position: HolderDividend,
		balance: SharesOf<T>,
	) {
		if balance.is_zero() && position.accrued_scaled.is_zero() {
			Holders::<T>::remove(class, who);
		} else {
			Holders::<T>::insert(class, who, position);
		}
	}

	/// The whole units of dividends of `class` that `who` could claim now.
	pub fn claimable(class: T::ClassId, who: &T::AccountId) -> BalanceOf<T> {
		let pool = Pools::<T>::get(class);
		Self::settle(class, who, Self::shares_of(class, who), &pool)
			.and_then(|position| {
				Self::u256_to_balance(position.accrued_scaled / U256::from(DIVIDEND_SCALE))
			})
			.unwrap_or_else(|_| Zero::zero())
	}

	/// Moves `amount` from `from` into the pool of `class` and shares it among the current
	/// holders.
	///
	/// # Errors
	///
	/// `UnknownClass`, `ZeroAmount`, `NoSharesIssued`, an arithmetic overflow for amounts
	/// beyond the accumulator, and the currency's error if `from` cannot pay and stay alive.
	pub fn do_deposit_dividend(
		from: &T::AccountId,
		class: T::ClassId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(Classes::<T>::contains_key(class), Error::<T>::UnknownClass);
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let supply = Self::supply_of(class);
		ensure!(!supply.is_zero(), Error::<T>::NoSharesIssued);

		let mut pool = Pools::<T>::get(class);
		let scaled = Self::balance_to_u256(amount)?
			.checked_mul(U256::from(DIVIDEND_SCALE))
			.and_then(|scaled| scaled.checked_add(pool.undistributed_scaled))
			.ok_or(ArithmeticError::Overflow)?;
		let supply = Self::shares_to_u256(supply)?;
		let (per_share, remainder) = scaled.div_mod(supply);
		pool.reward_per_share =
			pool.reward_per_share.checked_add(per_share).ok_or(ArithmeticError::Overflow)?;
		pool.undistributed_scaled = remainder;
		pool.total_deposited =
			pool.total_deposited.checked_add(&amount).ok_or(ArithmeticError::Overflow)?;

		<T::Currency as fungible::Mutate<T::AccountId>>::transfer(
			from,
			&Self::pool_account(class),
			amount,
			Preservation::Preserve,
		)?;
		Pools::<T>::insert(class, pool);

		Self::deposit_event(Event::DividendDeposited { class, from: from.clone(), amount });
		Ok(())
	}

	/// Pays `who` every whole unit of dividends of `class` they are owed and returns it; the
	/// fraction of a unit stays owed. A frozen or delisted holder's dividends keep accruing and
	/// wait in the pool until it is thawed or listed again.
	///
	/// # Errors
	///
	/// `UnknownClass`, `HolderFrozen`, `HolderNotAllowed`, `NothingToClaim`.
	pub fn do_claim(who: &T::AccountId, class: T::ClassId) -> Result<BalanceOf<T>, DispatchError> {
		Self::ensure_in_good_standing(class, &Self::class_of(class)?, who)?;
		let mut pool = Pools::<T>::get(class);
		let balance = Self::shares_of(class, who);
		let mut position = Self::settle(class, who, balance, &pool)?;

		let scale = U256::from(DIVIDEND_SCALE);
		let units = position.accrued_scaled / scale;
		ensure!(!units.is_zero(), Error::<T>::NothingToClaim);
		let payout = Self::u256_to_balance(units)?;
		// `units * scale <= accrued_scaled` by the division above.
		position.accrued_scaled %= scale;
		pool.total_claimed =
			pool.total_claimed.checked_add(&payout).ok_or(ArithmeticError::Overflow)?;

		<T::Currency as fungible::Mutate<T::AccountId>>::transfer(
			&Self::pool_account(class),
			who,
			payout,
			Preservation::Preserve,
		)?;
		Self::store_position(class, who, position, balance);
		Pools::<T>::insert(class, pool);

		Self::deposit_event(Event::DividendClaimed { class, who: who.clone(), amount: payout });
		Ok(payout)
	}
}

impl<T: Config>
	tokenfactory_primitives::revenue::RevenueSink<T::AccountId, T::ClassId, BalanceOf<T>>
	for Pallet<T>
{
	fn deposit_dividend(
		from: &T::AccountId,
		class: T::ClassId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		Self::do_deposit_dividend(from, class, amount)
	}

	fn class_exists(class: &T::ClassId) -> bool {
		Classes::<T>::contains_key(class)
	}
}
