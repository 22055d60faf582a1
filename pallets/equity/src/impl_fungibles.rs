//! Read access to share balances for wallets and other pallets, with this pallet's rules
//! applied: what an account may move excludes frozen, locked-up, non-allowlisted and
//! vote-locked shares.

use crate::{pallet::*, types::*};
use polkadot_sdk::{
	frame_support::traits::{
		fungibles,
		tokens::{DepositConsequence, Fortitude, Preservation, Provenance, WithdrawConsequence},
	},
	sp_runtime::traits::{Saturating, Zero},
};

impl<T: Config> Pallet<T> {
	/// Whether a rule of the class (unknown class, lock-up, frozen sender, allowlist) stops
	/// every transfer out of `who` right now.
	fn sending_blocked(class: T::ClassId, who: &T::AccountId) -> bool {
		let Some(details) = Classes::<T>::get(class) else { return true };
		let locked_up = details
			.transfers_locked_until
			.is_some_and(|until| polkadot_sdk::frame_system::Pallet::<T>::block_number() < until);
		locked_up
			|| Frozen::<T>::contains_key(class, who)
			|| (details.compliance == Compliance::Allowlist
				&& !Allowlist::<T>::contains_key(class, who))
	}
}

impl<T: Config> fungibles::Inspect<T::AccountId> for Pallet<T> {
	type AssetId = T::ClassId;
	type Balance = SharesOf<T>;

	fn total_issuance(class: T::ClassId) -> SharesOf<T> {
		<T::Assets as fungibles::Inspect<T::AccountId>>::total_issuance(class)
	}

	fn minimum_balance(class: T::ClassId) -> SharesOf<T> {
		<T::Assets as fungibles::Inspect<T::AccountId>>::minimum_balance(class)
	}

	fn total_balance(class: T::ClassId, who: &T::AccountId) -> SharesOf<T> {
		<T::Assets as fungibles::Inspect<T::AccountId>>::total_balance(class, who)
	}

	fn balance(class: T::ClassId, who: &T::AccountId) -> SharesOf<T> {
		Self::shares_of(class, who)
	}

	fn reducible_balance(
		class: T::ClassId,
		who: &T::AccountId,
		preservation: Preservation,
		force: Fortitude,
	) -> SharesOf<T> {
		if Self::sending_blocked(class, who) {
			return Zero::zero();
		}
		let unlocked =
			Self::shares_of(class, who).saturating_sub(Self::locked_by_votes(class, who));
		<T::Assets as fungibles::Inspect<T::AccountId>>::reducible_balance(
			class,
			who,
			preservation,
			force,
		)
		.min(unlocked)
	}

	fn can_deposit(
		class: T::ClassId,
		who: &T::AccountId,
		amount: SharesOf<T>,
		provenance: Provenance,
	) -> DepositConsequence {
		let Some(details) = Classes::<T>::get(class) else {
			return DepositConsequence::UnknownAsset;
		};
		if Frozen::<T>::contains_key(class, who)
			|| (details.compliance == Compliance::Allowlist
				&& !Allowlist::<T>::contains_key(class, who))
		{
			return DepositConsequence::Blocked;
		}
		<T::Assets as fungibles::Inspect<T::AccountId>>::can_deposit(class, who, amount, provenance)
	}

	fn can_withdraw(
		class: T::ClassId,
		who: &T::AccountId,
		amount: SharesOf<T>,
	) -> WithdrawConsequence<SharesOf<T>> {
		if !Classes::<T>::contains_key(class) {
			return WithdrawConsequence::UnknownAsset;
		}
		let movable = <Self as fungibles::Inspect<T::AccountId>>::reducible_balance(
			class,
			who,
			Preservation::Expendable,
			Fortitude::Polite,
		);
		if amount > movable && amount <= Self::shares_of(class, who) {
			return WithdrawConsequence::Frozen;
		}
		<T::Assets as fungibles::Inspect<T::AccountId>>::can_withdraw(class, who, amount)
	}

	fn asset_exists(class: T::ClassId) -> bool {
		Classes::<T>::contains_key(class)
	}
}
