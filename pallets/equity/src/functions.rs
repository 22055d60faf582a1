//! Share classes, compliance and the ledger rules: every share movement passes here.

use crate::{pallet::*, types::*};
use codec::{Decode, Encode};
use polkadot_sdk::{
	frame_support::{
		ensure,
		traits::{
			fungible::{self, MutateHold as _},
			fungibles::{self, Create as _, Mutate as _},
			tokens::{Precision, Preservation},
			Get,
		},
		BoundedVec,
	},
	frame_system::pallet_prelude::BlockNumberFor,
	sp_core::U256,
	sp_io::hashing::blake2_256,
	sp_runtime::{
		traits::{AccountIdConversion, CheckedAdd, One, Saturating, TrailingZeroInput, Zero},
		ArithmeticError, DispatchError, DispatchResult, Perbill,
	},
};

/// Domain tag of the company-account derivation, so that no other derivation of the chain
/// (pallet sub-accounts, pure proxies, ...) can produce the same account.
const COMPANY_ACCOUNT_TAG: &[u8] = b"tokenfactory/equity/company/v1";

impl<T: Config> Pallet<T> {
	/// The account that owns every class asset in [`Config::Assets`].
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// The sub-account holding the dividend pool of `class`.
	pub fn pool_account(class: T::ClassId) -> T::AccountId {
		T::PalletId::get().into_sub_account_truncating(class)
	}

	/// The company account of `class`: the keyless account resolutions act for. It is the hash
	/// of a domain tag, this pallet's id and the class id, so nobody holds a key for it, it is
	/// distinct for every class and differs from every `modl` sub-account (the dividend pools).
	#[allow(
		clippy::expect_used,
		reason = "TrailingZeroInput never runs out, so decoding a fixed-size account id from it \
		          cannot fail (the same argument as FRAME's own sub-account derivation)"
	)]
	pub fn company_account(class: T::ClassId) -> T::AccountId {
		let seed = (COMPANY_ACCOUNT_TAG, T::PalletId::get(), class).using_encoded(blake2_256);
		T::AccountId::decode(&mut TrailingZeroInput::new(&seed))
			.expect("an infinite input decodes into any account id")
	}

	/// The shares `who` holds of `class`.
	pub fn shares_of(class: T::ClassId, who: &T::AccountId) -> SharesOf<T> {
		<T::Assets as fungibles::Inspect<T::AccountId>>::balance(class, who)
	}

	/// The shares issued of `class`.
	pub fn supply_of(class: T::ClassId) -> SharesOf<T> {
		<T::Assets as fungibles::Inspect<T::AccountId>>::total_issuance(class)
	}

	/// The shares of `who` locked by votes whose period is still running.
	pub fn locked_by_votes(class: T::ClassId, who: &T::AccountId) -> SharesOf<T> {
		let now = polkadot_sdk::frame_system::Pallet::<T>::block_number();
		Votes::<T>::get(class, who)
			.iter()
			.filter(|vote| vote.until >= now)
			.map(|vote| vote.shares)
			.max()
			.unwrap_or_else(Zero::zero)
	}

	pub(crate) fn class_of(class: T::ClassId) -> Result<ShareClass<T>, DispatchError> {
		Classes::<T>::get(class).ok_or_else(|| Error::<T>::UnknownClass.into())
	}

	/// The class, if `who` may manage it: its issuer, or its own company account (holders,
	/// through a resolution).
	pub(crate) fn ensure_issuer(
		who: &T::AccountId,
		class: T::ClassId,
	) -> Result<ShareClass<T>, DispatchError> {
		let details = Self::class_of(class)?;
		ensure!(
			details.issuer == *who || Self::company_account(class) == *who,
			Error::<T>::NotIssuer
		);
		Ok(details)
	}

	/// Refuses a holder that is frozen or, in `Allowlist` mode, off the list: such a holder
	/// keeps its shares and its dividends accrue, but it may not propose, vote or claim.
	///
	/// # Errors
	///
	/// `HolderFrozen`, `HolderNotAllowed`.
	pub(crate) fn ensure_in_good_standing(
		class: T::ClassId,
		details: &ShareClass<T>,
		who: &T::AccountId,
	) -> DispatchResult {
		ensure!(!Frozen::<T>::contains_key(class, who), Error::<T>::HolderFrozen);
		if details.compliance == Compliance::Allowlist {
			ensure!(Allowlist::<T>::contains_key(class, who), Error::<T>::HolderNotAllowed);
		}
		Ok(())
	}

	/// Checks the governance parameters a class is created with.
	///
	/// # Errors
	///
	/// `ZeroProposalThreshold`, `ProposalThresholdAboveMaxSupply`, `ZeroQuorum`,
	/// `ApprovalOutOfRange`, `VotingPeriodTooShort`, `VotingPeriodTooLong`.
	pub(crate) fn ensure_valid_governance(
		governance: &GovernanceParamsOf<T>,
		max_supply: SharesOf<T>,
	) -> DispatchResult {
		ensure!(!governance.proposal_threshold.is_zero(), Error::<T>::ZeroProposalThreshold);
		ensure!(
			governance.proposal_threshold <= max_supply,
			Error::<T>::ProposalThresholdAboveMaxSupply
		);
		ensure!(!governance.quorum.is_zero(), Error::<T>::ZeroQuorum);
		ensure!(
			governance.approval >= Perbill::from_percent(50)
				&& governance.approval < Perbill::one(),
			Error::<T>::ApprovalOutOfRange
		);
		ensure!(
			governance.voting_period >= T::MinVotingPeriod::get(),
			Error::<T>::VotingPeriodTooShort
		);
		ensure!(
			governance.voting_period <= T::MaxVotingPeriod::get(),
			Error::<T>::VotingPeriodTooLong
		);
		Ok(())
	}

	/// Creates a class with `issuer` as issuer and returns its id.
	///
	/// # Errors
	///
	/// `ZeroMaxSupply`, the governance errors of [`Self::ensure_valid_governance`], and the
	/// currency's error if `issuer` cannot pay the class deposit and the existential deposits
	/// of the pool and the company account.
	pub fn do_create_class(
		issuer: T::AccountId,
		name: BoundedVec<u8, T::StringLimit>,
		symbol: BoundedVec<u8, T::StringLimit>,
		max_supply: SharesOf<T>,
		compliance: Compliance,
		transfers_locked_until: Option<BlockNumberFor<T>>,
		governance: GovernanceParamsOf<T>,
	) -> Result<T::ClassId, DispatchError> {
		ensure!(!max_supply.is_zero(), Error::<T>::ZeroMaxSupply);
		Self::ensure_valid_governance(&governance, max_supply)?;

		let class = NextClassId::<T>::get();
		let next = class.checked_add(&One::one()).ok_or(ArithmeticError::Overflow)?;
		let deposit = T::ClassDeposit::get();
		T::Currency::hold(&HoldReason::ClassDeposit.into(), &issuer, deposit)?;
		// Shares are not "sufficient": a holder needs an account in the utility token, which
		// keeps the state a share class can create paid for.
		T::Assets::create(class, Self::account_id(), false, One::one())?;
		// The pool is endowed with the existential deposit so that paying out the last
		// dividends never reaps it; the endowment is never claimable. The company account is
		// endowed too, so that revenue smaller than the existential deposit (a cheap data
		// call) can be paid to it from the first call; resolutions may only move its funds
		// keep-alive, so it stays.
		let minimum = <T::Currency as fungible::Inspect<T::AccountId>>::minimum_balance();
		for endowed in [Self::pool_account(class), Self::company_account(class)] {
			<T::Currency as fungible::Mutate<T::AccountId>>::transfer(
				&issuer,
				&endowed,
				minimum,
				Preservation::Preserve,
			)?;
		}

		NextClassId::<T>::put(next);
		Classes::<T>::insert(
			class,
			ShareClass {
				issuer: issuer.clone(),
				name,
				symbol,
				max_supply,
				compliance,
				transfers_locked_until,
				governance,
				deposit,
				active_proposals: 0,
			},
		);
		Self::deposit_event(Event::ClassCreated { class, issuer, max_supply, compliance, deposit });
		Ok(class)
	}

	/// Issues `amount` new shares of `class` to `to`.
	///
	/// # Errors
	///
	/// `UnknownClass`, `NotIssuer`, `ZeroAmount`, `RecipientFrozen`, `RecipientNotAllowed`,
	/// `ExceedsMaxSupply`, and the ledger's error if `to` cannot hold shares.
	pub fn do_issue(
		issuer: &T::AccountId,
		class: T::ClassId,
		to: &T::AccountId,
		amount: SharesOf<T>,
	) -> DispatchResult {
		let details = Self::ensure_issuer(issuer, class)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		Self::ensure_may_receive(class, &details, to)?;
		let supply =
			Self::supply_of(class).checked_add(&amount).ok_or(Error::<T>::ExceedsMaxSupply)?;
		ensure!(supply <= details.max_supply, Error::<T>::ExceedsMaxSupply);

		let pool = Pools::<T>::get(class);
		let balance = Self::shares_of(class, to);
		let position = Self::settle(class, to, balance, &pool)?;
		T::Assets::mint_into(class, to, amount)?;
		Self::store_position(class, to, position, balance.saturating_add(amount));

		Self::deposit_event(Event::SharesIssued { class, to: to.clone(), amount });
		Ok(())
	}

	/// Moves `amount` shares of `class` from `from` to `to`.
	///
	/// # Errors
	///
	/// `UnknownClass`, `ZeroAmount`, `TransfersLockedUp`, `SenderFrozen`, `RecipientFrozen`,
	/// `SenderNotAllowed`, `RecipientNotAllowed`, `InsufficientShares`,
	/// `SharesLockedByVote`, and the ledger's error if `to` cannot hold shares.
	pub fn do_transfer(
		class: T::ClassId,
		from: &T::AccountId,
		to: &T::AccountId,
		amount: SharesOf<T>,
	) -> DispatchResult {
		let details = Self::class_of(class)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		if let Some(until) = details.transfers_locked_until {
			let now = polkadot_sdk::frame_system::Pallet::<T>::block_number();
			ensure!(now >= until, Error::<T>::TransfersLockedUp);
		}
		ensure!(!Frozen::<T>::contains_key(class, from), Error::<T>::SenderFrozen);
		if details.compliance == Compliance::Allowlist {
			ensure!(Allowlist::<T>::contains_key(class, from), Error::<T>::SenderNotAllowed);
		}
		Self::ensure_may_receive(class, &details, to)?;
		let from_balance = Self::shares_of(class, from);
		ensure!(from_balance >= amount, Error::<T>::InsufficientShares);
		ensure!(
			from_balance.saturating_sub(Self::locked_by_votes(class, from)) >= amount,
			Error::<T>::SharesLockedByVote
		);

		if from != to {
			let pool = Pools::<T>::get(class);
			let to_balance = Self::shares_of(class, to);
			let from_position = Self::settle(class, from, from_balance, &pool)?;
			let to_position = Self::settle(class, to, to_balance, &pool)?;
			T::Assets::transfer(class, from, to, amount, Preservation::Expendable)?;
			Self::store_position(class, from, from_position, from_balance.saturating_sub(amount));
			Self::store_position(class, to, to_position, to_balance.saturating_add(amount));
		}

		Self::deposit_event(Event::SharesTransferred {
			class,
			from: from.clone(),
			to: to.clone(),
			amount,
		});
		Ok(())
	}

	/// Refuses a recipient that is frozen or, in `Allowlist` mode, not on the list.
	fn ensure_may_receive(
		class: T::ClassId,
		details: &ShareClass<T>,
		to: &T::AccountId,
	) -> DispatchResult {
		ensure!(!Frozen::<T>::contains_key(class, to), Error::<T>::RecipientFrozen);
		if details.compliance == Compliance::Allowlist {
			ensure!(Allowlist::<T>::contains_key(class, to), Error::<T>::RecipientNotAllowed);
		}
		Ok(())
	}

	/// Puts `who` on the allowlist of `class`.
	///
	/// # Errors
	///
	/// `UnknownClass`, `NotIssuer`, `AlreadyOnAllowlist`.
	pub fn do_add_to_allowlist(
		issuer: &T::AccountId,
		class: T::ClassId,
		who: T::AccountId,
	) -> DispatchResult {
		Self::ensure_issuer(issuer, class)?;
		ensure!(!Allowlist::<T>::contains_key(class, &who), Error::<T>::AlreadyOnAllowlist);
		Allowlist::<T>::insert(class, &who, ());
		Self::deposit_event(Event::AllowlistAdded { class, who });
		Ok(())
	}

	/// Takes `who` off the allowlist of `class`.
	///
	/// # Errors
	///
	/// `UnknownClass`, `NotIssuer`, `NotOnAllowlist`.
	pub fn do_remove_from_allowlist(
		issuer: &T::AccountId,
		class: T::ClassId,
		who: T::AccountId,
	) -> DispatchResult {
		Self::ensure_issuer(issuer, class)?;
		ensure!(Allowlist::<T>::contains_key(class, &who), Error::<T>::NotOnAllowlist);
		Allowlist::<T>::remove(class, &who);
		Self::deposit_event(Event::AllowlistRemoved { class, who });
		Ok(())
	}

	/// Freezes `who` in `class`.
	///
	/// # Errors
	///
	/// `UnknownClass`, `NotIssuer`, `AlreadyFrozen`.
	pub fn do_freeze(
		issuer: &T::AccountId,
		class: T::ClassId,
		who: T::AccountId,
	) -> DispatchResult {
		Self::ensure_issuer(issuer, class)?;
		ensure!(!Frozen::<T>::contains_key(class, &who), Error::<T>::AlreadyFrozen);
		Frozen::<T>::insert(class, &who, ());
		Self::deposit_event(Event::AccountFrozen { class, who });
		Ok(())
	}

	/// Thaws `who` in `class`.
	///
	/// # Errors
	///
	/// `UnknownClass`, `NotIssuer`, `NotFrozen`.
	pub fn do_thaw(issuer: &T::AccountId, class: T::ClassId, who: T::AccountId) -> DispatchResult {
		Self::ensure_issuer(issuer, class)?;
		ensure!(Frozen::<T>::contains_key(class, &who), Error::<T>::NotFrozen);
		Frozen::<T>::remove(class, &who);
		Self::deposit_event(Event::AccountThawed { class, who });
		Ok(())
	}

	/// Offers the issuer role of `class` to `candidate`, replacing any earlier offer. Nothing
	/// moves until the candidate accepts.
	///
	/// # Errors
	///
	/// `UnknownClass`, `NotIssuer`, `AlreadyIssuer`.
	pub fn do_transfer_issuer(
		who: &T::AccountId,
		class: T::ClassId,
		candidate: T::AccountId,
	) -> DispatchResult {
		let details = Self::ensure_issuer(who, class)?;
		ensure!(candidate != details.issuer, Error::<T>::AlreadyIssuer);
		PendingIssuer::<T>::insert(class, &candidate);
		Self::deposit_event(Event::IssuerOffered { class, issuer: details.issuer, candidate });
		Ok(())
	}

	/// Withdraws the open offer of the issuer role of `class`.
	///
	/// # Errors
	///
	/// `UnknownClass`, `NotIssuer`, `NoIssuerOffer`.
	pub fn do_withdraw_issuer_offer(who: &T::AccountId, class: T::ClassId) -> DispatchResult {
		Self::ensure_issuer(who, class)?;
		let candidate = PendingIssuer::<T>::take(class).ok_or(Error::<T>::NoIssuerOffer)?;
		Self::deposit_event(Event::IssuerOfferWithdrawn { class, candidate });
		Ok(())
	}

	/// Makes `candidate`, who holds the open offer, the issuer of `class`: it now holds the
	/// class deposit and the old issuer's is released.
	///
	/// # Errors
	///
	/// `UnknownClass`, `NotIssuerCandidate`, and the currency's error if `candidate` cannot
	/// hold the class deposit.
	pub fn do_accept_issuer(candidate: T::AccountId, class: T::ClassId) -> DispatchResult {
		let mut details = Self::class_of(class)?;
		ensure!(
			PendingIssuer::<T>::get(class).as_ref() == Some(&candidate),
			Error::<T>::NotIssuerCandidate
		);
		let reason: T::RuntimeHoldReason = HoldReason::ClassDeposit.into();
		T::Currency::hold(&reason, &candidate, details.deposit)?;
		T::Currency::release(&reason, &details.issuer, details.deposit, Precision::Exact)?;
		PendingIssuer::<T>::remove(class);
		let old_issuer = core::mem::replace(&mut details.issuer, candidate.clone());
		Classes::<T>::insert(class, details);
		Self::deposit_event(Event::IssuerChanged { class, old_issuer, new_issuer: candidate });
		Ok(())
	}

	/// Converts shares to the accumulator's integer type.
	pub(crate) fn shares_to_u256(shares: SharesOf<T>) -> Result<U256, DispatchError> {
		let shares: u128 = shares.try_into().map_err(|_| ArithmeticError::Overflow)?;
		Ok(U256::from(shares))
	}

	/// Converts an amount of the utility token to the accumulator's integer type.
	pub(crate) fn balance_to_u256(amount: BalanceOf<T>) -> Result<U256, DispatchError> {
		let amount: u128 = amount.try_into().map_err(|_| ArithmeticError::Overflow)?;
		Ok(U256::from(amount))
	}

	/// Converts whole utility-token units back from the accumulator's integer type.
	pub(crate) fn u256_to_balance(amount: U256) -> Result<BalanceOf<T>, DispatchError> {
		ensure!(amount <= U256::from(u128::MAX), ArithmeticError::Overflow);
		BalanceOf::<T>::try_from(amount.low_u128()).map_err(|_| ArithmeticError::Overflow.into())
	}

	#[cfg(any(feature = "try-runtime", test))]
	/// Checks the pallet's invariants:
	/// - the balances of the accounts with a dividend position sum to each class's issued
	///   supply (so every holder has a position), which is within the cap;
	/// - dividends are conserved: what was deposited equals, in scaled units, what was
	///   claimed plus what holders are owed plus what is undistributed;
	/// - each pool holds its existential deposit plus everything not yet claimed;
	/// - class and proposal deposits are exactly what is on hold for them;
	/// - each class's count of open resolutions matches, within `MaxActiveProposals`, and each
	///   resolution's electorate is within its class's cap;
	/// - every open issuer offer is for an existing class and not to its issuer;
	/// - every class has a quorum above zero.
	pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use polkadot_sdk::{
			frame_support::traits::fungible::InspectHold as _, sp_runtime::traits::CheckedSub,
		};

		let overflow = "arithmetic overflow in try_state";
		let scale = U256::from(DIVIDEND_SCALE);
		let mut open_proposals: BTreeMap<T::ClassId, u32> = BTreeMap::new();
		let mut proposal_deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (_, proposal) in Proposals::<T>::iter() {
			let cap = Classes::<T>::get(proposal.class)
				.ok_or("resolution of an unknown class")?
				.max_supply;
			ensure!(proposal.electorate <= cap, "resolution electorate above its class cap");
			let count = open_proposals.entry(proposal.class).or_default();
			*count = count.saturating_add(1);
			let held = proposal_deposits.entry(proposal.proposer).or_default();
			*held = held.saturating_add(proposal.deposit);
		}

		let mut class_deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (class, details) in Classes::<T>::iter() {
			ensure!(!details.governance.quorum.is_zero(), "class without a quorum");
			let supply = Self::supply_of(class);
			ensure!(supply <= details.max_supply, "issued supply above the class cap");

			let pool = Pools::<T>::get(class);
			let mut held_by_holders: SharesOf<T> = Zero::zero();
			let mut owed = pool.undistributed_scaled;
			for (who, position) in Holders::<T>::iter_prefix(class) {
				let balance = Self::shares_of(class, &who);
				held_by_holders = held_by_holders.checked_add(&balance).ok_or(overflow)?;
				let since = pool
					.reward_per_share
					.checked_sub(position.checkpoint)
					.ok_or("holder checkpoint ahead of the accumulator")?;
				let pending = Self::shares_to_u256(balance)?.checked_mul(since).ok_or(overflow)?;
				owed = owed
					.checked_add(pending)
					.and_then(|o| o.checked_add(position.accrued_scaled))
					.ok_or(overflow)?;
			}
			ensure!(held_by_holders == supply, "holder balances do not sum to the issued supply");

			let deposited = Self::balance_to_u256(pool.total_deposited)?;
			let claimed = Self::balance_to_u256(pool.total_claimed)?;
			let accounted = claimed.checked_mul(scale).and_then(|c| c.checked_add(owed));
			ensure!(
				deposited.checked_mul(scale) == accounted,
				"dividends deposited differ from claimed + owed + undistributed"
			);
			let unclaimed = pool
				.total_deposited
				.checked_sub(&pool.total_claimed)
				.ok_or("more dividends claimed than deposited")?;
			let pool_balance = <T::Currency as fungible::Inspect<T::AccountId>>::balance(
				&Self::pool_account(class),
			);
			let minimum = <T::Currency as fungible::Inspect<T::AccountId>>::minimum_balance();
			ensure!(
				pool_balance >= unclaimed.saturating_add(minimum),
				"pool balance does not cover unclaimed dividends"
			);

			let open = open_proposals.get(&class).copied().unwrap_or_default();
			ensure!(details.active_proposals == open, "open resolution count out of sync");
			ensure!(open <= T::MaxActiveProposals::get(), "too many open resolutions");

			let held = class_deposits.entry(details.issuer.clone()).or_default();
			*held = held.saturating_add(details.deposit);
		}
		for (class, candidate) in PendingIssuer::<T>::iter() {
			let details = Classes::<T>::get(class).ok_or("issuer offer of an unknown class")?;
			ensure!(details.issuer != candidate, "issuer offer to the issuer itself");
		}

		for (who, deposit) in class_deposits {
			let on_hold = T::Currency::balance_on_hold(&HoldReason::ClassDeposit.into(), &who);
			ensure!(on_hold == deposit, "class deposits differ from what is on hold");
		}
		for (who, deposit) in proposal_deposits {
			let on_hold = T::Currency::balance_on_hold(&HoldReason::ProposalDeposit.into(), &who);
			ensure!(on_hold == deposit, "resolution deposits differ from what is on hold");
		}
		Ok(())
	}
}
